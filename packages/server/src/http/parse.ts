import { AppError } from '../domain/errors.js';

interface Parser<T> {
  safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey> }> } };
}

/** Validates input against a protocol schema; the first offending field is named for the form. */
export function parse<T>(schema: Parser<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const first = result.error.issues[0]?.path[0];
  throw new AppError('validation_failed', typeof first === 'string' ? first : undefined);
}
