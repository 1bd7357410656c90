import { useRef, useState } from 'preact/hooks';
import { EmailStatusSchema, type EmailStatus, type OutboxEmail } from '@loket/protocol';
import { formatMailbox, replaceEmail } from '../../state/admin.js';
import type { Route } from '../../state/route.js';
import type { Problem } from '../../state/store.js';
import { formatDateTime } from '../../time.js';
import { useConsole } from '../hooks.js';
import { LoadState, RouteLink, ViewHeading, useLoaded } from './common.js';

type OutboxRoute = Extract<Route, { view: 'outbox' }>;

const STATUSES: readonly EmailStatus[] = ['queued', 'sending', 'sent', 'failed'];

export function OutboxView({ route }: { route: OutboxRoute }) {
  const [snap, store] = useConsole();
  const { t, lang } = snap;
  const list = useLoaded(() => store.http.outbox(route.status), `outbox:${route.status ?? 'all'}`);
  const emails = [...(list.data?.emails ?? [])].sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id));

  return (
    <main class="admin" aria-labelledby="admin-heading">
      <div class="admin-head">
        <ViewHeading id="admin-heading">{t('outbox.heading')}</ViewHeading>
        <div class="admin-tools">
          <label class="inline-field">
            <span>{t('outbox.filter')}</span>
            <select
              data-testid="outbox-status-filter"
              value={route.status ?? ''}
              onChange={(e) => {
                const parsed = EmailStatusSchema.safeParse(e.currentTarget.value);
                store.route.navigate({ ...route, status: parsed.success ? parsed.data : null }, true);
              }}
            >
              <option value="">{t('outbox.all')}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`outbox.status.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <button type="button" class="small" data-testid="outbox-refresh" onClick={() => list.reload()}>
            {t('outbox.refresh')}
          </button>
        </div>
      </div>
      {list.data && !list.data.smtpConfigured && (
        <p class="info" data-testid="outbox-no-smtp">
          {t('outbox.noSmtp')}
        </p>
      )}
      <div class={route.emailId === null ? 'admin-body' : 'admin-body outbox-split'}>
        <div class="outbox-list">
          <LoadState loaded={list} />
          {list.data === null ? null : emails.length === 0 ? (
            <p class="empty">
              {route.status === null ? t('outbox.empty') : t('outbox.emptyFiltered')}
            </p>
          ) : (
            <div class="table-wrap">
              <table class="table">
                <caption id="outbox-caption" class="visually-hidden">
                  {t('outbox.caption')}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t('outbox.to')}</th>
                    <th scope="col">{t('outbox.subject')}</th>
                    <th scope="col">{t('outbox.kind')}</th>
                    <th scope="col">{t('outbox.status')}</th>
                    <th scope="col">{t('outbox.attempts')}</th>
                    <th scope="col">{t('outbox.created')}</th>
                    <th scope="col">{t('outbox.sent')}</th>
                  </tr>
                </thead>
                <tbody>
                  {emails.map((email) => (
                    <tr key={email.id} data-testid="outbox-item" data-email-id={email.id} data-status={email.status} class={route.emailId === email.id ? 'current' : undefined}>
                      <td>{formatMailbox(email.to)}</td>
                      <td>
                        <RouteLink route={{ ...route, emailId: email.id }} aria-current={route.emailId === email.id ? 'page' : undefined}>
                          {email.subject.trim() === '' ? t('outbox.noSubject') : email.subject}
                        </RouteLink>
                      </td>
                      <td>{t(`outbox.kind.${email.kind}`)}</td>
                      <td>
                        <span class={`status-tag email-${email.status}`}>{t(`outbox.status.${email.status}`)}</span>
                      </td>
                      <td class="num">{email.attempts}</td>
                      <td>{formatDateTime(email.createdAt, lang)}</td>
                      <td>{email.sentAt === null ? t('outbox.notSent') : formatDateTime(email.sentAt, lang)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
        {route.emailId !== null && (
          <OutboxDetail
            key={route.emailId}
            id={route.emailId}
            closeRoute={{ ...route, emailId: null }}
            onChanged={(email) => list.update((data) => ({ ...data, emails: replaceEmail(data.emails, email) }))}
          />
        )}
      </div>
    </main>
  );
}

function OutboxDetail({ id, closeRoute, onChanged }: { id: string; closeRoute: OutboxRoute; onChanged(email: OutboxEmail): void }) {
  const [snap, store] = useConsole();
  const { t, lang } = snap;
  const detail = useLoaded(() => store.http.outboxEmail(id), id);
  const [busy, setBusy] = useState(false);
  const [retried, setRetried] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  const retry = async () => {
    setBusy(true);
    setProblem(null);
    setRetried(false);
    try {
      const email = await store.http.retryEmail(id);
      detail.update((d) => ({ ...d, email }));
      onChanged(email);
      setRetried(true);
      // The Retry button goes away with the failed status: keep focus in the detail, not on <body>.
      if (email.status !== 'failed') heading.current?.focus();
    } catch (err) {
      setProblem(store.session.problem(err));
    } finally {
      setBusy(false);
    }
  };

  const d = detail.data;
  return (
    <section class="outbox-detail" data-testid="outbox-detail" data-email-id={id} aria-labelledby="outbox-detail-heading">
      <div class="section-head">
        <h2 id="outbox-detail-heading" ref={heading} tabIndex={-1}>{d ? d.email.subject.trim() || t('outbox.noSubject') : t('outbox.heading')}</h2>
        <RouteLink route={closeRoute} class="small-link">
          {t('admin.close')}
        </RouteLink>
      </div>
      {detail.problem?.code === 'not_found' ? <p class="error">{t('outbox.notFound')}</p> : <LoadState loaded={detail} />}
      {d && (
        <>
          <dl class="facts">
            <div>
              <dt>{t('outbox.from')}</dt>
              <dd>{formatMailbox(d.from)}</dd>
            </div>
            <div>
              <dt>{t('outbox.to')}</dt>
              <dd>{formatMailbox(d.email.to)}</dd>
            </div>
            <div>
              <dt>{t('outbox.subject')}</dt>
              <dd>{d.email.subject}</dd>
            </div>
            <div>
              <dt>{t('outbox.messageId')}</dt>
              <dd>
                <code>{d.messageId}</code>
              </dd>
            </div>
            <div>
              <dt>{t('outbox.status')}</dt>
              <dd data-testid="outbox-detail-status" data-status={d.email.status}>
                {t(`outbox.status.${d.email.status}`)} · {t('outbox.attempts')}: {d.email.attempts}
                {d.email.sentAt !== null && <> · {formatDateTime(d.email.sentAt, lang)}</>}
              </dd>
            </div>
            <div>
              <dt>{t('outbox.lastError')}</dt>
              <dd data-testid="outbox-last-error">{d.email.lastError ?? t('outbox.noError')}</dd>
            </div>
          </dl>
          <div class="form-actions">
            <a class="button" href={store.http.outboxEmlUrl(id)} download={`${id}.eml`} data-testid="outbox-eml">
              {t('outbox.eml')}
            </a>
            {d.email.status === 'failed' && (
              <button type="button" class="primary" data-testid="outbox-retry" disabled={busy} onClick={() => void retry()}>
                {busy ? t('outbox.retrying') : t('outbox.retry')}
              </button>
            )}
            <span class="ok" role="status">
              {retried ? t('outbox.retried') : ''}
            </span>
          </div>
          {problem && (
            <p class="error" role="alert">
              {store.session.problemText(problem)}
            </p>
          )}
          <h3>{t('outbox.text')}</h3>
          <pre class="preview-text" data-testid="outbox-text">
            {d.text}
          </pre>
          <h3>{t('outbox.html')}</h3>
          <iframe class="preview-html" data-testid="outbox-html" sandbox="" srcdoc={d.html} title={t('outbox.htmlFrame')} />
        </>
      )}
    </section>
  );
}
