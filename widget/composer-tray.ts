/**
 * The strip above the composer: a voice note being recorded (its clock, cancel and stop), or the files waiting to go
 * with the next message (each removable).
 */
import { html, nothing } from 'lit';
import { clock, humanSize } from './attachments.js';
import type { FileStaging } from './controllers/file-staging.js';
import type { VoiceRecorder } from './controllers/recorder.js';
import { type WidgetStrings, format } from './strings.js';

export function renderTray(recorder: VoiceRecorder, staging: FileStaging, t: WidgetStrings, cancelRecording: () => void) {
  if (recorder.state === 'recording') {
    return html`<div class="tray recording">
      <span class="dot" aria-hidden="true"></span>${t.recording} <span class="time">${clock(recorder.elapsedMs)}</span>
      <button type="button" class="icon" aria-label=${t.cancelRecording} title=${t.cancelRecording} @click=${cancelRecording}>×</button>
      <button type="button" class="stop" @click=${() => recorder.stop()}>${t.stopRecording}</button>
    </div>`;
  }
  if (staging.files.length === 0) return nothing;
  return html`<ul class="tray">
    ${staging.files.map(
      (file, i) =>
        html`<li class="chip">${file.name} · ${humanSize(file.size)}<button type="button" aria-label=${format(t.removeFile, { name: file.name })} @click=${() => staging.remove(i)}>×</button></li>`,
    )}
  </ul>`;
}
