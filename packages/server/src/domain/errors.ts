import type { ErrorCode } from '@loket/protocol';

/** A failure the caller can act on; rendered the same way on HTTP and WebSocket. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly field?: string,
    /** For logs only; never sent to clients. */
    detail?: string,
  ) {
    super(detail ?? code);
  }
}
