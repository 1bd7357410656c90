import {
  ChatRequestCreatedSchema,
  ChatRequestInputSchema,
  ErrorBodySchema,
  RequestCreatedSchema,
  RequestDetailSchema,
  RequestInputSchema,
  RequestListSchema,
  RequestReplyInputSchema,
  RequestStatusInputSchema,
  REQUEST_PRIORITIES,
  REQUEST_STATUSES,
} from '@loket/protocol';
import * as z from 'zod/mini';

type Schema = z.ZodMiniType;
const json = (schema: Schema) => ({ 'application/json': { schema: z.toJSONSchema(schema, { target: 'openapi-3.0' }) } });
const error = { description: 'Error (see docs/errors.md)', content: json(ErrorBodySchema) };

/** Requests left through the offline form and worked by agents (request-routes.ts, docs/requests.md). */
export function requestPaths(): Record<string, unknown> {
  const read = [{ session: [] }];
  const write = [{ session: [], csrf: [] }];
  const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
  const detail = { description: 'The request with its replies', content: json(RequestDetailSchema) };
  const query = (name: string, schema: Record<string, unknown>) => ({ name, in: 'query', required: false, schema });
  return {
    '/api/widget/channels/{key}/requests': {
      post: {
        summary: 'Leave a request when nobody can answer (chat window only; idempotent on requestKey; 5 per hour per address and channel)',
        parameters: [{ name: 'key', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: { required: true, content: json(RequestInputSchema) },
        responses: { 201: { description: 'The request ID; a confirmation e-mail is on its way', content: json(RequestCreatedSchema) }, 403: error, 404: error, 422: error, 429: error },
      },
    },
    '/api/requests': {
      get: {
        summary: "Requests of the agent's channels (administrators: all), newest first",
        security: read,
        parameters: [
          query('status', { type: 'string', enum: [...REQUEST_STATUSES] }),
          query('channelId', { type: 'string' }),
          query('category', { type: 'string' }),
          query('priority', { type: 'string', enum: [...REQUEST_PRIORITIES] }),
        ],
        responses: { 200: { description: 'Requests', content: json(RequestListSchema) }, 401: error, 422: error },
      },
    },
    '/api/requests/{id}': {
      get: { summary: 'One request with its replies (404 outside the agent’s channels)', security: read, parameters: [idParam], responses: { 200: detail, 401: error, 404: error } },
    },
    '/api/requests/{id}/status': {
      put: { summary: 'Set the status', security: write, parameters: [idParam], requestBody: { required: true, content: json(RequestStatusInputSchema) }, responses: { 200: detail, 401: error, 403: error, 404: error, 422: error } },
    },
    '/api/requests/{id}/replies': {
      post: {
        summary: 'Answer the customer by e-mail through the outbox (idempotent on replyKey; an open request becomes pending)',
        security: write,
        parameters: [idParam],
        requestBody: { required: true, content: json(RequestReplyInputSchema) },
        responses: { 201: detail, 401: error, 403: error, 404: error, 422: error },
      },
    },
    '/api/chats/{chatId}/requests': {
      post: {
        summary:
          'Make a request from a chat (its agent only): the request carries the conversation, the customer (if they gave an address) gets a confirmation e-mail, and the answer holds a message with the request ID in the chat’s language for the agent to send (idempotent on requestKey)',
        security: write,
        parameters: [{ name: 'chatId', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: { required: true, content: json(ChatRequestInputSchema) },
        responses: { 201: { description: 'The request and the message for the customer', content: json(ChatRequestCreatedSchema) }, 401: error, 403: error, 404: error, 422: error },
      },
    },
  };
}
