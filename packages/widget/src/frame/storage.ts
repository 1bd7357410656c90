import * as z from 'zod/mini';
import { ChatTokenSchema, ClientMsgIdSchema } from '@loket/protocol';
import type { OutboxItem } from './timeline.js';

/**
 * The visitor's chat, remembered in the frame's own origin (the host page cannot read it) so
 * that a reload of the host page resumes the same chat with its unsent messages.
 */
const StoredSchema = z.object({
  token: ChatTokenSchema,
  chatId: z.string(),
  outbox: z.array(
    z.object({
      clientMsgId: ClientMsgIdSchema,
      body: z.string(),
      at: z.number(),
      seq: z.optional(z.number()),
      confirmed: z.optional(z.boolean()),
    }),
  ),
  /** Highest seq the visitor has had in view, for the unread count. */
  seenSeq: z.number(),
});
export type StoredChat = z.infer<typeof StoredSchema>;

const keyFor = (channel: string): string => `loket.chat.${channel}`;

/**
 * Where the chat is kept. localStorage first. Browsers that block third-party storage (Chrome with
 * third-party cookies blocked, incognito) deny it to this cross-site iframe; there a partitioned
 * cookie (CHIPS) still works, keyed to the host site like partitioned storage. Its path is the frame
 * document itself, so it is sent to Loket only with frame.html, never to the API or the host page.
 * Last resort: memory, so the chat lasts as long as the page.
 */
interface Backend {
  get(key: string): string | null;
  set(key: string, value: string | null): void;
}

const memory = new Map<string, string>();
const memoryBackend: Backend = {
  get: (key) => memory.get(key) ?? null,
  set: (key, value) => void (value === null ? memory.delete(key) : memory.set(key, value)),
};

const COOKIE_LIMIT = 3800;
const cookieBackend: Backend = {
  get(key) {
    const name = `${encodeURIComponent(key)}=`;
    const found = document.cookie.split('; ').find((c) => c.startsWith(name));
    return found ? decodeURIComponent(found.slice(name.length)) : memoryBackend.get(key);
  },
  set(key, value) {
    const attrs = `; Path=${location.pathname}; SameSite=None; Secure; Partitioned`;
    const encoded = value === null ? '' : encodeURIComponent(value);
    if (encoded.length > COOKIE_LIMIT) {
      // A long outbox does not fit a cookie: keep the full record for this page's lifetime.
      memoryBackend.set(key, value);
      return;
    }
    memoryBackend.set(key, null);
    document.cookie = `${encodeURIComponent(key)}=${encoded}${attrs}; Max-Age=${value === null ? 0 : 7 * 86400}`;
  },
};

function pickBackend(): Backend {
  try {
    localStorage.setItem('loket.probe', '1');
    localStorage.removeItem('loket.probe');
    return {
      get: (key) => localStorage.getItem(key),
      set: (key, value) => (value === null ? localStorage.removeItem(key) : localStorage.setItem(key, value)),
    };
  } catch {
    // Denied: see whether a partitioned cookie sticks.
  }
  try {
    document.cookie = `loket.probe=1; Path=${location.pathname}; SameSite=None; Secure; Partitioned; Max-Age=60`;
    if (document.cookie.includes('loket.probe=1')) {
      document.cookie = `loket.probe=; Path=${location.pathname}; SameSite=None; Secure; Partitioned; Max-Age=0`;
      return cookieBackend;
    }
  } catch {
    // Sandboxed without same-origin: no cookies either.
  }
  return memoryBackend;
}

let backend: Backend | null = null;

function read(key: string): string | null {
  backend ??= pickBackend();
  try {
    return backend.get(key);
  } catch {
    return memoryBackend.get(key);
  }
}

function write(key: string, value: string | null): void {
  backend ??= pickBackend();
  try {
    backend.set(key, value);
  } catch {
    memoryBackend.set(key, value);
  }
}

export function loadChat(channel: string): StoredChat | null {
  const raw = read(keyFor(channel));
  if (!raw) return null;
  try {
    const parsed = StoredSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function saveChat(channel: string, chat: StoredChat): void {
  write(keyFor(channel), JSON.stringify(chat));
}

export function updateChat(channel: string, patch: { outbox?: OutboxItem[]; seenSeq?: number }): void {
  const current = loadChat(channel);
  if (current) saveChat(channel, { ...current, ...patch });
}

export function clearChat(channel: string): void {
  write(keyFor(channel), null);
}
