import { ERROR_STATUS, errorMessage, type ErrorBody, type ErrorCode } from '@loket/protocol';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../domain/errors.js';
import { FileTooLargeError } from '../domain/files/files.js';
import { isStorageUnavailable } from '../db/database.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Language for error messages: the channel's for widget calls, else the browser's. */
    lang: string | undefined;
  }
}

export function requestLanguage(req: FastifyRequest): string {
  if (req.lang) return req.lang;
  const header = req.headers['accept-language'];
  return typeof header === 'string' ? header.slice(0, 2) : 'en';
}

/** What some errors add: when a limit lets the caller try again, or the size limit a file broke. */
export interface ErrorExtras {
  retryAfter?: number | undefined;
  limit?: number | undefined;
}

export function errorBody(code: ErrorCode, lang: string, field?: string, detail?: string, extras: ErrorExtras = {}): ErrorBody {
  const { retryAfter, limit } = extras;
  return {
    error: {
      code,
      message: errorMessage(code, lang),
      ...(field ? { field } : {}),
      ...(detail ? { detail } : {}),
      ...(retryAfter ? { retryAfter } : {}),
      ...(limit !== undefined ? { limit } : {}),
    },
  };
}

export function sendError(reply: FastifyReply, req: FastifyRequest, code: ErrorCode, field?: string, detail?: string, extras: ErrorExtras = {}): FastifyReply {
  if (extras.retryAfter) reply.header('Retry-After', String(extras.retryAfter));
  return reply.status(ERROR_STATUS[code]).send(errorBody(code, requestLanguage(req), field, detail, extras));
}

/**
 * Requests Node's HTTP parser rejects before Fastify sees them (headers too large or too many,
 * malformed request lines) still get an error body in Loket's shape, in English (no headers to go by).
 */
export function clientErrorResponse(err: { code?: string }): string {
  const code: ErrorCode = err.code === 'HPE_HEADER_OVERFLOW' ? 'headers_too_large' : 'bad_request';
  const body = JSON.stringify(errorBody(code, 'en'));
  const status = ERROR_STATUS[code];
  const reason = code === 'headers_too_large' ? 'Request Header Fields Too Large' : 'Bad Request';
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/** Every failure leaves as a stable code with a translated message; nothing internal leaks out. */
export function installErrorHandling(app: FastifyInstance): void {
  app.decorateRequest('lang', undefined);
  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    if (err instanceof FileTooLargeError) return sendError(reply, req, err.code, undefined, undefined, { limit: err.limit });
    if (err instanceof AppError) return sendError(reply, req, err.code, err.field, err.clientDetail, { retryAfter: err.retryAfter });
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.statusCode === 400) {
      return sendError(reply, req, 'bad_request');
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.statusCode === 413) return sendError(reply, req, 'payload_too_large');
    // @fastify/static refuses paths that climb out of its folder (403) or do not exist (404): both are "no such file".
    if (err.statusCode === 403 || err.statusCode === 404) return sendError(reply, req, 'not_found');
    if (err.statusCode === 431) return sendError(reply, req, 'headers_too_large');
    if (err.statusCode === 429) return sendError(reply, req, 'rate_limited');
    if (isStorageUnavailable(err)) {
      req.log.warn({ err }, 'storage unavailable');
      return sendError(reply, req, 'unavailable');
    }
    req.log.error({ err }, 'request failed');
    return sendError(reply, req, 'internal');
  });
}
