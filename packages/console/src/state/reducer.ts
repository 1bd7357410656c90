import type { AgentChatSummary, AgentSelf, ChatEvent, Presence, QueueItem } from '@loket/protocol';
import { EMPTY_THREAD, mergeEvents, type Thread } from './thread.js';

/** How long an ended chat stays in the agent's list (SPEC: "recently ended ones (last 8 hours)"). */
export const RECENT_ENDED_MS = 8 * 60 * 60 * 1000;
/** A typing:true that is not renewed (or cancelled) within this time is considered stale. */
export const TYPING_STALE_MS = 8_000;

export interface ConsoleState {
  agent: AgentSelf | null;
  presence: Presence;
  /** Waiting chats of my channels, oldest first. */
  queue: QueueItem[];
  /** My ongoing and recently ended chats, keyed by chat id. */
  chats: Record<string, AgentChatSummary>;
  /** Chat logs seen so far; kept across reconnects because a log only ever grows. */
  threads: Record<string, Thread>;
}

export const INITIAL_STATE: ConsoleState = { agent: null, presence: 'away', queue: [], chats: {}, threads: {} };

/**
 * Everything that changes the console's data. Server frames keep their wire shape; local
 * actions are the things the UI knows before the server confirms them.
 */
export type Action =
  | { type: 'ready'; agent: AgentSelf; queue: QueueItem[]; chats: AgentChatSummary[] }
  | { type: 'queueAdded'; item: QueueItem }
  | { type: 'queueRemoved'; chatId: string }
  | { type: 'chatSummary'; chat: AgentChatSummary }
  | { type: 'presence'; presence: Presence }
  | { type: 'events'; chatId: string; events: ChatEvent[] }
  | { type: 'typing'; chatId: string; typing: boolean; at: number }
  | { type: 'typingExpired'; now: number }
  | { type: 'localRead'; chatId: string }
  | { type: 'signedOut' };

function byQueuedAt(a: QueueItem, b: QueueItem): number {
  return a.queuedAt - b.queuedAt || a.chatId.localeCompare(b.chatId);
}

export function reduce(state: ConsoleState, action: Action): ConsoleState {
  switch (action.type) {
    case 'ready': {
      // The snapshot is the truth: anything missing from it is gone (claimed, or ended long ago).
      const chats: Record<string, AgentChatSummary> = {};
      for (const c of action.chats) chats[c.id] = c;
      const threads: Record<string, Thread> = {};
      for (const [id, t] of Object.entries(state.threads)) threads[id] = { ...t, visitorTyping: false };
      return { agent: action.agent, presence: action.agent.presence, queue: [...action.queue].sort(byQueuedAt), chats, threads };
    }
    case 'queueAdded': {
      const queue = state.queue.filter((q) => q.chatId !== action.item.chatId);
      queue.push(action.item);
      return { ...state, queue: queue.sort(byQueuedAt) };
    }
    case 'queueRemoved': {
      if (!state.queue.some((q) => q.chatId === action.chatId)) return state;
      return { ...state, queue: state.queue.filter((q) => q.chatId !== action.chatId) };
    }
    case 'chatSummary': {
      const current = state.chats[action.chat.id];
      // Summaries can cross on the wire; never let an older one roll the log position back.
      if (current && current.lastSeq > action.chat.lastSeq) return state;
      const chats = { ...state.chats, [action.chat.id]: action.chat };
      // A chat I hold is no longer waiting, whatever order queueRemoved arrives in.
      const queue = action.chat.status === 'waiting' ? state.queue : state.queue.filter((q) => q.chatId !== action.chat.id);
      return { ...state, chats, queue };
    }
    case 'presence':
      return state.presence === action.presence ? state : { ...state, presence: action.presence };
    case 'events': {
      const thread = mergeEvents(state.threads[action.chatId] ?? EMPTY_THREAD, action.events);
      let chats = state.chats;
      const summary = chats[action.chatId];
      const ended = action.events.find((e) => e.kind === 'ended');
      if (summary && ended && summary.status !== 'ended') {
        // The server follows up with a chatSummary; this just stops the composer at once.
        chats = { ...chats, [action.chatId]: { ...summary, status: 'ended', endedAt: summary.endedAt ?? ended.at } };
      }
      if (thread === state.threads[action.chatId] && chats === state.chats) return state;
      return { ...state, chats, threads: { ...state.threads, [action.chatId]: thread } };
    }
    case 'typing': {
      const thread = state.threads[action.chatId] ?? EMPTY_THREAD;
      return { ...state, threads: { ...state.threads, [action.chatId]: { ...thread, visitorTyping: action.typing, visitorTypingAt: action.at } } };
    }
    case 'typingExpired': {
      let changed = false;
      const threads: Record<string, Thread> = {};
      for (const [id, t] of Object.entries(state.threads)) {
        if (t.visitorTyping && action.now - t.visitorTypingAt > TYPING_STALE_MS) {
          threads[id] = { ...t, visitorTyping: false };
          changed = true;
        } else threads[id] = t;
      }
      return changed ? { ...state, threads } : state;
    }
    case 'localRead': {
      const summary = state.chats[action.chatId];
      if (!summary || summary.unread === 0) return state;
      return { ...state, chats: { ...state.chats, [action.chatId]: { ...summary, unread: 0 } } };
    }
    case 'signedOut':
      return INITIAL_STATE;
  }
}

/** Ongoing chats first (latest activity on top), then chats ended within the last 8 hours. */
export function visibleChats(state: ConsoleState, now: number): AgentChatSummary[] {
  const activity = (c: AgentChatSummary) => c.lastMessageAt ?? c.claimedAt ?? c.queuedAt;
  const all = Object.values(state.chats);
  const ongoing = all.filter((c) => c.status !== 'ended').sort((a, b) => activity(b) - activity(a));
  const ended = all
    .filter((c) => c.status === 'ended' && now - (c.endedAt ?? activity(c)) <= RECENT_ENDED_MS)
    .sort((a, b) => (b.endedAt ?? 0) - (a.endedAt ?? 0));
  return [...ongoing, ...ended];
}
