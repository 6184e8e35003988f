/**
 * The client of an OpenAI-compatible HTTP API (AI_BASE_URL: OpenAI, a local Ollama or llama.cpp server, vLLM…):
 * `POST {base}/chat/completions` for summaries and suggestions, `POST {base}/audio/transcriptions` for voice notes.
 *
 * Each call has a timeout (AbortSignal.timeout: AI_TIMEOUT_MS for chat, AI_AUDIO_TIMEOUT_MS for audio) and is retried
 * twice, with backoff, on 429, 5xx and network errors; a 4xx is not retried (the request itself is wrong), nor is a
 * timeout (the call already used its whole budget). `reachable` says whether the last call succeeded; callers fall
 * back to the built-in answers when a call throws. What is sent is decided by the callers (services/assist.ts):
 * the messages' author role and text only.
 */
import type { ChatMessage } from '../rules/suggestions.js';

export interface AiProviderConfig {
  /** E.g. `http://127.0.0.1:11434/v1` (no trailing slash needed). */
  baseUrl: string;
  apiKey: string | null;
  /** Chat model (summaries, suggestions); null: the built-in algorithms only. */
  model: string | null;
  /** Speech-to-text model; null: no transcription. */
  transcribeModel: string | null;
  chatTimeoutMs: number;
  audioTimeoutMs: number;
  /** Retries after the first attempt (429, 5xx, network). */
  retries?: number;
  /** First backoff (doubled each retry, with jitter). */
  backoffMs?: number;
}

/** The provider failed: `status` is its HTTP status, or 0 for a network error or timeout. */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly timedOut = false,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

type Fetch = typeof fetch;

export class AiProvider {
  /** False after a failed call, until a call succeeds. */
  reachable = true;
  readonly #base: string;
  readonly #fetch: Fetch;

  constructor(
    readonly config: AiProviderConfig,
    fetchImpl: Fetch = fetch,
  ) {
    this.#base = config.baseUrl.replace(/\/+$/, '');
    this.#fetch = fetchImpl;
  }

  get chatModel(): string | null {
    return this.config.model;
  }

  get transcribeModel(): string | null {
    return this.config.transcribeModel;
  }

  /** The assistant's reply text. Throws ProviderError. */
  async chat(messages: ChatMessage[], options: { temperature?: number; maxTokens?: number } = {}): Promise<string> {
    const model = this.config.model;
    if (!model) throw new ProviderError('No chat model configured (AI_MODEL)', 0);
    const body = JSON.stringify({
      model,
      messages,
      temperature: options.temperature ?? 0.3,
      ...(options.maxTokens ? { max_tokens: options.maxTokens } : {}),
    });
    const answer = await this.#post('/chat/completions', () => ({ body, headers: { 'content-type': 'application/json' } }), this.config.chatTimeoutMs);
    const content = (answer as { choices?: { message?: { content?: unknown } }[] }).choices?.[0]?.message?.content;
    if (typeof content !== 'string') throw this.#failed(new ProviderError('The provider answered without a message', 200));
    return content;
  }

  /** The text of a recording. Throws ProviderError. */
  async transcribe(bytes: Uint8Array, contentType: string, filename: string): Promise<string> {
    const model = this.config.transcribeModel;
    if (!model) throw new ProviderError('No transcription model configured (AI_TRANSCRIBE_MODEL)', 0);
    // A fresh form per attempt: a body stream can be read once.
    const form = () => {
      const data = new FormData();
      data.set('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type: contentType }), filename);
      data.set('model', model);
      data.set('response_format', 'json');
      return { body: data, headers: {} };
    };
    const answer = await this.#post('/audio/transcriptions', form, this.config.audioTimeoutMs);
    const text = (answer as { text?: unknown }).text;
    if (typeof text !== 'string') throw this.#failed(new ProviderError('The provider answered without a text', 200));
    return text.trim();
  }

  async #post(path: string, request: () => { body: BodyInit; headers: Record<string, string> }, timeoutMs: number): Promise<unknown> {
    const retries = this.config.retries ?? 2;
    const backoff = this.config.backoffMs ?? 300;
    for (let attempt = 0; ; attempt++) {
      const { body, headers } = request();
      if (this.config.apiKey) headers.authorization = `Bearer ${this.config.apiKey}`;
      let response: Response;
      try {
        response = await this.#fetch(`${this.#base}${path}`, { method: 'POST', body, headers, signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
        const failure = new ProviderError(
          timedOut ? `The provider did not answer within ${timeoutMs} ms` : `The provider is unreachable: ${describe(error)}`,
          0,
          timedOut,
        );
        if (timedOut || attempt >= retries) throw this.#failed(failure);
        await sleep(delay(backoff, attempt));
        continue;
      }
      if (response.ok) {
        let answer: unknown;
        try {
          answer = await response.json();
        } catch (error) {
          throw this.#failed(new ProviderError(`The provider answered with invalid JSON: ${describe(error)}`, response.status));
        }
        this.reachable = true;
        return answer;
      }
      const detail = (await response.text().catch(() => '')).slice(0, 200);
      const failure = new ProviderError(`The provider answered ${response.status}${detail ? `: ${detail}` : ''}`, response.status);
      const retryable = response.status === 429 || response.status >= 500;
      if (!retryable || attempt >= retries) throw this.#failed(failure);
      await sleep(Math.max(delay(backoff, attempt), retryAfterMs(response.headers.get('retry-after'))));
    }
  }

  #failed(error: ProviderError): ProviderError {
    this.reachable = false;
    return error;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}

/** Exponential backoff with ±25 % jitter. */
function delay(base: number, attempt: number): number {
  return base * 2 ** attempt * (0.75 + Math.random() * 0.5);
}

/** A Retry-After in seconds, honoured up to 5 s (a longer wait is the caller's timeout, not ours). */
function retryAfterMs(value: string | null): number {
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(5000, seconds * 1000) : 0;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
