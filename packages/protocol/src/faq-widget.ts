import * as z from 'zod/mini';
import { FAQ_LIMITS } from './faq-limits.js';
import { IdSchema } from './model.js';

/**
 * The widget's part of the knowledge base, in a module of its own: bundlers keep a module's top-level schema
 * statements once anything of it is imported, and the chat window must not carry the administrators' schemas.
 */

/** POST /api/widget/channels/:key/faq-suggestions (chat window only). Empty when the channel has suggestions off. */
export const FaqSuggestInputSchema = z.strictObject({ question: z.string().check(z.maxLength(FAQ_LIMITS.suggestQuery * 8)) });
export type FaqSuggestInput = z.infer<typeof FaqSuggestInputSchema>;
export const FaqSuggestionSchema = z.strictObject({ id: z.string(), question: z.string(), url: z.string() });
export type FaqSuggestion = z.infer<typeof FaqSuggestionSchema>;
export const FaqSuggestionsSchema = z.strictObject({ suggestions: z.array(FaqSuggestionSchema) });
export type FaqSuggestions = z.infer<typeof FaqSuggestionsSchema>;

/** POST /api/widget/channels/:key/faq-deflections: "This answered my question". Counted once per requestId. */
export const FaqDeflectionInputSchema = z.strictObject({
  faqId: IdSchema,
  /** Widget-generated, so a resend after a lost answer is not counted twice. */
  requestId: z.string().check(z.regex(/^[A-Za-z0-9_-]{8,64}$/)),
});
export type FaqDeflectionInput = z.infer<typeof FaqDeflectionInputSchema>;

/**
 * GET /api/widget/faqs/:id: one FAQ an agent linked in a chat, for the card and the answer shown inside the chat window
 * (and the console's card). Public like the /help pages: only published FAQs visible to everyone; others are 404.
 * `html` is the answer rendered by the server's Markdown renderer, the same as on its /help page.
 */
export const FaqAnswerSchema = z.strictObject({ id: z.string(), question: z.string(), language: z.string(), html: z.string(), url: z.string() });
export type FaqAnswer = z.infer<typeof FaqAnswerSchema>;
