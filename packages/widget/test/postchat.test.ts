import { ERROR_CODES, LIMITS, type ChatEvent, type PostchatConfig, type VisitorChat } from '@loket/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AGENT_ONLY_CODES, ERROR_KEYS, errorText, loadTranslator } from '../src/frame/i18n.js';
import { postchatView, transcriptAddressError } from '../src/frame/postchat.js';
import { NO_ANSWER, Requests } from '../src/frame/requests.js';
import { ChatSession, endedAfter } from '../src/frame/session.js';
import { addEvents, emptyTimeline } from '../src/frame/timeline.js';

const chat = (patch: Partial<VisitorChat> = {}): VisitorChat => ({
  id: 'c1',
  channelKey: 'shop',
  status: 'ended',
  visitorName: 'Carla',
  agent: null,
  queue: null,
  lastSeq: 3,
  agentReadSeq: 0,
  rating: null,
  transcripts: 0,
  visitorEmail: 'carla@example.com',
  ...patch,
});
const event = (seq: number, kind: ChatEvent['kind']): ChatEvent => ({
  seq,
  kind,
  at: 1000 + seq,
  author: { kind: kind === 'reopened' ? 'visitor' : 'system' },
  ...(kind === 'message' ? { body: `m${seq}` } : {}),
});

describe('Requests (rid → ok/error)', () => {
  afterEach(() => vi.useRealTimers());

  it('settles each request once, by its rid', async () => {
    const r = new Requests();
    const a = r.add();
    const b = r.add();
    expect(a.rid).not.toBe(b.rid);
    expect(r.settle(b.rid, { code: 'transcript_limit', message: 'x', retryable: false })).toBe(true);
    expect(r.settle(a.rid, null)).toBe(true);
    expect(r.settle(a.rid, null)).toBe(false);
    expect(r.settle('other', null)).toBe(false);
    expect(r.settle(undefined, null)).toBe(false);
    await expect(a.outcome).resolves.toBeNull();
    await expect(b.outcome).resolves.toMatchObject({ code: 'transcript_limit' });
    expect(r.size).toBe(0);
  });

  it('fails every open request when the socket drops', async () => {
    const r = new Requests();
    const a = r.add();
    const b = r.add();
    r.failAll();
    await expect(a.outcome).resolves.toBe(NO_ANSWER);
    await expect(b.outcome).resolves.toBe(NO_ANSWER);
    expect(NO_ANSWER.retryable).toBe(true);
    expect(r.settle(a.rid, null)).toBe(false);
  });

  it('gives up after the timeout and ignores the late answer', async () => {
    vi.useFakeTimers();
    const r = new Requests(1000);
    const a = r.add();
    vi.advanceTimersByTime(999);
    expect(r.size).toBe(1);
    vi.advanceTimersByTime(1);
    await expect(a.outcome).resolves.toBe(NO_ANSWER);
    expect(r.settle(a.rid, null)).toBe(false);
  });
});

describe('endedAfter', () => {
  const t = addEvents(emptyTimeline, [event(1, 'message'), event(2, 'ended'), event(3, 'reopened'), event(4, 'message'), event(5, 'ended')]);
  it('takes the latest ended/reopened event after the chat state', () => {
    expect(endedAfter(t, 0)).toBe(true);
    expect(endedAfter(t, 4)).toBe(true);
    expect(endedAfter(t, 5)).toBeNull();
    expect(endedAfter(addEvents(emptyTimeline, [event(2, 'ended'), event(3, 'reopened')]), 1)).toBe(false);
    // Already reflected by the chat state: not decisive.
    expect(endedAfter(addEvents(emptyTimeline, [event(2, 'ended')]), 2)).toBeNull();
  });
});

