import { WarningMessageSchema, type WarningMessage } from '@loket/protocol';
import { describe, expect, it } from 'vitest';
import { INITIAL_STATE, reduce, type ConsoleState } from '../src/state/reducer.js';
import { agent, queueItem } from './fixtures.js';

const warning = (chatId: string, level: WarningMessage['level'] = 'agent', waitedSeconds = 30): WarningMessage =>
  WarningMessageSchema.parse({ type: 'warning', level, chatId, channelId: 'c1', channelName: 'Shop', visitorName: 'Mia', waitedSeconds });

function ready(queue = [queueItem('q1', 100), queueItem('q2', 200)]): ConsoleState {
  return reduce(INITIAL_STATE, { type: 'ready', agent, queue, chats: [] });
}

describe('unanswered-chat warnings', () => {
  it('keeps one banner per chat and level, newest last', () => {
    let s = ready();
    s = reduce(s, { type: 'warning', warning: warning('q1') });
    s = reduce(s, { type: 'warning', warning: warning('q2') });
    s = reduce(s, { type: 'warning', warning: warning('q1', 'agent', 31) });
    s = reduce(s, { type: 'warning', warning: warning('q1', 'manager', 90) });
    expect(s.warnings.map((w) => [w.chatId, w.level, w.waitedSeconds])).toEqual([
      ['q2', 'agent', 30],
      ['q1', 'agent', 31],
      ['q1', 'manager', 90],
    ]);
  });

  it('drops the warnings of a chat once it leaves the queue, or when dismissed', () => {
    let s = ready();
    s = reduce(s, { type: 'warning', warning: warning('q1') });
    s = reduce(s, { type: 'warning', warning: warning('q1', 'manager') });
    s = reduce(s, { type: 'warning', warning: warning('q2') });
    s = reduce(s, { type: 'queueRemoved', chatId: 'q1' });
    expect(s.warnings.map((w) => w.chatId)).toEqual(['q2']);
    s = reduce(s, { type: 'dismissWarning', chatId: 'q2' });
    expect(s.warnings).toEqual([]);
  });

  it('forgets warnings about chats no longer waiting in a new snapshot after a reconnect', () => {
    let s = ready();
    s = reduce(s, { type: 'warning', warning: warning('q1') });
    s = reduce(s, { type: 'warning', warning: warning('q2') });
    s = reduce(s, { type: 'ready', agent, queue: [queueItem('q2', 200)], chats: [] });
    expect(s.warnings.map((w) => w.chatId)).toEqual(['q2']);
  });
});
