import type { AgentChatSummary, AgentSelf, ChatEvent, Presence, QueueItem, WarningMessage } from '@loket/protocol';
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
  /** "Back to chat": my ended chats whose customer went back, newest last; one per chat until dismissed or opened. */
  reopened: ReopenNotice[];
  /** Unanswered-chat warnings, newest last; one per chat and level, gone once the chat leaves the queue. */
  warnings: WarningMessage[];
}

export interface ReopenNotice {
  chatId: string;
  visitorName: string;
  /** When it happened (the event's time, or the client's when only the summary told us). */
  at: number;
}

export const INITIAL_STATE: ConsoleState = { agent: null, presence: 'away', queue: [], chats: {}, threads: {}, reopened: [], warnings: [] };

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
  | { type: 'dismissReopened'; chatId: string }
  | { type: 'warning'; warning: WarningMessage }
  | { type: 'dismissWarning'; chatId: string }
  | { type: 'signedOut' }
  /** The chat left my list (transferred away, back to a queue, or I stopped listening). */
  | { type: 'chatRemoved'; chatId: string };

function byQueuedAt(a: QueueItem, b: QueueItem): number {
  return a.queuedAt - b.queuedAt || a.chatId.localeCompare(b.chatId);
}

function addNotice(notices: ReopenNotice[], notice: ReopenNotice): ReopenNotice[] {
  if (notices.some((n) => n.chatId === notice.chatId)) return notices;
  return [...notices, notice];
}

/** An ended chat of mine that is ongoing again: its customer went back ("Back to chat"). */
function cameBack(before: AgentChatSummary | undefined, after: AgentChatSummary, me: string | undefined): boolean {
  return before?.status === 'ended' && after.status === 'active' && me !== undefined && after.agentId === me;
}

export function reduce(state: ConsoleState, action: Action): ConsoleState {
  switch (action.type) {
    case 'ready': {
      // The snapshot is the truth: anything missing from it is gone (claimed, or ended long ago).
      const chats: Record<string, AgentChatSummary> = {};
      for (const c of action.chats) chats[c.id] = c;
      const threads: Record<string, Thread> = {};
      for (const [id, t] of Object.entries(state.threads)) threads[id] = { ...t, visitorTyping: false };
      // A chat that ended before the connection dropped and is ongoing in the new snapshot was reopened meanwhile.
      let reopened = state.reopened;
      for (const c of action.chats) {
        if (cameBack(state.chats[c.id], c, action.agent.id)) reopened = addNotice(reopened, { chatId: c.id, visitorName: c.visitorName, at: Date.now() });
      }
      // A warning about a chat that stopped waiting while the connection was down is stale.
      const warnings = state.warnings.filter((w) => action.queue.some((q) => q.chatId === w.chatId));
      return { agent: action.agent, presence: action.agent.presence, queue: [...action.queue].sort(byQueuedAt), chats, threads, reopened, warnings };
    }
    case 'queueAdded': {
      const queue = state.queue.filter((q) => q.chatId !== action.item.chatId);
      queue.push(action.item);
      return { ...state, queue: queue.sort(byQueuedAt) };
    }
    case 'queueRemoved': {
      if (!state.queue.some((q) => q.chatId === action.chatId) && !state.warnings.some((w) => w.chatId === action.chatId)) return state;
      // Someone took the chat (or it ended): its warnings have been answered.
      return { ...state, queue: state.queue.filter((q) => q.chatId !== action.chatId), warnings: state.warnings.filter((w) => w.chatId !== action.chatId) };
    }
    case 'chatSummary': {
      const current = state.chats[action.chat.id];
      // Summaries can cross on the wire; never let an older one roll the log position back.
      if (current && current.lastSeq > action.chat.lastSeq) return state;
      const chats = { ...state.chats, [action.chat.id]: action.chat };
      // A chat I hold is no longer waiting, whatever order queueRemoved arrives in.
      const queue = action.chat.status === 'waiting' ? state.queue : state.queue.filter((q) => q.chatId !== action.chat.id);
      // The summary can be the first (or only) sign of "Back to chat", e.g. when the chat's events are not followed.
      const reopened = cameBack(current, action.chat, state.agent?.id)
        ? addNotice(state.reopened, { chatId: action.chat.id, visitorName: action.chat.visitorName, at: Date.now() })
        : state.reopened;
      return { ...state, chats, queue, reopened };
    }
    case 'presence':
      return state.presence === action.presence ? state : { ...state, presence: action.presence };
    case 'events': {
      const before = state.threads[action.chatId] ?? EMPTY_THREAD;
      const thread = mergeEvents(before, action.events);
      if (thread === before) return state;
      let chats = state.chats;
      let reopened = state.reopened;
      const summary = chats[action.chatId];
      // Only events beyond what the summary reflects are news; older ones are history (a chat can end,
      // be reopened and end again, and its log is replayed on open, so an old 'ended' must not end it now).
      const news = summary ? action.events.filter((e) => e.seq > summary.lastSeq && !before.events.some((b) => b.seq === e.seq)) : [];
      const lifecycle = news.filter((e) => e.kind === 'ended' || e.kind === 'reopened').sort((a, b) => a.seq - b.seq).at(-1);
      if (summary && lifecycle?.kind === 'ended' && summary.status !== 'ended') {
        // The server follows up with a chatSummary; this just stops the composer at once.
        chats = { ...chats, [action.chatId]: { ...summary, status: 'ended', endedAt: summary.endedAt ?? lifecycle.at } };
      }
      if (summary && lifecycle?.kind === 'reopened' && state.agent && summary.agentId === state.agent.id) {
        // Active again with me, or back in the queue when I am away: the chatSummary / queueAdded that follow say which.
        reopened = addNotice(reopened, { chatId: action.chatId, visitorName: summary.visitorName || lifecycle.author.name || '', at: lifecycle.at });
      }
      return { ...state, chats, reopened, threads: { ...state.threads, [action.chatId]: thread } };
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
    case 'dismissReopened': {
      if (!state.reopened.some((n) => n.chatId === action.chatId)) return state;
      return { ...state, reopened: state.reopened.filter((n) => n.chatId !== action.chatId) };
    }
    case 'warning': {
      const w = action.warning;
      const others = state.warnings.filter((x) => !(x.chatId === w.chatId && x.level === w.level));
      return { ...state, warnings: [...others, w] };
    }
    case 'dismissWarning': {
      if (!state.warnings.some((w) => w.chatId === action.chatId)) return state;
      return { ...state, warnings: state.warnings.filter((w) => w.chatId !== action.chatId) };
    }
    case 'signedOut':
      return INITIAL_STATE;
    case 'chatRemoved': {
      if (!state.chats[action.chatId]) return state;
      const chats = { ...state.chats };
      delete chats[action.chatId];
      return { ...state, chats };
    }
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
