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

export function errorBody(code: ErrorCode, lang: string, field?: string, detail?: string, limit?: number): ErrorBody {
  return { error: { code, message: errorMessage(code, lang), ...(field ? { field } : {}), ...(detail ? { detail } : {}), ...(limit !== undefined ? { limit } : {}) } };
}

export function sendError(reply: FastifyReply, req: FastifyRequest, code: ErrorCode, field?: string, detail?: string, limit?: number): FastifyReply {
  return reply.status(ERROR_STATUS[code]).send(errorBody(code, requestLanguage(req), field, detail, limit));
}

/** Every failure leaves as a stable code with a translated message; nothing internal leaks out. */
export function installErrorHandling(app: FastifyInstance): void {
  app.decorateRequest('lang', undefined);
  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    if (err instanceof FileTooLargeError) return sendError(reply, req, err.code, undefined, undefined, err.limit);
    if (err instanceof AppError) return sendError(reply, req, err.code, err.field, err.clientDetail);
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.statusCode === 400) {
      return sendError(reply, req, 'bad_request');
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.statusCode === 413) return sendError(reply, req, 'validation_failed');
    if (err.statusCode === 429) return sendError(reply, req, 'rate_limited');
    if (isStorageUnavailable(err)) {
      req.log.warn({ err }, 'storage unavailable');
      return sendError(reply, req, 'unavailable');
    }
    req.log.error({ err }, 'request failed');
    return sendError(reply, req, 'internal');
  });
}
