import { describe, expect, it } from 'vitest';
import { INITIAL_STATE, reduce, visibleChats } from '../src/state/reducer.js';
import { agent, summary } from './fixtures.js';

describe('chats leaving my list (docs/collaboration.md)', () => {
  it('chatRemoved drops the chat (transferred away, back to a queue, no longer listened to); unknown ids change nothing', () => {
    let s = reduce(INITIAL_STATE, { type: 'ready', agent, queue: [], chats: [summary('k1'), summary('k2', { agentId: 'someone-else' })] });
    expect(visibleChats(s, 10_000).map((c) => c.id).sort()).toEqual(['k1', 'k2']);
    s = reduce(s, { type: 'chatRemoved', chatId: 'k1' });
    expect(Object.keys(s.chats)).toEqual(['k2']);
    expect(reduce(s, { type: 'chatRemoved', chatId: 'nope' })).toBe(s);
  });
});
