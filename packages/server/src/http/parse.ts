import { findTextProblem } from '@loket/protocol';
import { AppError } from '../domain/errors.js';

interface Parser<T> {
  safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey> }> } };
}

/** Validates input against a protocol schema; the first offending field is named for the form. */
export function parse<T>(schema: Parser<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) {
    assertText(result.data);
    return result.data;
  }
  throw new AppError('validation_failed', issueField(result.error.issues[0]?.path));
}

/** The text policy (protocol/text.ts) over every string of a parsed request, HTTP and WebSocket alike. */
export function assertText(value: unknown): void {
  const found = findTextProblem(value);
  if (found) throw new AppError('text_not_allowed', found.path.join('.') || undefined, found.problem);
}

/** The field a schema issue is about (the top-level key): what a form marks. */
export function issueField(path: ReadonlyArray<PropertyKey> | undefined): string | undefined {
  const first = path?.[0];
  return typeof first === 'string' ? first : undefined;
}
