/**
 * Error codes the hub answers with, over socket acks and HTTP bodies alike.
 * Clients switch on `code`; `message` is for people.
 */
export const ERROR_CODES = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  /** An API token whose scopes don't include the one the route needs (the message names it). */
  insufficient_scope: 403,
  not_found: 404,
  conflict: 409,
  /** Another agent holds the conversation. */
  already_claimed: 409,
  /** The conversation is closed; reopen it first. */
  closed: 409,
  /** An AI assist feature the admin turned off. */
  feature_disabled: 409,
  /** Transcription is on, but the hub has no provider with a speech-to-text model (AI_BASE_URL + AI_TRANSCRIBE_MODEL). */
  transcription_unavailable: 409,
  too_large: 413,
  /** An upload is larger than the hub accepts (`ATTACHMENT_MAX_BYTES`). */
  file_too_large: 413,
  /** An upload's content (sniffed from its bytes, never its name) is not a type the hub accepts (`ATTACHMENT_TYPES`). */
  file_type_not_allowed: 415,
  rate_limited: 429,
  /** The widget's site key is unknown (a connect refusal). */
  unknown_site: 404,
  internal: 500,
  /** The AI provider (AI_BASE_URL) failed or did not answer in time: only where there is no built-in fallback (transcription). */
  provider_unavailable: 502,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  /** On a `bad_request` about one field of the body (e.g. `faqThreshold`): its name, so a form can show the message next to it. */
  field?: string;
}

/** Every request event answers through its ack with exactly one of these. */
export type Ack<T> = { data: T; error?: undefined } | { data?: undefined; error: ErrorBody };

export type AckCallback<T> = (response: Ack<T>) => void;
