import type { WidgetConfig } from '@loket/protocol';

/** What the pre-chat form asks, apart from the form itself: that is a chunk of its own (components/PrechatForm.tsx). */

export interface VisitorDetails {
  name: string;
  email: string;
  phone: string;
  company: string;
  fields: Record<string, string | boolean>;
}

export type Builtin = 'name' | 'email' | 'phone' | 'company';
export const BUILTINS: readonly Builtin[] = ['name', 'email', 'phone', 'company'];

/** Off, or nothing to ask: the visitor goes straight to the question (anonymously when off). */
export function needsPrechatForm(config: WidgetConfig): boolean {
  const p = config.prechat;
  return p.enabled && (BUILTINS.some((b) => p[b] !== 'off') || p.fields.length > 0 || p.message.trim() !== '');
}
