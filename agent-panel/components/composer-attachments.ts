import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { panelStyles } from '../agent-panel.styles.js';
import { type PendingFile, humanSize } from '../controllers/attachments.js';
import { RecorderController, canRecord, clock } from '../controllers/recorder.js';
import { request } from '../events.js';
import { microphoneIcon, paperclipIcon } from './icons.js';

/**
 * The composer's files: an **Attach files** button (a hidden `<input type=file multiple>`; dropped and pasted files
 * come in through `addFiles`, called by the conversation view), a **Record voice note** button (hidden when the browser
 * can't record) with the elapsed time, Stop and Cancel while recording, and the list of attached files with each
 * upload's progress, its refusal, and a Remove button. Files are uploaded by the panel (controllers/attachments.ts)
 * as soon as they are attached; names are rendered as text.
 *
 * @fires sb-files-action - detail: a `FilesIntent` and `reply` (internal)
 */
@customElement('sb-composer-files')
export class ComposerFiles extends LitElement {
  static override styles = [
    panelStyles,
    css`
      :host { display: grid; gap: 4px; }
      .tools { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
      .tools button { font-size: 13px; padding: 3px 8px; }
      .recording { display: inline-flex; gap: 6px; align-items: center; font-size: 13px; color: var(--sb-danger); }
      .recording .dot { width: 8px; height: 8px; border-radius: 50%; background: var(--sb-danger); }
      ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 4px; }
      li { display: flex; gap: 8px; align-items: center; font-size: 13px; padding: 3px 6px; border: 1px solid var(--sb-border); border-radius: var(--sb-radius); }
      li.refused { border-color: var(--sb-danger); background: var(--sb-danger-bg); }
      li .name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; max-width: 28ch; }
      li .size, li .state { color: var(--sb-muted); font-size: 12px; white-space: nowrap; }
      li .error { font-size: 12px; flex: 1; overflow-wrap: anywhere; }
      li progress { width: 90px; }
      li button.remove { margin-left: auto; border: none; background: none; padding: 0 4px; font-size: 15px; line-height: 1; }
      p.error { margin: 0; font-size: 12px; }
    `,
  ];

  @property() conversationId = '';
  /** The files attached to this conversation's composer (controllers/attachments.ts). */
  @property({ attribute: false }) files: PendingFile[] = [];
  /** Why the last Send sent nothing. */
  @property() blocked = '';
  @property({ type: Boolean }) disabled = false;
  @query('input[type=file]') private input?: HTMLInputElement;
  readonly recorder = new RecorderController(this);

  /** Attaches files (picked, dropped or pasted): the panel checks and uploads them. */
  addFiles(files: File[]): void {
    if (this.disabled || files.length === 0) return;
    void request(this, 'sb-files-action', { action: 'attach', conversationId: this.conversationId, files });
  }

  override updated(changed: Map<string, unknown>): void {
    // Another conversation: a recording for the previous one is dropped.
    if (changed.has('conversationId') && changed.get('conversationId') !== undefined) this.recorder.cancel();
  }

  override render() {
    const r = this.recorder;
    const recording = r.state !== 'idle';
    return html`<div class="tools">
        <input type="file" multiple hidden tabindex="-1" @change=${this.#picked} />
        <button type="button" class="attach" ?disabled=${this.disabled} @click=${() => this.input?.click()}>
          ${paperclipIcon} Attach files</button>
        ${
          !canRecord()
            ? nothing
            : recording
              ? html`<span class="recording" role="status"><span class="dot" aria-hidden="true"></span>${
                  r.state === 'starting' ? 'Waiting for the microphone…' : html`Recording <time class="elapsed">${clock(r.elapsedMs, true)}</time>`
                }</span>
                <button type="button" class="stop" ?disabled=${r.state !== 'recording'} @click=${this.#stop}>Stop</button>
                <button type="button" class="cancel-recording" @click=${() => r.cancel()}>Cancel</button>`
              : html`<button type="button" class="record" ?disabled=${this.disabled} @click=${this.#record}>
                  ${microphoneIcon} Record voice note</button>`
        }
      </div>
      ${r.error ? html`<p class="error mic-error" role="alert">${r.error}</p>` : nothing}
      ${this.files.length ? html`<ul class="pending" aria-label="Attached files">${this.files.map((f) => this.#file(f))}</ul>` : nothing}
      ${this.blocked ? html`<p class="error blocked" role="alert">${this.blocked}</p>` : nothing}`;
  }

  #file(f: PendingFile) {
    const label = f.kind === 'audio' && f.durationMs !== null ? html`${microphoneIcon} ${f.name} (${clock(f.durationMs)})` : f.name;
    return html`<li class=${f.status} data-key=${f.key}>
      <span class="name" title=${f.name}>${label}</span><span class="size">${humanSize(f.size)}</span>
      ${
        f.status === 'uploading'
          ? html`<progress max="1" .value=${f.progress} aria-label="Uploading ${f.name}"></progress>`
          : f.status === 'stored'
            ? html`<span class="state">Ready</span>`
            : html`<span class="error" role="alert">${f.error}</span>`
      }
      <button type="button" class="remove" aria-label="Remove ${f.name}" title="Remove"
        @click=${() => void request(this, 'sb-files-action', { action: 'remove', key: f.key })}>×</button>
    </li>`;
  }

  #picked = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    this.addFiles([...(input.files ?? [])]);
    input.value = '';
  };

  #record = (): void => {
    void this.recorder
      .start(() => void this.#stop())
      .then(async (started) => {
        if (!started) return;
        await this.updateComplete;
        this.renderRoot.querySelector<HTMLButtonElement>('button.stop')?.focus();
      });
  };

  #stop = async (): Promise<void> => {
    const recording = await this.recorder.stop();
    if (recording) {
      void request(this, 'sb-files-action', {
        action: 'attach',
        conversationId: this.conversationId,
        files: [recording.file],
        kind: 'audio',
        durationMs: recording.durationMs,
      });
    }
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('button.record')?.focus();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-composer-files': ComposerFiles;
  }
}
