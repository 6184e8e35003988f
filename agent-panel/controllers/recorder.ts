/**
 * Voice-note recording for the composer (a Lit reactive controller of `<sb-composer-files>`): the microphone through
 * `getUserMedia`, MediaRecorder writing Opus in WebM where the browser can (Ogg, then MP4 otherwise: Safari), the
 * elapsed time while recording, Stop (the recording as a File with its length) and Cancel (nothing kept). The
 * microphone is released as soon as recording ends. A refused permission, or no microphone, becomes a message.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Containers the hub accepts as voice notes, preferred first. */
const TYPES = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/webm', 'audio/mp4'];
const EXTENSIONS: Record<string, string> = { 'audio/webm': 'webm', 'audio/ogg': 'ogg', 'audio/mp4': 'm4a' };
/** A recording stops by itself after this long (a voice note, not a podcast; 5 min of Opus is about 1 MB). */
export const MAX_RECORDING_MS = 5 * 60_000;

export interface Recording {
  file: File;
  durationMs: number;
}

/** Whether this browser can record at all (the voice-note button is hidden otherwise). */
export function canRecord(): boolean {
  return typeof MediaRecorder !== 'undefined' && typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getUserMedia === 'function';
}

/** `0:07`, `12:30`: a duration rounded to the second, or (`running`) a running time in whole seconds elapsed. */
export function clock(ms: number, running = false): string {
  const seconds = Math.max(0, running ? Math.floor(ms / 1000) : Math.round(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

export class RecorderController implements ReactiveController {
  state: 'idle' | 'starting' | 'recording' = 'idle';
  /** Milliseconds recorded so far. */
  elapsedMs = 0;
  /** Why recording could not start (or stopped), for people. */
  error = '';
  #recorder: MediaRecorder | null = null;
  #stream: MediaStream | null = null;
  #chunks: Blob[] = [];
  #startedAt = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #onLimit: (() => void) | null = null;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.cancel();
  }

  /** Asks for the microphone and starts recording; `onLimit` runs when the time limit stops it. Resolves whether it started. */
  async start(onLimit: () => void): Promise<boolean> {
    if (this.state !== 'idle') return false;
    this.error = '';
    this.state = 'starting';
    this.host.requestUpdate();
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      this.state = 'idle';
      this.error = microphoneError(error);
      this.host.requestUpdate();
      return false;
    }
    if (this.state !== 'starting') {
      // Cancelled while the browser was asking.
      for (const track of stream.getTracks()) track.stop();
      return false;
    }
    const mimeType = TYPES.find((type) => MediaRecorder.isTypeSupported(type));
    const recorder = new MediaRecorder(stream, mimeType ? { mimeType } : undefined);
    this.#stream = stream;
    this.#recorder = recorder;
    this.#chunks = [];
    this.#onLimit = onLimit;
    recorder.ondataavailable = (event) => {
      if (event.data.size > 0) this.#chunks.push(event.data);
    };
    recorder.start(250);
    this.#startedAt = performance.now();
    this.elapsedMs = 0;
    this.state = 'recording';
    this.#timer = setInterval(() => {
      this.elapsedMs = performance.now() - this.#startedAt;
      if (this.elapsedMs >= MAX_RECORDING_MS) this.#onLimit?.();
      this.host.requestUpdate();
    }, 250);
    this.host.requestUpdate();
    return true;
  }

  /** Stops and answers the recording (null when nothing was recorded). */
  async stop(): Promise<Recording | null> {
    const recorder = this.#recorder;
    if (this.state !== 'recording' || !recorder) return null;
    const durationMs = Math.round(performance.now() - this.#startedAt);
    const stopped = new Promise<void>((resolve) => recorder.addEventListener('stop', () => resolve(), { once: true }));
    recorder.stop();
    await stopped;
    const type = (recorder.mimeType || this.#chunks[0]?.type || 'audio/webm').split(';')[0] ?? 'audio/webm';
    const blob = new Blob(this.#chunks, { type });
    this.#release();
    if (blob.size === 0) {
      this.error = 'Nothing was recorded: check the microphone';
      this.host.requestUpdate();
      return null;
    }
    const stamp = new Date().toISOString().slice(0, 19).replace(/[T:]/g, '-');
    return { file: new File([blob], `voice-note-${stamp}.${EXTENSIONS[type] ?? 'webm'}`, { type }), durationMs };
  }

  /** Stops without keeping anything. */
  cancel(): void {
    if (this.#recorder && this.#recorder.state !== 'inactive') {
      this.#recorder.ondataavailable = null;
      this.#recorder.stop();
    }
    this.#release();
  }

  #release(): void {
    clearInterval(this.#timer);
    for (const track of this.#stream?.getTracks() ?? []) track.stop();
    this.#stream = null;
    this.#recorder = null;
    this.#chunks = [];
    this.#onLimit = null;
    this.state = 'idle';
    this.host.requestUpdate();
  }
}

function microphoneError(error: unknown): string {
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError')
    return "Microphone access was denied. Allow it in the browser's site settings to record voice notes.";
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'No microphone was found.';
  if (name === 'NotReadableError') return 'The microphone is in use by another application.';
  return `The microphone could not be used: ${error instanceof Error ? error.message : String(error)}`;
}