describe('postchatView', () => {
  const on: PostchatConfig = { enabled: true, header: '', message: '', rating: true, transcript: true };
  it('shows nothing while the chat goes on or when the form is off', () => {
    expect(postchatView(on, chat({ status: 'active' }), false)).toBeNull();
    expect(postchatView({ ...on, enabled: false }, chat(), true)).toBeNull();
  });
  it('asks for a rating, or thanks for the one given (after a reload too)', () => {
    expect(postchatView(on, chat(), true)?.rating).toBe(0);
    expect(postchatView(on, chat({ rating: { score: 4, comment: '', at: 1 } }), true)?.rating).toBe(4);
    expect(postchatView({ ...on, rating: false }, chat(), true)?.rating).toBeNull();
  });
  it('offers transcripts until the per-chat cap', () => {
    const cap = LIMITS.transcriptsPerChat;
    expect(postchatView(on, chat({ transcripts: cap - 1 }), true)?.transcript).toBe(true);
    expect(postchatView(on, chat({ transcripts: cap }), true)?.transcript).toBe(false);
    // Sent here, before the chat state with the new count arrived.
    expect(postchatView(on, chat({ transcripts: 0 }), true, cap)?.transcript).toBe(false);
    expect(postchatView({ ...on, transcript: false }, chat(), true)?.transcript).toBe(false);
  });
});

describe('transcriptAddressError', () => {
  it('checks the address before sending', () => {
    expect(transcriptAddressError('  ', [])).toBe('errRequired');
    expect(transcriptAddressError('carla@', [])).toBe('errEmailInvalid');
    expect(transcriptAddressError(`${'a'.repeat(65)}@example.com`, [])).toBe('errEmailTooLong');
    expect(transcriptAddressError(' carla@example.com ', [])).toBeNull();
    expect(transcriptAddressError('Carla@Example.com', ['carla@example.com'])).toBe('transcriptAgain');
    expect(transcriptAddressError('other@example.com', ['carla@example.com'])).toBeNull();
  });
});

describe('error texts', () => {
  const agentOnly = new Set<string>(AGENT_ONLY_CODES);
  it('has the widget’s own text for every code a visitor can get', async () => {
    for (const code of ERROR_CODES) {
      if (agentOnly.has(code)) continue;
      expect(code in ERROR_KEYS, code).toBe(true);
    }
    const de = await loadTranslator('de');
    expect(errorText(de, 'transcript_limit', 'No more transcripts')).toBe(de('errTranscriptLimit'));
    expect(errorText(de, 'network', '')).toBe(de('errNetwork'));
    expect(errorText(de, 'queue_empty', 'server text')).toBe('server text');
  });
});

