import * as z from 'zod/mini';
import { FAQ_LIMITS } from './faq-limits.js';
import { IdSchema, LanguageSchema, TimeSchema } from './model.js';

/**
 * The knowledge base: FAQ folders (nested) and FAQs. Administrators edit them under /api/admin/faq*; the public reads
 * them on /help; the widget asks for suggestions; agents search them from a chat. See docs/search.md.
 */

export const FAQ_VISIBILITIES = ['everyone', 'logged_in'] as const;
export const FaqVisibilitySchema = z.enum(FAQ_VISIBILITIES);
export type FaqVisibility = z.infer<typeof FaqVisibilitySchema>;

export const FaqFolderSchema = z.strictObject({
  id: z.string(),
  parentId: z.nullable(z.string()),
  name: z.string(),
  /** FAQs directly in this folder (not its sub-folders). */
  faqCount: z.number().check(z.int(), z.minimum(0)),
});
export type FaqFolder = z.infer<typeof FaqFolderSchema>;

/** POST /api/admin/faq-folders, PUT /api/admin/faq-folders/:id. A folder cannot move under itself. */
export const FaqFolderInputSchema = z.strictObject({
  name: z.string().check(z.maxLength(FAQ_LIMITS.folderName * 4)),
  parentId: z.nullable(IdSchema),
});
export type FaqFolderInput = z.infer<typeof FaqFolderInputSchema>;

export const FaqSchema = z.strictObject({
  id: z.string(),
  folderId: z.nullable(z.string()),
  language: LanguageSchema,
  question: z.string(),
  /** Markdown; rendered safely (no raw HTML, only http(s)/mailto links). */
  answer: z.string(),
  keywords: z.array(z.string()),
  published: z.boolean(),
  visibility: FaqVisibilitySchema,
  /** Absolute URL of its public page (/help/faq/<id>/<slug>), built from PUBLIC_URL. */
  url: z.string(),
  /** Times a customer said this FAQ answered their question in the widget. */
  deflections: z.number().check(z.int(), z.minimum(0)),
  createdAt: TimeSchema,
  updatedAt: TimeSchema,
});
export type Faq = z.infer<typeof FaqSchema>;

/** POST /api/admin/faqs, PUT /api/admin/faqs/:id. */
export const FaqInputSchema = z.strictObject({
  folderId: z.nullable(IdSchema),
  language: LanguageSchema,
  question: z.string().check(z.maxLength(FAQ_LIMITS.question * 4)),
  answer: z.string().check(z.maxLength(FAQ_LIMITS.answer * 4)),
  keywords: z.array(z.string().check(z.maxLength(FAQ_LIMITS.keyword * 4))).check(z.maxLength(FAQ_LIMITS.keywords * 4)),
  published: z.boolean(),
  visibility: FaqVisibilitySchema,
});
export type FaqInput = z.infer<typeof FaqInputSchema>;

/** GET /api/admin/faqs?folderId=&language=&q= (q searches with the same engine, unpublished included). */
export const FaqListSchema = z.strictObject({ faqs: z.array(FaqSchema), folders: z.array(FaqFolderSchema) });
export type FaqList = z.infer<typeof FaqListSchema>;
/**
 * The query of GET /api/admin/faqs. folderId: FAQs directly in that folder ("none": in no folder); published:
 * "true"/"false"; q: ranked search (best first) instead of the usual order by question.
 */
export const FaqListQuerySchema = z.strictObject({
  folderId: z.optional(IdSchema),
  language: z.optional(LanguageSchema),
  published: z.optional(z.enum(['true', 'false'])),
  q: z.optional(z.string().check(z.maxLength(FAQ_LIMITS.suggestQuery * 8))),
});
export type FaqListQuery = z.infer<typeof FaqListQuerySchema>;
/** GET /api/admin/faqs/export?format=json|csv&folderId= (folderId: that folder and its sub-folders only). */
export const FaqExportQuerySchema = z.strictObject({
  format: z.optional(z.enum(['json', 'csv'])),
  folderId: z.optional(IdSchema),
});
export type FaqExportQuery = z.infer<typeof FaqExportQuerySchema>;

/** POST /api/admin/faqs/preview: the answer's Markdown rendered exactly as the public page will show it. */
export const FaqPreviewInputSchema = z.strictObject({ answer: z.string().check(z.maxLength(FAQ_LIMITS.answer * 4)) });
export const FaqPreviewSchema = z.strictObject({ html: z.string() });
export type FaqPreview = z.infer<typeof FaqPreviewSchema>;

/**
 * Bulk import/export (console and the `loket faq` command). JSON: `{ version: 1, folders: [...], faqs: [...] }` with
 * folder paths instead of ids, so a file moves between installations. CSV: one FAQ per row, columns
 * `folder,language,question,answer,keywords,published,visibility` (folder = "Parent/Child", keywords separated by ";").
 */
export const FaqExportRowSchema = z.strictObject({
  /** Folder path, segments joined with "/" ("" = no folder). */
  folder: z.string(),
  language: LanguageSchema,
  question: z.string(),
  answer: z.string(),
  keywords: z.array(z.string()),
  published: z.boolean(),
  visibility: FaqVisibilitySchema,
});
export type FaqExportRow = z.infer<typeof FaqExportRowSchema>;
export const FaqExportFileSchema = z.strictObject({ version: z.literal(1), faqs: z.array(FaqExportRowSchema) });
export type FaqExportFile = z.infer<typeof FaqExportFileSchema>;

/** POST /api/admin/faqs/import: `text` is the file's content. Invalid rows are reported by line; none is stored then. */
export const FaqImportInputSchema = z.strictObject({
  format: z.enum(['json', 'csv']),
  text: z.string().check(z.maxLength(20_000_000)),
});
export type FaqImportInput = z.infer<typeof FaqImportInputSchema>;
export const FaqImportResultSchema = z.strictObject({
  created: z.number().check(z.int(), z.minimum(0)),
  foldersCreated: z.number().check(z.int(), z.minimum(0)),
});
export type FaqImportResult = z.infer<typeof FaqImportResultSchema>;

// ---- agents ----

/** GET /api/faqs/search?q=&language= (agents): published FAQs, any visibility, to link from a chat. */
export const AgentFaqSearchQuerySchema = z.strictObject({
  q: z.string().check(z.maxLength(FAQ_LIMITS.suggestQuery * 4)),
  /** Absent: every language. */
  language: z.optional(LanguageSchema),
});
export type AgentFaqSearchQuery = z.infer<typeof AgentFaqSearchQuerySchema>;
export const AgentFaqHitSchema = z.strictObject({ id: z.string(), question: z.string(), url: z.string(), language: LanguageSchema, visibility: FaqVisibilitySchema });
export type AgentFaqHit = z.infer<typeof AgentFaqHitSchema>;
export const AgentFaqSearchSchema = z.strictObject({ hits: z.array(AgentFaqHitSchema) });
export type AgentFaqSearch = z.infer<typeof AgentFaqSearchSchema>;

/** The readable part of an FAQ page's URL (/help/faq/<id>/<slug>); the id alone decides which FAQ it is. */
export function faqSlug(question: string): string {
  const slug = question
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return slug === '' ? 'faq' : slug;
}

/** Path of an FAQ's public page; callers prefix PUBLIC_URL for an absolute URL. */
export function faqPath(id: string, question: string): string {
  return `/help/faq/${encodeURIComponent(id)}/${faqSlug(question)}`;
}
