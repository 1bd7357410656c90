import { WidgetPreviewMessageSchema, type WidgetPreviewMessage } from '@loket/protocol';
import { useEffect, useRef, useState } from 'preact/hooks';
import { loadTranslator, type Translate } from '../../i18n.js';
import { applyLayout } from '../../layout.js';
import { ChatView } from '../ChatView.js';
import { Header, headerLogo } from '../Header.js';
import { Offline } from '../Offline.js';
import { PrechatForm } from '../PrechatForm.js';
import { QuestionForm } from '../QuestionForm.js';
import { inertSession, sampleState } from './sample.js';

const noop = (): void => undefined;
const EMPTY_DETAILS = { name: '', email: '', phone: '', company: '', fields: {} };

/**
 * The console's live preview (frame.html?preview=1): the real components with sample content, drawn from the
 * settings the console posts. Loaded only in preview, so visitors never download it. It never fetches,
 * connects or stores anything: forms do not submit and every session action does nothing.
 */
export function Preview({ initialT }: { initialT: Translate }) {
  const [message, setMessage] = useState<WidgetPreviewMessage | null>(null);
  const [t, setT] = useState<Translate>(() => initialT);
  const mainRef = useRef<HTMLElement>(null);
  const rejected = useRef<((body: string) => void) | null>(null);

  useEffect(() => {
    const onMessage = (e: MessageEvent): void => {
      // Only the console, which is served from this same origin and is our parent.
      if (e.origin !== location.origin || e.source !== window.parent) return;
      const parsed = WidgetPreviewMessageSchema.safeParse(e.data);
      if (parsed.success) setMessage(parsed.data);
    };
    window.addEventListener('message', onMessage);
    // The console may have posted before this chunk loaded: ask for the current settings.
    if (window.parent !== window) window.parent.postMessage({ loket: 1, type: 'preview-ready' }, location.origin);
    return () => window.removeEventListener('message', onMessage);
  }, []);

  const config = message?.config;
  useEffect(() => {
    if (config) applyLayout(config);
  }, [config]);
  const language = config?.language;
  useEffect(() => {
    if (!language) return;
    let live = true;
    void loadTranslator(language).then(
      (next) => live && setT(() => next),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [language]);

  if (!message || !config) {
    return (
      <div class="window">
        <main class="center">
          <p role="status">{t('loading')}</p>
        </main>
      </div>
    );
  }

  const { view } = message;
  // Capturing submit before the forms do keeps them from checking anything with the server.
  const stopSubmit = (e: Event): void => {
    e.preventDefault();
    e.stopPropagation();
  };

  if (view === 'queue' || view === 'chat' || view === 'postchat') {
    return (
      <div class="preview" data-view={view} onSubmitCapture={stopSubmit}>
        <ChatView
          config={config}
          t={t}
          session={inertSession}
          state={sampleState(view, config.key, t)}
          mainRef={mainRef}
          rejected={rejected}
          onClose={noop}
          onNewChat={noop}
          token=""
        />
      </div>
    );
  }

  return (
    <div class="window preview" data-view={view} onSubmitCapture={stopSubmit}>
      <Header title={config.headerText} t={t} onClose={noop} logo={headerLogo(config)} />
      <main class="body" ref={mainRef}>
        {view === 'offline' ? (
          <Offline config={config} t={t} />
        ) : (
          <>
            {config.welcomeMessage && <p class="welcome">{config.welcomeMessage}</p>}
            {view === 'prechat' ? (
              <PrechatForm config={config} t={t} initial={EMPTY_DETAILS} serverError={null} onDone={noop} />
            ) : (
              <QuestionForm t={t} error={null} onSubmit={() => Promise.resolve()} />
            )}
          </>
        )}
      </main>
    </div>
  );
}
