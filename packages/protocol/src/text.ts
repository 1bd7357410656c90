/**
 * The one text policy for everything people type (issue 14): what the server accepts and both
 * clients can check before sending.
 *
 * - Everywhere: no C0 or C1 control characters except tab, line feed and carriage return (so no NUL,
 *   no escape sequences), and no lone surrogates — they cannot be stored as they are, and changing
 *   them silently would store something the sender did not write.
 * - In one-line fields (names): also no tab or line breaks, and no bidirectional embedding, override
 *   or isolate controls, which would reverse the text around a name wherever it is shown.
 */
export type TextProblem = 'control' | 'surrogate' | 'bidi';

// eslint-disable-next-line no-control-regex -- matching control characters is the point.
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
// eslint-disable-next-line no-control-regex -- as above, plus tab and line breaks for one-line fields.
const LINE_CONTROLS = /[\u0000-\u001F\u007F-\u009F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/;

export function textProblem(value: string, kind: 'text' | 'line'): TextProblem | null {
  if (LONE_SURROGATE.test(value)) return 'surrogate';
  if ((kind === 'line' ? LINE_CONTROLS : CONTROLS).test(value)) return 'control';
  if (kind === 'line' && BIDI_CONTROLS.test(value)) return 'bidi';
  return null;
}

/** The first string anywhere in `value` (a parsed request) that breaks the policy for free text, with its path. */
export function findTextProblem(value: unknown, path: string[] = []): { path: string[]; problem: TextProblem } | null {
  if (typeof value === 'string') {
    const problem = textProblem(value, 'text');
    return problem ? { path, problem } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findTextProblem(value[i], [...path, String(i)]);
      if (found) return found;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const found = findTextProblem(item, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}
