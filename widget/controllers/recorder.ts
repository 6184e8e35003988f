/**
 * Voice notes (a Lit reactive controller): records the microphone with MediaRecorder — Opus in WebM where the
 * browser can (`audio/webm;codecs=opus`: Chromium, Firefox), else its default (Safari: AAC in MP4) — and hands the
 * recording with its measured length to the element, which sends it as an `audio` attachment.
 * The length is measured here because WebM from a live recorder carries no duration for `<audio>` to show.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export type RecorderState = 'idle' | 'starting' | 'recording';

/** A recording is sent on its own at this length (a 10-minute Opus note is well under the upload limit). */
const MAX_RECORDING_MS = 10 * 60_000;

export interface Recording {
  blob: Blob;
  name: string;
  durationMs: number;
}

export class VoiceRecorder implements ReactiveController {
  state: RecorderState = 'idle';
  elapsedMs = 0;

  #recorder: MediaRecorder | null = null;
  #startedAt = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #keep = false;

  /** Whether this browser can record (MediaRecorder and getUserMedia, which need a secure page). */
  static get supported(): boolean {
    return typeof MediaRecorder !== 'undefined' && typeof navigator.mediaDevices?.getUserMedia === 'function';
  }

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly done: (recording: Recording) => void,
    /** `denied`: the visitor or the browser refused the microphone; `failed`: anything else. */
    private readonly failed: (reason: 'denied' | 'failed') => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.cancel();
  }

  async start(): Promise<void> {
    if (this.state !== 'idle') return;
    this.#set('starting');
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      this.#set('idle');
      this.failed((error as DOMException).name === 'NotAllowedError' || (error as DOMException).name === 'SecurityError' ? 'denied' : 'failed');
      return;
    }
    if ((this.state as RecorderState) !== 'starting') return void stopTracks(stream); // cancelled while asking
    const opus = 'audio/webm;codecs=opus';
    let recorder: MediaRecorder;
    try {
      recorder = new MediaRecorder(stream, MediaRecorder.isTypeSupported(opus) ? { mimeType: opus } : {});
    } catch {
      stopTracks(stream);
      this.#set('idle');
      this.failed('failed');
      return;
    }
    const chunks: Blob[] = [];
    recorder.ondataavailable = (event) => event.data.size > 0 && chunks.push(event.data);
    recorder.onstop = () => {
      stopTracks(stream);
      const durationMs = Math.round(performance.now() - this.#startedAt);
      const type = recorder.mimeType || chunks[0]?.type || 'audio/webm';
      const blob = new Blob(chunks, { type });
      if (this.#keep && blob.size > 0) this.done({ blob, durationMs, name: `voice-note.${extension(type)}` });
    };
    this.#recorder = recorder;
    this.#keep = false;
    recorder.start();
    this.#startedAt = performance.now();
    this.elapsedMs = 0;
    this.#timer = setInterval(() => {
      this.elapsedMs = performance.now() - this.#startedAt;
      if (this.elapsedMs >= MAX_RECORDING_MS) this.stop();
      else this.host.requestUpdate();
    }, 250);
    this.#set('recording');
  }

  /** Stops and hands the recording over. */
  stop(): void {
    this.#end(true);
  }

  /** Stops and throws the recording away. */
  cancel(): void {
    this.#end(false);
  }

  #end(keep: boolean): void {
    clearInterval(this.#timer);
    this.#keep = keep;
    if (this.#recorder?.state === 'recording') this.#recorder.stop();
    this.#recorder = null;
    if (this.state !== 'idle') this.#set('idle');
  }

  #set(state: RecorderState): void {
    this.state = state;
    this.host.requestUpdate();
  }
}

function stopTracks(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}

function extension(type: string): string {
  return type.includes('ogg') ? 'ogg' : type.includes('mp4') ? 'm4a' : 'webm';
}
