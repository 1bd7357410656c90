import type { FaqSuggestion, StartChatInput, VisitorChat, WidgetConfig } from '@loket/protocol';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { fetchConfig, fetchFaqSuggestions, recordDeflection, startChat, type ApiError } from '../api.js';
import { usableSuggestions } from '../faq.js';
import { loadTranslator, type Translate } from '../i18n.js';
import { newChatToken, newClientMsgId } from '../ids.js';
import { isShown, onParentMessage, postToParent } from '../parent.js';
import { ChatSession } from '../session.js';
import { clearChat, loadChat, saveChat, updateChat } from '../storage.js';
import { countUnread, lastSeq, type OutboxItem } from '../timeline.js';
import { applyLayout } from '../layout.js';
import { ChatView } from './ChatView.js';
import { Header, headerLogo } from './Header.js';
import { needsPrechatForm, type VisitorDetails } from '../prechat.js';
import { useLazy } from './lazy.js';
import { QuestionForm } from './QuestionForm.js';
import { useSessionState } from './useSession.js';

/** 'faq': suggestions shown for the question; 'answered': one of them answered it, no chat was made. */
type View = 'form' | 'question' | 'faq' | 'answered' | 'chat' | 'offline';

type OfflineViewComponent = (typeof import('./OfflineView.js'))['default'];

const loadPrechatForm = () => import('./PrechatForm.js').then((m) => m.PrechatForm);

