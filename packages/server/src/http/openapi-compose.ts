import { ComposeSnippetListSchema, ErrorBodySchema, FaqAnswerSchema, QuickReplyInputSchema, QuickReplyListSchema, QuickReplySchema } from '@loket/protocol';
import * as z from 'zod/mini';

type Schema = z.ZodMiniType;
const json = (schema: Schema) => ({ 'application/json': { schema: z.toJSONSchema(schema, { target: 'openapi-3.0' }) } });
const error = { description: 'Error (see docs/errors.md)', content: json(ErrorBodySchema) };

/** Composing: quick replies and the composer's `/` picker (quick-reply-routes.ts, docs/quick-replies.md). */
export function composePaths(): Record<string, unknown> {
  const read = [{ session: [] }];
  const write = [{ session: [], csrf: [] }];
  const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
  const one = { description: 'The quick reply', content: json(QuickReplySchema) };
  return {
    '/api/quick-replies': {
      get: { summary: "My personal quick replies and the shared ones of my channels (administrators: all channels')", security: read, responses: { 200: { description: 'Quick replies', content: json(QuickReplyListSchema) }, 401: error } },
      post: {
        summary: 'A personal quick reply (channelId null) or a shared one of a channel (its managers and administrators)',
        security: write,
        requestBody: { required: true, content: json(QuickReplyInputSchema) },
        responses: { 201: one, 401: error, 403: error, 404: error, 409: error, 422: error },
      },
    },
    '/api/quick-replies/{id}': {
      put: {
        summary: 'Change shortcut and text (channelId must stay as it is)',
        security: write,
        parameters: [idParam],
        requestBody: { required: true, content: json(QuickReplyInputSchema) },
        responses: { 200: one, 401: error, 403: error, 404: error, 409: error, 422: error },
      },
      delete: { summary: 'Delete it', security: write, parameters: [idParam], responses: { 204: { description: 'Deleted' }, 401: error, 403: error, 404: error } },
    },
    '/api/chats/{id}/snippets': {
      get: {
        summary: "The composer's `/` picker for a chat: my quick replies, the channel's shared ones and the reply templates in its language, filled for the chat",
        security: read,
        parameters: [idParam],
        responses: { 200: { description: 'Snippets, texts filled', content: json(ComposeSnippetListSchema) }, 401: error, 404: error },
      },
    },
    '/api/widget/faqs/{id}': {
      get: {
        summary: 'An FAQ linked in a chat (card and answer in the chat window and the console); public like /help: published FAQs visible to everyone, others 404',
        parameters: [idParam],
        responses: { 200: { description: 'Title and rendered answer', content: json(FaqAnswerSchema) }, 404: error },
      },
    },
  };
}
