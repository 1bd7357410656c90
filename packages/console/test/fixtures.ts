import type { AgentChatSummary, AgentSelf, ChatEvent, QueueItem } from '@loket/protocol';

export const agent: AgentSelf = {
  id: 'a1',
  name: 'Anna',
  email: 'anna@example.com',
  role: 'agent',
  photoUrl: null,
  presence: 'present',
  channels: [{ id: 'c1', key: 'shop', name: 'Shop', language: 'en' }],
};

export function queueItem(chatId: string, queuedAt: number): QueueItem {
  return { chatId, channelId: 'c1', channelName: 'Shop', visitorName: `V ${chatId}`, question: `Q ${chatId}`, queuedAt };
}

export function summary(id: string, patch: Partial<AgentChatSummary> = {}): AgentChatSummary {
  return {
    id,
    channelId: 'c1',
    channelName: 'Shop',
    status: 'active',
    visitorName: `V ${id}`,
    visitorEmail: 'v@example.com',
    agentId: 'a1',
    queuedAt: 1_000,
    claimedAt: 2_000,
    endedAt: null,
    lastSeq: 3,
    lastMessage: 'hi',
    lastMessageAt: 3_000,
    unread: 0,
    rating: null,
    visitorFields: [],
    visitorReadSeq: 0,
    visitorLeftAt: null,
    ...patch,
  };
}

export function message(seq: number, kind: 'visitor' | 'agent' = 'visitor', body = `m${seq}`): ChatEvent {
  return { seq, kind: 'message', at: seq * 1_000, author: kind === 'agent' ? { kind, id: 'a1', name: 'Anna' } : { kind }, body, clientMsgId: `cmid-${seq}-xyz` };
}