export function App({ channel, initialT }: { channel: string; initialT: Translate }) {
  const [config, setConfig] = useState<WidgetConfig | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [view, setView] = useState<View>('form');
  const [details, setDetails] = useState<VisitorDetails>({ name: '', email: '', phone: '', company: '', fields: {} });
  const [session, setSession] = useState<ChatSession | null>(null);
  const [open, setOpen] = useState(isShown);
  // A hidden tab has not been read: the agent's "seen" mark waits until the customer looks.
  const [visible, setVisible] = useState(() => document.visibilityState === 'visible');
  useEffect(() => {
    const onChange = () => setVisible(document.visibilityState === 'visible');
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  }, []);
  const [startError, setStartError] = useState<ApiError | null>(null);
  // The question and its suggestions live in memory only: after a reload the queued chat shows without them.
  const [faq, setFaq] = useState<{ question: string; suggestions: FaqSuggestion[] } | null>(null);
  const [starting, setStarting] = useState(false);
  const seenSeq = useRef(loadChat(channel)?.seenSeq ?? 0);
  const rejected = useRef<((body: string) => void) | null>(null);
  const mainRef = useRef<HTMLElement>(null);
  // Starts in the language of the page (the server puts the channel's there), so there is no flash of English.
  const [t, setT] = useState<Translate>(() => initialT);
  const state = useSessionState(session);

  const firstView = useCallback((c: WidgetConfig): View => (!c.availability.available ? 'offline' : needsPrechatForm(c) ? 'form' : 'question'), []);
  // Its own chunk: customers of an open channel never download the offline view and request form.
  const [OfflineView, setOfflineView] = useState<OfflineViewComponent | null>(null);
  useEffect(() => {
    if (view !== 'offline' || OfflineView) return;
    import('./OfflineView.js').then(
      (m) => setOfflineView(() => m.default),
      () => setLoadError(t('errNetwork')),
    );
  }, [view, OfflineView, t]);
  // Its own chunk too, fetched together with the language (below): channels without a form never download it.
  // Only channels with FAQ suggestions need their views; fetched as soon as the config says so.
  const Faq = useLazy(config?.prechat.faqSuggestions === true, () => import('./FaqSuggestions.js'));
  const PrechatForm = useLazy(config !== null && needsPrechatForm(config), loadPrechatForm);
  // The view's own chunk is still on its way.
  const viewLoading = (view === 'offline' && !OfflineView) || (view === 'form' && !PrechatForm) || ((view === 'faq' || view === 'answered') && !Faq);

  const forget = useCallback(
    (c: WidgetConfig) => {
      clearChat(channel);
      seenSeq.current = 0;
      setSession(null);
      setFaq(null);
      setView(firstView(c));
    },
    [channel, firstView],
  );

  const begin = useCallback(
    (c: WidgetConfig, token: string, chat: VisitorChat | null, outbox: OutboxItem[]) => {
      const s = new ChatSession({
        channel,
        token,
        chat,
        outbox,
        onUnauthorized: () => {
          s.stop();
          forget(c);
        },
        onRejected: (body) => rejected.current?.(body),
      });
      setSession(s);
      setView('chat');
    },
    [channel, forget],
  );

  useEffect(() => {
    let cancelled = false;
    void fetchConfig(channel, initialT).then(async (r) => {
      if (cancelled) return;
      if (!r.ok) {
        setLoadError(r.error.message);
        return;
      }
      if (needsPrechatForm(r.value)) void loadPrechatForm().catch(() => undefined);
      let next: Translate;
      try {
        next = await loadTranslator(r.value.language);
      } catch {
        if (!cancelled) setLoadError(initialT('errNetwork'));
        return;
      }
      if (cancelled) return;
      // Set together with the config so the first form already speaks the channel's language.
      setT(() => next);
      setConfig(r.value);
      const stored = loadChat(channel);
      if (stored) begin(r.value, stored.token, null, stored.outbox);
      else setView(firstView(r.value));
    });
    return () => {
      cancelled = true;
    };
  }, [channel, begin, firstView, initialT]);

  useEffect(() => {
    if (!session) return;
    session.start();
    return () => session.stop();
  }, [session]);

  // Host page integration: visibility, unread badge, "chat in progress" flag.
  useEffect(() => {
    // An 'opened' that arrived before this effect was recorded by parent.ts.
    setOpen(isShown());
    return onParentMessage((m) => {
      setOpen(m.type === 'opened');
      if (m.type === 'opened') requestAnimationFrame(() => focusPreferred(mainRef.current));
    });
  }, []);
  // The first open loads the window: 'opened' can arrive before the config (or the view's chunk), when there is
  // nothing to focus yet.
  const loaded = config !== null && !viewLoading;
  useEffect(() => {
    if (!open || !loaded) return;
    requestAnimationFrame(() => {
      if (!mainRef.current?.contains(document.activeElement)) focusPreferred(mainRef.current);
    });
  }, [open, loaded, view]);
  const active = session !== null && !(state?.ended ?? false);
  useEffect(() => postToParent({ loket: 1, type: 'active', active }), [active]);
  const timeline = state?.timeline;
  const unread = useMemo(() => {
    if (!timeline) return 0;
    if (open) {
      const seq = lastSeq(timeline);
      if (seq > seenSeq.current) {
        seenSeq.current = seq;
        updateChat(channel, { seenSeq: seq });
      }
      if (visible) session?.markRead(seq);
      return 0;
    }
    return countUnread(timeline, seenSeq.current);
  }, [timeline, open, channel, session, visible]);
  useEffect(() => postToParent({ loket: 1, type: 'unread', count: unread }), [unread]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape' && !e.defaultPrevented && !document.querySelector('dialog[open]')) postToParent({ loket: 1, type: 'close' });
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    if (!config) return;
    applyLayout(config);
  }, [config]);

  // The same token is reused until the chat is created, so a retried click never makes two chats.
  const pending = useRef<{ token: string; clientMsgId: string } | null>(null);
  const submitQuestion = async (question: string): Promise<void> => {
    if (!config) return;
    if (config.prechat.faqSuggestions) {
      setStartError(null);
      const suggestions = usableSuggestions(await fetchFaqSuggestions(channel, { question }, t));
      if (suggestions.length > 0) {
        setFaq({ question, suggestions });
        setView('faq');
        return;
      }
    }
    await start(question);
  };

  const start = async (question: string): Promise<void> => {
    if (!config) return;
    pending.current ??= { token: newChatToken(), clientMsgId: newClientMsgId() };
    const { token, clientMsgId } = pending.current;
    // Stored before the request: if the page dies mid-request, the reload resumes the chat
    // (or learns from a 4401 that it was never created) instead of orphaning it.
    saveChat(channel, { token, chatId: '', outbox: [], seenSeq: 0 });
    const input: StartChatInput = {
      token,
      clientMsgId,
      question,
      name: details.name.trim(),
      email: details.email.trim(),
      phone: details.phone.trim(),
      company: details.company.trim(),
      fields: details.fields,
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      locale: navigator.language.slice(0, 35),
    };
    setStartError(null);
    const r = await startChat(channel, input, t);
    if (!r.ok) {
      if (!r.error.retryable) {
        clearChat(channel);
        pending.current = null;
      }
      setStartError(r.error);
      if (r.error.field && r.error.field !== 'question') setView('form');
      return;
    }
    pending.current = null;
    // Suggestions for an earlier question (before a detour back to the details form) do not belong to this chat.
    setFaq((f) => (f?.question === question ? f : null));
    const outbox: OutboxItem[] = [{ clientMsgId, body: question, at: Date.now(), confirmed: true }];
    saveChat(channel, { token, chatId: r.value.chat.id, outbox, seenSeq: 0 });
    seenSeq.current = 0;
    begin(config, token, r.value.chat, outbox);
  };

  const close = (): void => postToParent({ loket: 1, type: 'close' });

  if (!config || viewLoading) {
    return (
      <div class="window">
        <main class="center" ref={mainRef}>
          <p role={loadError ? 'alert' : 'status'}>{loadError ?? t('loading')}</p>
        </main>
      </div>
    );
  }

  if (view === 'chat' && session && state) {
    return (
      <ChatView
        config={config}
        t={t}
        session={session}
        state={state}
        mainRef={mainRef}
        rejected={rejected}
        onClose={close}
        onNewChat={() => {
          session.stop();
          forget(config);
        }}
        suggestions={faq?.suggestions ?? []}
        waitingDetails={{ token: loadChat(channel)?.token ?? '', phone: details.phone, company: details.company }}
        token={loadChat(channel)?.token ?? ''}
      />
    );
  }

  return (
    <div class="window">
      <Header title={config.headerText} t={t} onClose={close} logo={headerLogo(config)} />
      <main class="body" ref={mainRef}>
        {config.welcomeMessage && (view === 'form' || view === 'question') && <p class="welcome">{config.welcomeMessage}</p>}
        {view === 'offline' && OfflineView ? (
          <OfflineView config={config} t={t} />
        ) : view === 'faq' && faq && Faq ? (
          <Faq.FaqSuggestions
            t={t}
            suggestions={faq.suggestions}
            busy={starting}
            error={startError?.message ?? null}
            onAnswered={(answered) => {
              // Counted in the background: the customer is done and need not wait for it.
              void recordDeflection(channel, { faqId: answered.id, requestId: newClientMsgId() }, t);
              setFaq(null);
              setStartError(null);
              setView('answered');
            }}
            onStartChat={() => {
              setStarting(true);
              void start(faq.question).finally(() => setStarting(false));
            }}
          />
        ) : view === 'answered' && Faq ? (
          <Faq.FaqThanks t={t} onAskAnother={() => setView('question')} />
        ) : view === 'form' && PrechatForm ? (
          <PrechatForm
            config={config}
            t={t}
            initial={details}
            serverError={startError}
            onDone={(d) => {
              setDetails(d);
              setStartError(null);
              setView('question');
            }}
          />
        ) : (
          <QuestionForm t={t} error={startError?.field && startError.field !== 'question' ? null : (startError?.message ?? null)} onSubmit={submitQuestion} />
        )}
      </main>
    </div>
  );
}

function focusPreferred(root: HTMLElement | null): void {
  const el = root?.querySelector<HTMLElement>('[data-autofocus]:not([disabled])') ?? root?.querySelector<HTMLElement>('input,textarea,select,button');
  el?.focus();
}
