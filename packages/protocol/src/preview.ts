import * as z from 'zod/mini';
import { WidgetConfigSchema } from './model.js';

/**
 * The console's live preview: it loads the real chat window (`/widget/frame.html?preview=1`, same origin as the
 * console) and posts the draft settings on every change. In preview the window never connects, stores nothing,
 * and shows sample content for the chosen view.
 */
export const PREVIEW_VIEWS = ['prechat', 'question', 'queue', 'chat', 'offline', 'postchat'] as const;
export const PreviewViewSchema = z.enum(PREVIEW_VIEWS);
export type PreviewView = z.infer<typeof PreviewViewSchema>;

export const WidgetPreviewMessageSchema = z.strictObject({
  loket: z.literal(1),
  type: z.literal('preview'),
  view: PreviewViewSchema,
  config: WidgetConfigSchema,
});
export type WidgetPreviewMessage = z.infer<typeof WidgetPreviewMessageSchema>;

/** The preview tells the console it is ready (its code loads after the frame), so the console posts the settings. */
export const WidgetPreviewReadySchema = z.strictObject({ loket: z.literal(1), type: z.literal('preview-ready') });
export type WidgetPreviewReady = z.infer<typeof WidgetPreviewReadySchema>;
