import {
  AgentChatSummarySchema,
  ErrorBodySchema,
  OngoingChatsResultSchema,
  TransferInputSchema,
  TransferResultSchema,
  TransferTargetsResultSchema,
  TransferToChannelInputSchema,
} from '@loket/protocol';
import * as z from 'zod/mini';

type Schema = z.ZodMiniType;
const json = (schema: Schema) => ({ 'application/json': { schema: z.toJSONSchema(schema, { target: 'openapi-3.0' }) } });
const error = { description: 'Error (see docs/errors.md)', content: json(ErrorBodySchema) };

/** Working together on a chat (collaboration-routes.ts, docs/collaboration.md); the console uses the socket's frames. */
export function collaborationPaths(): Record<string, unknown> {
  const read = [{ session: [] }];
  const write = [{ session: [], csrf: [] }];
  const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
  const claimed = { description: 'The chat, now the caller’s', content: json(z.strictObject({ chat: AgentChatSummarySchema })) };
  const done = { description: 'Done' };
  return {
    '/api/chats/ongoing': {
      get: {
        summary: 'Ongoing chats of others in the channels where the agent may listen in (or manages; administrators: all), with their agent',
        security: read,
        responses: { 200: { description: 'Chats', content: json(OngoingChatsResultSchema) }, 401: error },
      },
    },
    '/api/chats/{id}/transfer-targets': {
      get: {
        summary: 'Present agents of the chat’s channel who may respond, with their active chats; channels the agent may send it to (owner or manager)',
        security: read,
        parameters: [idParam],
        responses: { 200: { description: 'Targets', content: json(TransferTargetsResultSchema) }, 401: error, 403: error, 404: error },
      },
    },
    '/api/chats/{id}/transfers': {
      post: {
        summary: 'Offer the chat to another agent (owner or manager); withdrawn after 60 s unanswered',
        security: write,
        parameters: [idParam],
        requestBody: { required: true, content: json(TransferInputSchema) },
        responses: { 201: { description: 'The pending transfer', content: json(TransferResultSchema) }, 401: error, 403: error, 404: error, 409: error, 422: error },
      },
    },
    '/api/transfers/{id}/accept': {
      post: { summary: 'The receiver accepts: the chat becomes theirs', security: write, parameters: [idParam], responses: { 200: claimed, 401: error, 404: error, 409: error } },
    },
    '/api/transfers/{id}/reject': {
      post: { summary: 'The receiver rejects', security: write, parameters: [idParam], responses: { 204: done, 401: error, 404: error, 409: error } },
    },
    '/api/transfers/{id}/cancel': {
      post: { summary: 'The sender withdraws a pending transfer', security: write, parameters: [idParam], responses: { 204: done, 401: error, 404: error, 409: error } },
    },
    '/api/chats/{id}/transfer-to-channel': {
      post: {
        summary: 'Back into a channel’s queue (one the agent may respond in), at the front, keeping the time waited',
        security: write,
        parameters: [idParam],
        requestBody: { required: true, content: json(TransferToChannelInputSchema) },
        responses: { 204: done, 401: error, 403: error, 404: error, 409: error, 422: error },
      },
    },
    '/api/chats/{id}/take-over': {
      post: { summary: 'A manager of the chat’s channel takes an ongoing chat over; its agent is told', security: write, parameters: [idParam], responses: { 200: claimed, 401: error, 403: error, 404: error, 409: error } },
    },
  };
}
