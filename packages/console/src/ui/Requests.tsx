import { useRef, useState } from 'preact/hooks';
import { RequestPrioritySchema, RequestStatusSchema, type RequestDetail, type RequestStatus, type SupportRequest } from '@loket/protocol';
import {
  NO_FILTERS,
  PRIORITY_OPTIONS,
  STATUS_OPTIONS,
  filterChoices,
  filtersKey,
  listQuery,
  newReplyKey,
  replaceRequest,
  type RequestFilters,
} from '../state/requests.js';
import type { Route } from '../state/route.js';
import type { Problem } from '../state/store.js';
import { formatDateTime } from '../time.js';
import { useConsole } from './hooks.js';
import { MessageLog } from './MessageLog.js';
import { FieldError, LoadState, RouteLink, ViewHeading, useLoaded } from './admin/common.js';

type RequestsRoute = Extract<Route, { view: 'requests' }>;

/** Requests left through the offline form: every agent sees their channels' (docs/requests.md). */
export function RequestsView({ route }: { route: RequestsRoute }) {
  const [snap, store] = useConsole();
  const { t, lang } = snap;
  const [filters, setFilters] = useState<RequestFilters>(NO_FILTERS);
  const list = useLoaded(() => store.http.requests(listQuery(filters)), filtersKey(filters));
  // The filter choices come from everything the agent can see, so picking one never hides the others.
  const all = useLoaded(() => store.http.requests({}), 'all');
  const choices = filterChoices(all.data?.requests ?? []);
  const requests = list.data?.requests ?? [];
  const filtered = filtersKey(filters) !== filtersKey(NO_FILTERS);
  const set = (patch: Partial<RequestFilters>) => setFilters((f) => ({ ...f, ...patch }));

  return (
    <main class="admin" aria-labelledby="admin-heading">
      <div class="admin-head">
        <ViewHeading id="admin-heading">{t('requests.heading')}</ViewHeading>
        <div class="admin-tools">
          <label class="inline-field">
            <span>{t('requests.status')}</span>
            <select
              data-testid="requests-status-filter"
              value={filters.status}
              onChange={(e) => {
                const parsed = RequestStatusSchema.safeParse(e.currentTarget.value);
                set({ status: parsed.success ? parsed.data : '' });
              }}
            >
              <option value="">{t('requests.all')}</option>
              {STATUS_OPTIONS.map((s) => (
                <option key={s} value={s}>
                  {t(`requests.status.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <label class="inline-field">
            <span>{t('requests.channel')}</span>
            <select data-testid="requests-channel-filter" value={filters.channelId} onChange={(e) => set({ channelId: e.currentTarget.value })}>
              <option value="">{t('requests.all')}</option>
              {choices.channels.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <label class="inline-field">
            <span>{t('requests.category')}</span>
            <select data-testid="requests-category-filter" value={filters.category} onChange={(e) => set({ category: e.currentTarget.value })}>
              <option value="">{t('requests.all')}</option>
              {choices.categories.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
          <label class="inline-field">
            <span>{t('requests.priority')}</span>
            <select
              data-testid="requests-priority-filter"
              value={filters.priority}
              onChange={(e) => {
                const parsed = RequestPrioritySchema.safeParse(e.currentTarget.value);
                set({ priority: parsed.success ? parsed.data : '' });
              }}
            >
              <option value="">{t('requests.all')}</option>
              {PRIORITY_OPTIONS.map((p) => (
                <option key={p} value={p}>
                  {t(`requests.priority.${p}`)}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            class="small"
            data-testid="requests-refresh"
            onClick={() => {
              list.reload();
              all.reload();
            }}
          >
            {t('requests.refresh')}
          </button>
        </div>
      </div>
      <div class={route.requestId === null ? 'admin-body' : 'admin-body outbox-split'}>
        <div class="outbox-list">
          <LoadState loaded={list} />
          {list.data === null ? null : requests.length === 0 ? (
            <p class="empty" data-testid="requests-empty">
              {filtered ? t('requests.emptyFiltered') : t('requests.empty')}
            </p>
          ) : (
            <div class="table-wrap">
              <table class="table" data-testid="requests-table">
                <caption class="visually-hidden">{t('requests.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('requests.id')}</th>
                    <th scope="col">{t('requests.customer')}</th>
                    <th scope="col">{t('requests.channel')}</th>
                    <th scope="col">{t('requests.category')}</th>
                    <th scope="col">{t('requests.priority')}</th>
                    <th scope="col">{t('requests.status')}</th>
                    <th scope="col">{t('requests.received')}</th>
                  </tr>
                </thead>
                <tbody>
                  {requests.map((r) => (
                    <tr key={r.id} data-testid="request-item" data-request-id={r.id} data-status={r.status} class={route.requestId === r.id ? 'current' : undefined}>
                      <td>
                        <RouteLink route={{ view: 'requests', requestId: r.id }} aria-current={route.requestId === r.id ? 'page' : undefined}>
                          {r.publicId}
                        </RouteLink>
                      </td>
                      <td>{r.name === '' ? r.email : `${r.name} <${r.email}>`}</td>
                      <td>{r.channelName}</td>
                      <td>{r.category}</td>
                      <td>{t(`requests.priority.${r.priority}`)}</td>
                      <td>
                        <span class={`status-tag request-${r.status}`}>{t(`requests.status.${r.status}`)}</span>
                      </td>
                      <td>{formatDateTime(r.createdAt, lang)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
        {route.requestId !== null && (
          <RequestDetailPane
            key={route.requestId}
            id={route.requestId}
            onChanged={(changed) => list.update((data) => ({ ...data, requests: replaceRequest(data.requests, changed, filters) }))}
          />
        )}
      </div>
    </main>
  );
}

function RequestDetailPane({ id, onChanged }: { id: string; onChanged(request: SupportRequest): void }) {
  const [snap, store] = useConsole();
  const { t, lang } = snap;
  const detail = useLoaded(() => store.http.requestDetail(id), id);
  const [statusBusy, setStatusBusy] = useState(false);
  const [statusProblem, setStatusProblem] = useState<Problem | null>(null);
  const [statusSaved, setStatusSaved] = useState<RequestStatus | null>(null);
  const [body, setBody] = useState('');
  const [replyKey, setReplyKey] = useState(newReplyKey);
  const [sending, setSending] = useState(false);
  const [replyProblem, setReplyProblem] = useState<Problem | null>(null);
  const [replySent, setReplySent] = useState(false);
  const textarea = useRef<HTMLTextAreaElement>(null);

  const apply = (next: RequestDetail) => {
    detail.update(() => next);
    onChanged(next.request);
  };

  const changeStatus = async (status: RequestStatus) => {
    setStatusBusy(true);
    setStatusProblem(null);
    setStatusSaved(null);
    try {
      apply(await store.http.setRequestStatus(id, status));
      setStatusSaved(status);
    } catch (err) {
      setStatusProblem(store.session.problem(err));
    } finally {
      setStatusBusy(false);
    }
  };

  const send = async (e: Event) => {
    e.preventDefault();
    setSending(true);
    setReplyProblem(null);
    setReplySent(false);
    try {
      apply(await store.http.replyToRequest(id, { body, replyKey }));
      setBody('');
      setReplyKey(newReplyKey());
      setReplySent(true);
    } catch (err) {
      setReplyProblem(store.session.problem(err));
      textarea.current?.focus();
    } finally {
      setSending(false);
    }
  };

  const d = detail.data;
  const r = d?.request;
  const notGiven = (value: string) => (value === '' ? <span class="hint">{t('requests.notGiven')}</span> : value);
  const bodyProblem = replyProblem?.field === 'body' ? replyProblem : null;
  return (
    <section class="outbox-detail" data-testid="request-detail" data-request-id={id} aria-labelledby="request-detail-heading">
      <div class="section-head">
        <h2 id="request-detail-heading">{r ? t('requests.detailHeading', { id: r.publicId }) : t('requests.heading')}</h2>
        <RouteLink route={{ view: 'requests', requestId: null }} class="small-link">
          {t('admin.close')}
        </RouteLink>
      </div>
      {detail.problem?.code === 'not_found' ? <p class="error">{t('requests.notFound')}</p> : <LoadState loaded={detail} />}
      {d && r && (
        <>
          {r.title !== '' && (
            <p class="request-title" data-testid="request-title">
              {r.title}
            </p>
          )}
          <dl class="facts">
            <div>
              <dt>{t('requests.name')}</dt>
              <dd>{notGiven(r.name)}</dd>
            </div>
            <div>
              <dt>{t('requests.email')}</dt>
              <dd data-testid="request-email">
                <a href={`mailto:${r.email}`}>{r.email}</a>
              </dd>
            </div>
            <div>
              <dt>{t('requests.phone')}</dt>
              <dd>{notGiven(r.phone)}</dd>
            </div>
            <div>
              <dt>{t('requests.company')}</dt>
              <dd>{notGiven(r.company)}</dd>
            </div>
            <div>
              <dt>{t('requests.channel')}</dt>
              <dd>{r.channelName}</dd>
            </div>
            <div>
              <dt>{t('requests.category')}</dt>
              <dd>{notGiven(r.category)}</dd>
            </div>
            <div>
              <dt>{t('requests.priority')}</dt>
              <dd>{t(`requests.priority.${r.priority}`)}</dd>
            </div>
            <div>
              <dt>{t('requests.received')}</dt>
              <dd>{formatDateTime(r.createdAt, lang)}</dd>
            </div>
            <div>
              <dt>{t('requests.chat')}</dt>
              <dd data-testid="request-chat">{r.chatId === null ? <span class="hint">{t('requests.noChat')}</span> : <code>{r.chatId}</code>}</dd>
            </div>
            <div>
              <dt>{t('requests.status')}</dt>
              <dd data-testid="request-status" data-status={r.status}>
                {t(`requests.status.${r.status}`)}
              </dd>
            </div>
          </dl>
          <div class="form-actions" role="group" aria-label={t('requests.setStatus')}>
            {STATUS_OPTIONS.filter((s) => s !== r.status).map((s) => (
              <button key={s} type="button" class="small" data-testid={`request-status-${s}`} disabled={statusBusy} onClick={() => void changeStatus(s)}>
                {t(`requests.mark.${s}`)}
              </button>
            ))}
            <span class="ok" role="status">
              {statusSaved === null ? '' : t('requests.statusSaved', { status: t(`requests.status.${statusSaved}`) })}
            </span>
          </div>
          {statusProblem && (
            <p class="error" role="alert">
              {store.session.problemText(statusProblem)}
            </p>
          )}
          <h3>{t('requests.question')}</h3>
          <p class="preview-text request-question" data-testid="request-question">
            {r.question}
          </p>
          {d.conversation.length > 0 && (
            <>
              <h3>{t('requests.conversation')}</h3>
              <div class="request-conversation" data-testid="request-conversation">
                <MessageLog
                  events={d.conversation}
                  pending={[]}
                  myId={undefined}
                  visitorName={r.name}
                  label={t('requests.conversation')}
                  lang={lang}
                  t={t}
                />
              </div>
            </>
          )}
          <h3>{t('requests.replies')}</h3>
          {d.replies.length === 0 ? (
            <p class="hint" data-testid="request-no-replies">
              {t('requests.noReplies')}
            </p>
          ) : (
            <ol class="request-replies">
              {d.replies.map((reply) => (
                <li key={reply.id} data-testid="request-reply" data-email-status={reply.emailStatus ?? ''}>
                  <p class="hint">
                    {t('requests.replyBy', { name: reply.agentName, time: formatDateTime(reply.at, lang) })} ·{' '}
                    {reply.emailStatus === null ? t('requests.emailNone') : t('requests.emailStatus', { status: t(`outbox.status.${reply.emailStatus}`) })}
                  </p>
                  <p class="preview-text">{reply.body}</p>
                </li>
              ))}
            </ol>
          )}
          <form class="admin-form" onSubmit={(e) => void send(e)} noValidate aria-labelledby="request-reply-heading">
            <h3 id="request-reply-heading">{t('requests.reply')}</h3>
            <div class="field">
              <label for="request-reply-body">{t('requests.replyLabel')}</label>
              <textarea
                id="request-reply-body"
                ref={textarea}
                data-testid="request-reply-body"
                rows={6}
                value={body}
                aria-invalid={bodyProblem ? 'true' : undefined}
                aria-describedby={bodyProblem ? 'request-reply-hint request-reply-error' : 'request-reply-hint'}
                onInput={(e) => {
                  setBody(e.currentTarget.value);
                  setReplySent(false);
                }}
              />
              <p id="request-reply-hint" class="hint">
                {t('requests.replyHint', { email: r.email })}
              </p>
              <FieldError id="request-reply-error" field="body" testId="request-reply-error" problem={bodyProblem} />
            </div>
            {replyProblem && !bodyProblem && (
              <p class="error" role="alert">
                {store.session.problemText(replyProblem)}
              </p>
            )}
            <div class="form-actions">
              <button type="submit" class="primary" data-testid="request-reply-send" disabled={sending}>
                {sending ? t('requests.sending') : t('requests.send')}
              </button>
              <span class="ok" role="status" data-testid="request-reply-sent">
                {replySent ? t('requests.sent') : ''}
              </span>
            </div>
          </form>
        </>
      )}
    </section>
  );
}
