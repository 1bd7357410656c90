import type { ErrorCode } from '@loket/protocol';

/** A failure the caller can act on; rendered the same way on HTTP and WebSocket. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly field?: string,
    /** For logs only; never sent to clients. */
    detail?: string,
    /**
     * Untranslated technical detail that IS sent (ErrorBody.detail), for errors only the caller can
     * fix and only a message can explain, e.g. "unknown variable customer.nmae on line 2".
     */
    readonly clientDetail?: string,
    /** Seconds until a limit lets the caller try again: the Retry-After header, `retryAfter` on the socket. */
    readonly retryAfter?: number,
  ) {
    super(detail ?? code);
  }
}
