import type { ComposeSnippet } from '@loket/protocol';
import { describe, expect, it } from 'vitest';
import { filterSnippets, slashQuery } from '../src/state/snippets.js';

describe('the / picker', () => {
  it('opens only for a /word that starts a word, up to the caret', () => {
    expect(slashQuery('/', 1)).toEqual({ start: 0, query: '' });
    expect(slashQuery('/tha', 4)).toEqual({ start: 0, query: 'tha' });
    expect(slashQuery('Hi there /tha', 13)).toEqual({ start: 9, query: 'tha' });
    expect(slashQuery('line one\n/x', 11)).toEqual({ start: 9, query: 'x' });
    // The caret in the middle of the word: the part before it counts.
    expect(slashQuery('/thanks', 3)).toEqual({ start: 0, query: 'th' });
    expect(slashQuery('and/or', 6)).toBeNull();
    expect(slashQuery('https://shop.example', 20)).toBeNull();
    expect(slashQuery('/thanks done', 12)).toBeNull();
    expect(slashQuery('', 0)).toBeNull();
  });

  const s = (kind: ComposeSnippet['kind'], label: string, text: string): ComposeSnippet => ({ kind, id: `${kind}-${label}`, label, text });
  const all = [s('personal', 'thanks', 'Thank you!'), s('personal', 'hello', 'Hello there'), s('channel', 'opening-hours', 'We are open 9–17.'), s('template', 'Shipping', 'Your parcel ships today; thanks for waiting.')];

  it('lists every entry in order for a bare /, and what matches otherwise: shortcut start, shortcut, then text', () => {
    expect(filterSnippets(all, '').map((x) => x.label)).toEqual(['thanks', 'hello', 'opening-hours', 'Shipping']);
    expect(filterSnippets(all, 'TH').map((x) => x.label)).toEqual(['thanks', 'hello', 'Shipping']);
    expect(filterSnippets(all, 'hours').map((x) => x.label)).toEqual(['opening-hours']);
    expect(filterSnippets(all, 'zzz')).toEqual([]);
  });
});
