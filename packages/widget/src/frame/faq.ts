import { FAQ_LIMITS, type FaqSuggestion, type FaqSuggestions } from '@loket/protocol';
import type { ApiResult } from './api.js';

/**
 * The suggestions worth showing before the chat starts. Any failure counts as "nothing relevant": suggestions must
 * never stand between a customer and the queue. Only http(s) links survive (the page opens them), each FAQ once,
 * at most FAQ_LIMITS.suggestions.
 */
export function usableSuggestions(result: ApiResult<FaqSuggestions>): FaqSuggestion[] {
  if (!result.ok) return [];
  const seen = new Set<string>();
  const out: FaqSuggestion[] = [];
  for (const s of result.value.suggestions) {
    if (out.length >= FAQ_LIMITS.suggestions) break;
    if (seen.has(s.id) || !isWebUrl(s.url) || s.question.trim() === '') continue;
    seen.add(s.id);
    out.push(s);
  }
  return out;
}

function isWebUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
