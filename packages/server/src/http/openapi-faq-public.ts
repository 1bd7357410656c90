import {
  AgentFaqSearchSchema,
  ErrorBodySchema,
  FaqDeflectionInputSchema,
  FaqSuggestInputSchema,
  FaqSuggestionsSchema,
  LANGUAGES,
} from '@loket/protocol';
import * as z from 'zod/mini';

type Schema = z.ZodMiniType;
const json = (schema: Schema) => ({ 'application/json': { schema: z.toJSONSchema(schema, { target: 'openapi-3.0' }) } });
const error = { description: 'Error (see docs/errors.md)', content: json(ErrorBodySchema) };

/** FAQ suggestions in the widget and the agents' FAQ search (faq-widget-routes.ts, faq-agent-routes.ts, docs/search.md). */
export function faqPublicPaths(): Record<string, unknown> {
  const keyParam = { name: 'key', in: 'path', required: true, schema: { type: 'string' } };
  return {
    '/api/widget/channels/{key}/faq-suggestions': {
      post: {
        summary: "Up to 3 relevant FAQs for the customer's question (chat window only; empty when the channel has suggestions off or nothing is relevant)",
        parameters: [keyParam],
        requestBody: { required: true, content: json(FaqSuggestInputSchema) },
        responses: { 200: { description: 'Suggestions', content: json(FaqSuggestionsSchema) }, 403: error, 404: error, 422: error, 429: error },
      },
    },
    '/api/widget/channels/{key}/faq-deflections': {
      post: {
        summary: '"This answered my question" for a suggested FAQ (counted once per requestId; 404 for an FAQ the channel could not suggest)',
        parameters: [keyParam],
        requestBody: { required: true, content: json(FaqDeflectionInputSchema) },
        responses: { 204: { description: 'Counted' }, 403: error, 404: error, 422: error, 429: error },
      },
    },
    '/api/faqs/search': {
      get: {
        summary: 'Published FAQs of any visibility for an agent to link from a chat (at most 10)',
        security: [{ session: [] }],
        parameters: [
          { name: 'q', in: 'query', required: true, schema: { type: 'string', maxLength: 2000 } },
          { name: 'language', in: 'query', required: false, schema: { type: 'string', enum: [...LANGUAGES] }, description: 'Absent: every language' },
        ],
        responses: { 200: { description: 'Hits, best first', content: json(AgentFaqSearchSchema) }, 401: error, 422: error },
      },
    },
  };
}
