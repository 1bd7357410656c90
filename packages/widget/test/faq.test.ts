import { FAQ_LIMITS, FaqDeflectionInputSchema, type FaqSuggestion } from '@loket/protocol';
import { describe, expect, it } from 'vitest';
import type { ApiResult } from '../src/frame/api.js';
import { usableSuggestions } from '../src/frame/faq.js';
import { newClientMsgId } from '../src/frame/ids.js';

const faq = (id: string, url = `https://help.example/help/faq/${id}/x`, question = `Question ${id}`): FaqSuggestion => ({ id, question, url });
const ok = (suggestions: FaqSuggestion[]): ApiResult<{ suggestions: FaqSuggestion[] }> => ({ ok: true, value: { suggestions } });

describe('usableSuggestions', () => {
  it('keeps the server order, at most the suggestion limit', () => {
    const many = ['a', 'b', 'c', 'd', 'e'].map((id) => faq(id));
    expect(usableSuggestions(ok(many)).map((s) => s.id)).toEqual(['a', 'b', 'c'].slice(0, FAQ_LIMITS.suggestions));
  });

  it('turns any failure into "nothing relevant", so the chat starts', () => {
    const failed: ApiResult<{ suggestions: FaqSuggestion[] }> = {
      ok: false,
      error: { code: 'unavailable', message: 'down', field: undefined, retryable: true },
    };
    expect(usableSuggestions(failed)).toEqual([]);
    expect(usableSuggestions(ok([]))).toEqual([]);
  });

  it('drops links that are not http(s), blank questions and repeats, filling up from the rest', () => {
    const result = usableSuggestions(
      ok([
        faq('x', 'javascript:alert(1)'),
        faq('y', 'not a url'),
        faq('z', 'data:text/html,<b>hi</b>'),
        faq('a'),
        faq('a'),
        faq('b', 'http://localhost:8080/help/faq/b/y'),
        faq('c', undefined, '   '),
        faq('d'),
      ]),
    );
    expect(result.map((s) => s.id)).toEqual(['a', 'b', 'd']);
  });
});

describe('deflection request ids', () => {
  it('are accepted by the protocol', () => {
    expect(FaqDeflectionInputSchema.safeParse({ faqId: 'faq1', requestId: newClientMsgId() }).success).toBe(true);
  });
});
