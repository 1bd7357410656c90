import type { ChatEvent, PreviewView, VisitorChat } from '@loket/protocol';
import type { Translate } from '../../i18n.js';
import type { SessionActions, SessionState } from '../../session.js';
import { addEvents, emptyTimeline } from '../../timeline.js';

/** The preview's agent. */
export const SAMPLE_AGENT = { id: 'preview-agent', name: 'Sam', photoUrl: null };

/** Buttons in the preview do nothing: no network, no storage. */
export const inertSession: SessionActions = {
  resume: () => undefined,
  send: () => undefined,
  noteTyping: () => undefined,
  stopTyping: () => undefined,
  end: () => true,
  reopen: () => Promise.resolve(null),
  rate: () => Promise.resolve(null),
  transcript: () => Promise.resolve(null),
};

/** A short sample chat in the state the view shows: waiting at position 2, talking with Sam, or ended. */
export function sampleState(view: Extract<PreviewView, 'queue' | 'chat' | 'postchat'>, key: string, t: Translate): SessionState {
  const now = Date.now();
  const visitor = { kind: 'visitor' as const, name: 'Alex' };
  const agent = { kind: 'agent' as const, id: SAMPLE_AGENT.id, name: SAMPLE_AGENT.name };
  const events: ChatEvent[] = [{ seq: 1, kind: 'message', at: now - 120_000, author: visitor, body: t('previewQuestion') }];
  if (view !== 'queue') {
    events.push({ seq: 2, kind: 'joined', at: now - 60_000, author: agent });
    events.push({ seq: 3, kind: 'message', at: now - 50_000, author: agent, body: t('previewAnswer', { name: SAMPLE_AGENT.name }) });
  }
  if (view === 'postchat') events.push({ seq: 4, kind: 'ended', at: now, author: { kind: 'system' }, endedBy: 'agent' });
  const chat: VisitorChat = {
    id: 'preview',
    channelKey: key,
    status: view === 'queue' ? 'waiting' : view === 'chat' ? 'active' : 'ended',
    visitorName: visitor.name,
    agent: view === 'queue' ? null : SAMPLE_AGENT,
    queue: view === 'queue' ? { position: 2, avgWaitSeconds: 180 } : null,
    lastSeq: events.length,
    agentReadSeq: events.length,
    rating: null,
    transcripts: 0,
    visitorEmail: '',
  };
  return { chat, timeline: addEvents(emptyTimeline, events), outbox: [], agentTyping: null, link: 'ready', ended: view === 'postchat', error: null, availability: null };
}
