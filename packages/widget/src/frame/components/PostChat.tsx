import { LIMITS, type VisitorChat, type WidgetConfig } from '@loket/protocol';
import { useEffect, useRef, useState } from 'preact/hooks';
import { errorText, type Translate } from '../i18n.js';
import { isShown } from '../parent.js';
import { postchatView, transcriptAddressError } from '../postchat.js';
import type { Failure } from '../requests.js';
import type { SessionActions } from '../session.js';

interface Props {
  config: WidgetConfig;
  t: Translate;
  session: SessionActions;
  chat: VisitorChat | null;
  onNewChat(): void;
}

/** Busy flag and translated error of one request button. */
function useRequest(t: Translate) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef(false);
  const run = async (go: () => Promise<Failure | null>): Promise<boolean> => {
    if (inFlight.current) return false;
    inFlight.current = true;
    setBusy(true);
    setError(null);
    const f = await go();
    inFlight.current = false;
    setBusy(false);
    if (f) setError(errorText(t, f.code, f.message));
    return !f;
  };
  return { busy, error, setError, run };
}

/** The post-chat form (step 6): back to the chat, rating, transcript by e-mail, or a new chat. */
export function PostChat({ config, t, session, chat, onNewChat }: Props) {
  const [sent, setSent] = useState<string[]>([]);
  const back = useRequest(t);
  const heading = useRef<HTMLHeadingElement>(null);
  const view = postchatView(config.postchat, chat, true, sent.length);

  useEffect(() => {
    // Announce the form by taking focus to its heading, but only while the visitor is in this
    // window: from the background it would pull focus away from the host page.
    if (document.hasFocus() && isShown()) heading.current?.focus();
  }, []);

  return (
    <section class="postchat" data-testid="postchat" aria-labelledby="pc-title">
      <h2 id="pc-title" tabIndex={-1} ref={heading} data-autofocus>
        {config.postchat.header || t('postchatTitle')}
      </h2>
      <p class="pre">{config.postchat.message || t('postchatText')}</p>
      <button
        type="button"
        class="secondary"
        data-testid="postchat-back"
        aria-busy={back.busy}
        aria-describedby={back.error ? 'pc-back-err' : undefined}
        onClick={() => void back.run(() => session.reopen())}
      >
        {t('backToChat')}
      </button>
      {back.error && (
        <p class="err" id="pc-back-err" role="alert" data-testid="postchat-error">
          {back.error}
        </p>
      )}
      {view?.rating != null && <Rating t={t} session={session} given={view.rating} />}
      {config.postchat.transcript && (
        <Transcript t={t} session={session} initial={chat?.visitorEmail ?? ''} offer={view?.transcript ?? false} sent={sent} onSent={(a) => setSent([...sent, a])} />
      )}
      <button type="button" class="primary" data-testid="new-chat" onClick={onNewChat}>
        {t('newChat')}
      </button>
    </section>
  );
}

function Rating({ t, session, given }: { t: Translate; session: SessionActions; given: number }) {
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState('');
  const [rated, setRated] = useState(false);
  const req = useRequest(t);
  const first = useRef<HTMLInputElement>(null);
  const thanks = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (rated) thanks.current?.focus();
  }, [rated, given]);

  if (given) {
    return (
      <p class="thanks" tabIndex={-1} ref={thanks} data-testid="rating-thanks">
        {t('rateThanks', { n: given })}
      </p>
    );
  }
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (!score) {
      req.setError(t('rateNeeded'));
      return first.current?.focus();
    }
    if (await req.run(() => session.rate(score, comment))) setRated(true);
  };
  return (
    <form class="form" noValidate onSubmit={(e) => void submit(e)}>
      <fieldset class="stars" aria-describedby={req.error ? 'rate-err' : undefined}>
        <legend>{t('rateLegend')}</legend>
        {[1, 2, 3, 4, 5].map((n) => (
          <label key={n} class={n <= score ? 'star on' : 'star'}>
            <input
              type="radio"
              name="score"
              value={n}
              ref={n === 1 ? first : undefined}
              checked={score === n}
              aria-label={t('star', { n })}
              data-testid={`rating-star-${n}`}
              onChange={() => {
                setScore(n);
                req.setError(null);
              }}
            />
            <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
              <path d="m12 2.5 2.9 6.2 6.8.8-5 4.7 1.3 6.7L12 17.6l-6 3.3 1.3-6.7-5-4.7 6.8-.8z" />
            </svg>
          </label>
        ))}
      </fieldset>
      <div class="field">
        <label for="rate-comment">{t('rateComment')}</label>
        <textarea
          id="rate-comment"
          data-testid="rating-comment"
          rows={2}
          maxLength={LIMITS.ratingComment}
          value={comment}
          onInput={(e) => setComment(e.currentTarget.value)}
        />
      </div>
      {req.error && (
        <p class="err" id="rate-err" role="alert" data-testid="rating-error">
          {req.error}
        </p>
      )}
      <button type="submit" class="secondary" data-testid="rating-submit" aria-busy={req.busy}>
        {t(req.busy ? 'pending' : 'rateSend')}
      </button>
    </form>
  );
}

interface TranscriptProps {
  t: Translate;
  session: SessionActions;
  initial: string;
  /** False once the chat's transcript limit is reached. */
  offer: boolean;
  /** Addresses sent to from this form, newest last. */
  sent: string[];
  onSent(address: string): void;
}

function Transcript({ t, session, initial, offer, sent, onSent }: TranscriptProps) {
  const [email, setEmail] = useState(initial);
  const req = useRequest(t);
  const input = useRef<HTMLInputElement>(null);
  const done = useRef<HTMLParagraphElement>(null);
  const last = sent[sent.length - 1];
  useEffect(() => {
    if (last) done.current?.focus();
  }, [last]);

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    const address = email.trim();
    const invalid = transcriptAddressError(address, sent);
    if (invalid) req.setError(t(invalid));
    else if (await req.run(() => session.transcript(address))) {
      setEmail('');
      return onSent(address);
    }
    input.current?.focus();
  };

  return (
    <>
      {last && (
        <p class="thanks" tabIndex={-1} ref={done} data-testid="transcript-sent">
          {t('transcriptSent', { email: last })}
        </p>
      )}
      {offer && (
        <form class="form" noValidate onSubmit={(e) => void submit(e)}>
          <div class="field">
            <label for="pc-email">{t('transcriptLabel')}</label>
            <input
              id="pc-email"
              ref={input}
              type="email"
              autoComplete="email"
              inputMode="email"
              maxLength={LIMITS.emailTotal}
              data-testid="transcript-email"
              value={email}
              aria-invalid={Boolean(req.error)}
              aria-describedby={req.error ? 'pc-email-err' : undefined}
              onInput={(e) => {
                setEmail(e.currentTarget.value);
                if (req.error) req.setError(null);
              }}
            />
            {req.error && (
              <p class="err" id="pc-email-err" role="alert" data-testid="transcript-error">
                {req.error}
              </p>
            )}
          </div>
          <button type="submit" class="secondary" data-testid="transcript-send" aria-busy={req.busy}>
            {t(req.busy ? 'pending' : 'transcriptSend')}
          </button>
        </form>
      )}
    </>
  );
}
