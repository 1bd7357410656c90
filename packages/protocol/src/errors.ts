import * as z from 'zod/mini';

/**
 * Stable error codes, identical on HTTP and WebSocket. Documented in docs/errors.md.
 * Clients translate by code; the server also sends a message in the caller's language.
 */
export const ERROR_CODES = [
  'bad_request',
  'validation_failed',
  'unauthenticated',
  'forbidden',
  'csrf_failed',
  'not_found',
  'channel_not_found',
  'origin_not_allowed',
  'chat_not_found',
  'chat_ended',
  'chat_not_active',
  'chat_already_claimed',
  'queue_empty',
  'not_chat_agent',
  'invalid_credentials',
  'email_invalid',
  'email_too_long',
  'email_domain_not_found',
  'email_domain_no_mail',
  'message_too_long',
  'message_empty',
  'field_required',
  'chat_not_ended',
  'feature_disabled',
  'transcript_limit',
  'template_invalid',
  'template_in_use',
  'email_taken',
  'channel_key_taken',
  'channel_in_use',
  'rate_limited',
  'spam_detected',
  // quick replies
  'shortcut_taken',
  'quick_reply_too_long',
  'unavailable',
  'internal',
  // Transfer and take-over (docs/collaboration.md)
  'transfer_not_found',
  'transfer_not_pending',
  'transfer_pending',
  'transfer_target_invalid',
  'payload_too_large',
  'headers_too_large',
  'idempotency_conflict',
  'file_type_not_allowed',
  'file_too_large',
  'file_empty',
  'file_damaged',
  'file_name_invalid',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
export const ErrorCodeSchema = z.enum(ERROR_CODES);

export const ErrorBodySchema = z.strictObject({
  error: z.strictObject({
    code: ErrorCodeSchema,
    message: z.string(),
    /** The input field the error is about, for forms. */
    field: z.optional(z.string()),
    /** Untranslated technical detail, e.g. where a template's syntax is wrong. */
    detail: z.optional(z.string()),
    /** With `rate_limited` (and other limits): seconds until the limit lets a new attempt through; also the Retry-After header. */
    retryAfter: z.optional(z.number().check(z.int(), z.minimum(1))),
    /** For file_too_large: the channel's limit in bytes. */
    limit: z.optional(z.number()),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** HTTP status for each code, so HTTP and WebSocket agree on meaning. */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 422,
  unauthenticated: 401,
  forbidden: 403,
  csrf_failed: 403,
  not_found: 404,
  channel_not_found: 404,
  origin_not_allowed: 403,
  chat_not_found: 404,
  chat_ended: 409,
  chat_not_active: 409,
  chat_already_claimed: 409,
  queue_empty: 404,
  not_chat_agent: 403,
  invalid_credentials: 401,
  email_invalid: 422,
  email_too_long: 422,
  email_domain_not_found: 422,
  email_domain_no_mail: 422,
  message_too_long: 422,
  message_empty: 422,
  field_required: 422,
  chat_not_ended: 409,
  feature_disabled: 403,
  transcript_limit: 429,
  template_invalid: 422,
  template_in_use: 409,
  email_taken: 409,
  channel_key_taken: 409,
  channel_in_use: 409,
  rate_limited: 429,
  spam_detected: 422,
  shortcut_taken: 409,
  quick_reply_too_long: 422,
  unavailable: 503,
  internal: 500,
  transfer_not_found: 404,
  transfer_not_pending: 409,
  transfer_pending: 409,
  transfer_target_invalid: 422,
  payload_too_large: 413,
  headers_too_large: 431,
  idempotency_conflict: 409,
  file_type_not_allowed: 415,
  file_too_large: 413,
  file_empty: 422,
  file_damaged: 422,
  file_name_invalid: 422,
};
