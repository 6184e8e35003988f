import { ERROR_CODES, type ErrorBody, type ErrorCode } from '../protocol/errors.js';

/** An error a client caused and should be told about: becomes `{ code, message }` + status. */
export class HubError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** The body field at fault, when there is one (see `ErrorBody.field`). */
  readonly field: string | undefined;
  constructor(code: ErrorCode, message: string, field?: string) {
    super(message);
    this.code = code;
    this.status = ERROR_CODES[code];
    this.field = field;
  }
  toBody(): ErrorBody {
    return this.field ? { code: this.code, message: this.message, field: this.field } : { code: this.code, message: this.message };
  }
}

export const notFound = (what: string): HubError => new HubError('not_found', `${what} not found`);
export const forbidden = (why = 'You may not do this'): HubError => new HubError('forbidden', why);
export const badRequest = (why: string, field?: string): HubError => new HubError('bad_request', why, field);