/** Just enough of a browser WebSocket for Connection. */
class FakeSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static all: FakeSocket[] = [];
  readyState = FakeSocket.CONNECTING;
  sent: Record<string, unknown>[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: ((e: { code: number }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close(): void {
    this.readyState = 3;
  }
  open(): void {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
  }
  receive(m: unknown): void {
    this.onmessage?.({ data: JSON.stringify(m) });
  }
  drop(): void {
    this.readyState = 3;
    this.onclose?.({ code: 1006 });
  }
  last(type: string): Record<string, unknown> | undefined {
    return this.sent.filter((m) => m.type === type).pop();
  }
}

describe('ChatSession post-chat requests', () => {
  let session: ChatSession;
  let ws: FakeSocket;

  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.all = [];
    vi.stubGlobal('WebSocket', FakeSocket);
    vi.stubGlobal('location', { protocol: 'http:', host: 'loket.test' });
    vi.stubGlobal('window', { addEventListener: () => undefined, removeEventListener: () => undefined });
    vi.stubGlobal('navigator', { language: 'nl-NL' });
    session = new ChatSession({ channel: 'shop', token: 'x'.repeat(43), chat: null, outbox: [], onUnauthorized: () => undefined, onRejected: () => undefined });
    session.start();
    ws = FakeSocket.all[0]!;
    ws.open();
    ws.receive({ type: 'chat', chat: chat() });
    for (const seq of [1, 2]) ws.receive({ type: 'event', chatId: 'c1', event: event(seq, 'message') });
    ws.receive({ type: 'event', chatId: 'c1', event: event(3, 'ended') });
  });
  afterEach(() => {
    session.stop();
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('reopens: ok, the new chat state and the reopened event bring the chat back', async () => {
    expect(session.snapshot.ended).toBe(true);
    const done = session.reopen();
    const frame = ws.last('reopen');
    expect(frame).toMatchObject({ type: 'reopen', rid: expect.any(String) });
    ws.receive({ type: 'chat', chat: chat({ status: 'waiting', lastSeq: 5, queue: { position: 1, avgWaitSeconds: null } }) });
    ws.receive({ type: 'event', chatId: 'c1', event: event(4, 'reopened') });
    ws.receive({ type: 'ok', rid: frame!.rid });
    await expect(done).resolves.toBeNull();
    expect(session.snapshot.ended).toBe(false);
    expect(session.snapshot.chat?.status).toBe('waiting');
    // It can end and be reopened again.
    ws.receive({ type: 'event', chatId: 'c1', event: event(6, 'ended') });
    expect(session.snapshot.ended).toBe(true);
  });

  it('an ok that overtakes the chat state already leaves the post-chat form', async () => {
    const done = session.reopen();
    ws.receive({ type: 'ok', rid: ws.last('reopen')!.rid });
    await expect(done).resolves.toBeNull();
    expect(session.snapshot.ended).toBe(false);
    ws.receive({ type: 'event', chatId: 'c1', event: event(4, 'reopened') });
    expect(session.snapshot.ended).toBe(false);
  });

  it('after a reload, the replayed log does not override the chat state', () => {
    session.stop();
    session = new ChatSession({ channel: 'shop', token: 'x'.repeat(43), chat: null, outbox: [], onUnauthorized: () => undefined, onRejected: () => undefined });
    session.start();
    const again = FakeSocket.all[FakeSocket.all.length - 1]!;
    again.open();
    again.receive({ type: 'chat', chat: chat({ status: 'active', lastSeq: 4 }) });
    again.receive({ type: 'event', chatId: 'c1', event: event(3, 'ended') });
    expect(session.snapshot.ended).toBe(false);
    again.receive({ type: 'event', chatId: 'c1', event: event(4, 'reopened') });
    expect(session.snapshot.ended).toBe(false);
  });

  it('rates; the rating is kept for the thanks', async () => {
    const done = session.rate(4, ' Quick help ');
    const frame = ws.last('rate');
    expect(frame).toMatchObject({ type: 'rate', score: 4, comment: ' Quick help ' });
    ws.receive({ type: 'ok', rid: frame!.rid });
    await expect(done).resolves.toBeNull();
    expect(session.snapshot.chat?.rating).toMatchObject({ score: 4, comment: 'Quick help' });
  });

  it('a request without an answer when the socket drops fails with a retryable error', async () => {
    const done = session.transcript('carla@example.com');
    expect(ws.last('transcript')).toMatchObject({ email: 'carla@example.com', locale: 'nl-NL', timeZone: expect.any(String) });
    ws.drop();
    await expect(done).resolves.toBe(NO_ANSWER);
    // Offline: refused at once, nothing sent.
    await expect(session.rate(5, '')).resolves.toBe(NO_ANSWER);
    expect(ws.last('rate')).toBeUndefined();
  });

  it('passes the server’s refusal on', async () => {
    const done = session.transcript('carla@nomail.example');
    ws.receive({ type: 'error', rid: ws.last('transcript')!.rid, code: 'email_domain_no_mail', message: 'no mail', retryable: false });
    await expect(done).resolves.toEqual({ code: 'email_domain_no_mail', message: 'no mail', retryable: false });
    expect(session.snapshot.error).toBeNull();
  });

  it('ending goes through the same requests; an unanswered end shows an error', async () => {
    ws.receive({ type: 'chat', chat: chat({ status: 'active', lastSeq: 3 }) });
    expect(session.snapshot.ended).toBe(false);
    expect(session.end()).toBe(true);
    ws.drop();
    await Promise.resolve();
    expect(session.snapshot.error).toBe(NO_ANSWER);
  });
});
