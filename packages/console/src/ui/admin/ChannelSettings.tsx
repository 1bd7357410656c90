import { useRef, useState } from 'preact/hooks';
import { WARNING_SECONDS, type AdminChannel, type ChannelAgent, type ChannelProperties, type NewChannelInput } from '@loket/protocol';
import {
  PERMISSIONS,
  addAgentRow,
  addableAgents,
  agentInputs,
  channelProperties,
  fieldOf,
  keyFromName,
  originLines,
  parseOriginLines,
  removeAgentRow,
  sameAgentRows,
  sameProperties,
  secondsFromInput,
  secondsToInput,
  setPermission,
} from '../../state/admin.js';
import type { Problem } from '../../state/store.js';
import { useConsole } from '../hooks.js';
import { ConfirmDialog, FieldError, FormField, LanguageSelect, LoadState, useLoaded } from './common.js';
import { describedBy, invalid, useFieldFormAction } from './form.js';

const NEW_FIELDS = ['name', 'key', 'language'] as const;

/** "New channel": name, key (suggested from the name until edited) and language. */
export function NewChannelForm({ onCreated, onCancel }: { onCreated(c: AdminChannel): void; onCancel(): void }) {
  const [snap, store] = useConsole();
  const { t } = snap;
  const [form, setForm] = useState<NewChannelInput>({ name: '', key: '', language: 'en' });
  const [keyEdited, setKeyEdited] = useState(false);
  const p = useFieldFormAction(NEW_FIELDS);
  const { busy } = p;
  const refs = { name: useRef<HTMLInputElement>(null), key: useRef<HTMLInputElement>(null), language: useRef<HTMLSelectElement>(null) };

  const submit = (e: Event) =>
    p.submit(
      e,
      async () => onCreated(await store.http.createChannel(form)),
      (problem) => {
        const f = NEW_FIELDS.find((x) => x === fieldOf(problem.field));
        if (f) refs[f].current?.focus();
      },
    );
  const described = (f: (typeof NEW_FIELDS)[number], hint?: string) => describedBy(`new-${f}`, p.errorFor(f), hint);

  return (
    <section class="settings-section" aria-labelledby="new-channel-heading" data-testid="channel-new-form">
      <h2 id="new-channel-heading">{t('channels.new')}</h2>
      <form class="admin-form" onSubmit={submit} noValidate aria-labelledby="new-channel-heading">
        <FormField id="new-name" label={t('channels.name')} field="name" errorTestId="channel-error" problem={p.errorFor('name')}>
          <input
            id="new-name"
            ref={refs.name}
            type="text"
            data-testid="channel-name"
            value={form.name}
            required
            aria-invalid={invalid(p.errorFor('name'))}
            aria-describedby={described('name')}
            onInput={(e) => {
              const name = e.currentTarget.value;
              setForm((f) => ({ ...f, name, key: keyEdited ? f.key : keyFromName(name) }));
            }}
          />
        </FormField>
        <FormField id="new-key" label={t('channels.key')} hint={t('channels.keyHint')} field="key" errorTestId="channel-error" problem={p.errorFor('key')}>
          <input
            id="new-key"
            ref={refs.key}
            type="text"
            data-testid="channel-key"
            value={form.key}
            required
            autocomplete="off"
            spellcheck={false}
            aria-invalid={invalid(p.errorFor('key'))}
            aria-describedby={described('key', 'new-key-hint')}
            onInput={(e) => {
              const key = e.currentTarget.value;
              setKeyEdited(true);
              setForm((f) => ({ ...f, key }));
            }}
          />
        </FormField>
        <FormField id="new-language" label={t('channels.language')} field="language" errorTestId="channel-error" problem={p.errorFor('language')}>
          <LanguageSelect
            id="new-language"
            selectRef={refs.language}
            testId="channel-language"
            value={form.language}
            invalid={p.errorFor('language') !== null}
            describedBy={described('language')}
            onChange={(language) => setForm((f) => ({ ...f, language }))}
          />
        </FormField>
        {p.general && (
          <p class="error" role="alert" data-testid="channel-error">
            {store.session.problemText(p.general)}
          </p>
        )}
        <div class="form-actions">
          <button type="submit" class="primary" data-testid="channel-create" disabled={busy}>
            {busy ? t('channels.creating') : t('channels.create')}
          </button>
          <button type="button" onClick={() => onCancel()}>
            {t('channels.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}

const PROP_FIELDS = ['name', 'language', 'badgeText', 'headerText', 'welcomeMessage', 'queueMessage', 'description', 'warnAfterSeconds', 'managerWarnAfterSeconds'] as const;
type PropField = (typeof PROP_FIELDS)[number];
const WARNING_FIELDS = ['warnAfterSeconds', 'managerWarnAfterSeconds'] as const;

/** Name, language, badge/header/welcome/queue texts, internal description, unanswered-chat warnings. */
export function PropertiesSection({ channel, onSaved, onDraft }: { channel: AdminChannel; onSaved(c: AdminChannel): void; onDraft?: (patch: Partial<AdminChannel>) => void }) {
  const [snap, store] = useConsole();
  const { t } = snap;
  const [saved, setSaved] = useState<ChannelProperties>(() => channelProperties(channel));
  const [form, setForm] = useState<ChannelProperties>(() => channelProperties(channel));
  const [justSaved, setJustSaved] = useState(false);
  const p = useFieldFormAction(PROP_FIELDS);
  const { busy } = p;
  const refs: Record<PropField, { current: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement | null }> = {
    name: useRef(null),
    language: useRef(null),
    badgeText: useRef(null),
    headerText: useRef(null),
    welcomeMessage: useRef(null),
    queueMessage: useRef(null),
    description: useRef(null),
    warnAfterSeconds: useRef(null),
    managerWarnAfterSeconds: useRef(null),
  };
  // The warnings' inputs as typed: "abc" must be refused at the field, not sent as "off".
  const [seconds, setSeconds] = useState(() => ({ warnAfterSeconds: secondsToInput(channel.warnAfterSeconds), managerWarnAfterSeconds: secondsToInput(channel.managerWarnAfterSeconds) }));
  const change = (patch: Partial<ChannelProperties>) => {
    const next = { ...form, ...patch };
    setForm(next);
    onDraft?.(next);
    setJustSaved(false);
    const f = p.field();
    if (f && f in patch) p.setProblem(null);
  };
  const save = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const badSeconds = WARNING_FIELDS.find((f) => Number.isNaN(form[f]));
    if (badSeconds) {
      p.setProblem({ code: 'validation_failed', message: '', field: badSeconds, detail: null, network: false });
      refs[badSeconds].current?.focus();
      return;
    }
    await p.run(
      async () => {
        setJustSaved(false);
        const result = await store.http.saveProperties(channel.id, form);
        const next = channelProperties(result);
        setSaved(next);
        if (sameProperties(form, next)) setSeconds({ warnAfterSeconds: secondsToInput(next.warnAfterSeconds), managerWarnAfterSeconds: secondsToInput(next.managerWarnAfterSeconds) });
        setForm((f) => (sameProperties(f, form) ? next : f));
        setJustSaved(true);
        onSaved(result);
      },
      (problem) => {
        const f = PROP_FIELDS.find((x) => x === fieldOf(problem.field));
        if (f) refs[f].current?.focus();
      },
    );
  };
  const described = (f: PropField, hint?: string) => describedBy(`prop-${f}`, p.errorFor(f), hint);
  const invalidField = (f: PropField) => invalid(p.errorFor(f));
  const dirty = !sameProperties(form, saved);
  const text = (f: 'name' | 'badgeText' | 'headerText', testId: string, label: string) => (
    <div class="field">
      <label for={`prop-${f}`}>{label}</label>
      <input
        id={`prop-${f}`}
        ref={refs[f] as { current: HTMLInputElement | null }}
        type="text"
        data-testid={testId}
        value={form[f]}
        aria-invalid={invalidField(f)}
        aria-describedby={described(f)}
        onInput={(e) => change({ [f]: e.currentTarget.value })}
      />
      <FieldError id={`prop-${f}-error`} field={f} testId="prop-error" problem={p.errorFor(f)} />
    </div>
  );
  const area = (f: 'welcomeMessage' | 'queueMessage' | 'description', testId: string, label: string, hint?: string) => (
    <div class="field">
      <label for={`prop-${f}`}>{label}</label>
      <textarea
        id={`prop-${f}`}
        ref={refs[f] as { current: HTMLTextAreaElement | null }}
        data-testid={testId}
        rows={3}
        value={form[f]}
        aria-invalid={invalidField(f)}
        aria-describedby={described(f, hint ? `prop-${f}-hint` : undefined)}
        onInput={(e) => change({ [f]: e.currentTarget.value })}
      />
      {hint && (
        <p id={`prop-${f}-hint`} class="hint" data-testid={`prop-${f}-hint`}>
          {hint}
        </p>
      )}
      <FieldError id={`prop-${f}-error`} field={f} testId="prop-error" problem={p.errorFor(f)} />
    </div>
  );

  return (
    <section class="settings-section" aria-labelledby="props-heading" data-testid="properties-section">
      <h3 id="props-heading">{t('props.heading')}</h3>
      <p class="hint">{t('props.textHint')}</p>
      <form class="admin-form" onSubmit={save} noValidate aria-labelledby="props-heading">
        {text('name', 'prop-name', t('props.name'))}
        <FormField id="prop-language" label={t('props.language')} field="language" errorTestId="prop-error" problem={p.errorFor('language')}>
          <LanguageSelect
            id="prop-language"
            testId="prop-language"
            selectRef={refs.language as { current: HTMLSelectElement | null }}
            value={form.language}
            invalid={p.errorFor('language') !== null}
            describedBy={described('language')}
            onChange={(language) => change({ language })}
          />
        </FormField>
        {text('badgeText', 'prop-badge', t('props.badge'))}
        {text('headerText', 'prop-header', t('props.header'))}
        {area('welcomeMessage', 'prop-welcome', t('props.welcome'))}
        {area('queueMessage', 'prop-queue-message', t('props.queueMessage'), t('props.queueVariables'))}
        {area('description', 'prop-description', t('props.description'))}
        <fieldset class="form-group warnings" aria-describedby="prop-warnings-hint">
          <legend>{t('props.warnings')}</legend>
          <p id="prop-warnings-hint" class="hint">
            {t('props.warningsHint')}
          </p>
          {WARNING_FIELDS.map((f) => (
            <div class="field" key={f}>
              <label for={`prop-${f}`}>{f === 'warnAfterSeconds' ? t('props.warnAfter') : t('props.managerWarnAfter')}</label>
              <input
                id={`prop-${f}`}
                ref={refs[f] as { current: HTMLInputElement | null }}
                type="number"
                inputMode="numeric"
                min={WARNING_SECONDS.min}
                max={WARNING_SECONDS.max}
                step={1}
                class="seconds"
                data-testid={f === 'warnAfterSeconds' ? 'prop-warn-after' : 'prop-manager-warn-after'}
                value={seconds[f]}
                aria-invalid={invalidField(f)}
                aria-describedby={described(f, `prop-${f}-hint`)}
                onInput={(e) => {
                  const text = e.currentTarget.value;
                  setSeconds((s) => ({ ...s, [f]: text }));
                  change({ [f]: secondsFromInput(text) });
                }}
              />
              <p id={`prop-${f}-hint`} class="hint">
                {f === 'warnAfterSeconds' ? t('props.warnAfterHint') : t('props.managerWarnAfterHint')}
              </p>
              <FieldError id={`prop-${f}-error`} field={f} testId="prop-error" problem={p.errorFor(f)} />
            </div>
          ))}
        </fieldset>
        {p.general && (
          <p class="error" role="alert" data-testid="prop-error">
            {store.session.problemText(p.general)}
          </p>
        )}
        <div class="form-actions">
          <button type="submit" class="primary" data-testid="prop-save" disabled={busy}>
            {busy ? t('admin.saving') : t('admin.save')}
          </button>
          <span class="ok" role="status" data-testid="prop-saved">
            {justSaved && !dirty ? t('admin.saved') : ''}
          </span>
        </div>
      </form>
    </section>
  );
}

/** Allowed origins: one per line; the server normalises them and names the first bad one. */
export function OriginsSection({ channel, onSaved }: { channel: AdminChannel; onSaved(c: AdminChannel): void }) {
  const [snap, store] = useConsole();
  const { t } = snap;
  const [text, setText] = useState(() => originLines(channel.origins));
  const [justSaved, setJustSaved] = useState(false);
  const p = useFieldFormAction(['origins'] as const);
  const { busy } = p;
  const input = useRef<HTMLTextAreaElement>(null);
  const save = (e: Event) =>
    p.submit(
      e,
      async () => {
        setJustSaved(false);
        const result = await store.http.saveOrigins(channel.id, parseOriginLines(text));
        setText(originLines(result.origins));
        setJustSaved(true);
        onSaved(result);
      },
      (problem) => {
        if (fieldOf(problem.field) === 'origins') input.current?.focus();
      },
    );
  return (
    <section class="settings-section" aria-labelledby="origins-heading" data-testid="origins-section">
      <h3 id="origins-heading">{t('origins.heading')}</h3>
      <form class="admin-form" onSubmit={save} noValidate aria-labelledby="origins-heading">
        <FormField id="origins-input" label={t('origins.label')} errorId="origins-error" field="origins" errorTestId="origins-error" problem={p.errorFor('origins')}>
          <textarea
            id="origins-input"
            ref={input}
            data-testid="origins-input"
            rows={4}
            spellcheck={false}
            value={text}
            aria-invalid={invalid(p.errorFor('origins'))}
            aria-describedby={describedBy('origins', p.errorFor('origins'))}
            onInput={(e) => {
              setText(e.currentTarget.value);
              setJustSaved(false);
            }}
          />
        </FormField>
        {p.general && (
          <p class="error" role="alert" data-testid="origins-error">
            {store.session.problemText(p.general)}
          </p>
        )}
        <div class="form-actions">
          <button type="submit" class="primary" data-testid="origins-save" disabled={busy}>
            {busy ? t('admin.saving') : t('origins.save')}
          </button>
          <span class="ok" role="status" data-testid="origins-saved">
            {justSaved ? t('admin.saved') : ''}
          </span>
        </div>
      </form>
    </section>
  );
}

/** The agents serving the channel and their permissions; saving replaces the whole list. */
export function AgentsSection({ channel }: { channel: AdminChannel }) {
  const [snap, store] = useConsole();
  const { t } = snap;
  const loaded = useLoaded(() => store.http.channelAgents(channel.id), `agents:${channel.id}`);
  const [rows, setRows] = useState<ChannelAgent[] | null>(null);
  const [choice, setChoice] = useState('');
  const [justSaved, setJustSaved] = useState(false);
  const p = useFieldFormAction(['agents'] as const);
  const { busy } = p;
  const current = rows ?? loaded.data?.agents ?? [];
  const available = loaded.data?.available ?? [];
  const addable = addableAgents(available, current);
  const edit = (next: ChannelAgent[]) => {
    setRows(next);
    setJustSaved(false);
  };
  const save = (e: Event) =>
    p.submit(e, async () => {
      setJustSaved(false);
      const result = await store.http.saveChannelAgents(channel.id, agentInputs(current));
      loaded.update(() => result);
      setRows(null);
      setJustSaved(true);
    });
  const dirty = rows !== null && loaded.data !== null && !sameAgentRows(rows, loaded.data.agents);
  const label = { canRespond: t('agents.canRespond'), notifications: t('agents.notifications'), canListen: t('agents.canListen'), manager: t('agents.manager') };
  const problem = p.problem;

  return (
    <section class="settings-section" aria-labelledby="agents-heading" data-testid="agents-section">
      <h3 id="agents-heading">{t('agents.heading')}</h3>
      <LoadState loaded={loaded} />
      {loaded.data && (
        <form class="admin-form" onSubmit={save} noValidate aria-labelledby="agents-heading">
          {current.length === 0 ? (
            <p class="hint">{t('agents.none')}</p>
          ) : (
            <table class="agents-table">
              <caption class="visually-hidden">{t('agents.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('agents.agent')}</th>
                  {PERMISSIONS.map((perm) => (
                    <th key={perm} scope="col">
                      {label[perm]}
                    </th>
                  ))}
                  <th scope="col">
                    <span class="visually-hidden">{t('agents.remove')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {current.map((row) => (
                  <tr key={row.agentId} data-testid="channel-agent-row" data-agent-id={row.agentId}>
                    <th scope="row">
                      {row.name} <span class="hint">{row.email}</span>
                    </th>
                    {PERMISSIONS.map((perm) => (
                      <td key={perm}>
                        <input
                          type="checkbox"
                          data-testid={`perm-${perm}`}
                          checked={row[perm]}
                          aria-label={t('agents.permissionLabel', { permission: label[perm], name: row.name })}
                          onChange={(e) => edit(setPermission(current, row.agentId, perm, e.currentTarget.checked))}
                        />
                      </td>
                    ))}
                    <td>
                      <button
                        type="button"
                        data-testid="agent-remove"
                        aria-label={t('agents.removeLabel', { name: row.name })}
                        onClick={() => edit(removeAgentRow(current, row.agentId))}
                      >
                        {t('agents.remove')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <fieldset class="agent-add">
            <legend>{t('agents.add')}</legend>
            <label for="agent-add-select" class="visually-hidden">
              {t('agents.add')}
            </label>
            <select id="agent-add-select" data-testid="agent-add-select" value={choice} onChange={(e) => setChoice(e.currentTarget.value)}>
              <option value="">{t('agents.choose')}</option>
              {addable.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name} ({a.email})
                </option>
              ))}
            </select>
            <button
              type="button"
              data-testid="agent-add"
              disabled={choice === ''}
              onClick={() => {
                const agent = available.find((a) => a.id === choice);
                if (agent) edit(addAgentRow(current, agent));
                setChoice('');
              }}
            >
              {t('agents.addButton')}
            </button>
          </fieldset>
          {problem && (
            <p class="error" role="alert" data-testid="agents-error">
              {store.session.problemText(problem)}
              {problem.detail && (
                <>
                  {' '}
                  <code class="detail">{problem.detail}</code>
                </>
              )}
            </p>
          )}
          <div class="form-actions">
            <button type="submit" class="primary" data-testid="agents-save" disabled={busy}>
              {busy ? t('admin.saving') : t('agents.save')}
            </button>
            <span class="ok" role="status" data-testid="agents-saved">
              {justSaved && !dirty ? t('admin.saved') : ''}
            </span>
          </div>
        </form>
      )}
    </section>
  );
}

/** The one deferred script tag, read-only, with a copy button. */
export function EmbedSection({ channel }: { channel: AdminChannel }) {
  const [snap] = useConsole();
  const { t } = snap;
  const [status, setStatus] = useState<'idle' | 'copied' | 'failed'>('idle');
  const area = useRef<HTMLTextAreaElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(channel.embedSnippet);
      setStatus('copied');
    } catch {
      area.current?.select();
      setStatus('failed');
    }
  };
  return (
    <section class="settings-section" aria-labelledby="embed-heading" data-testid="embed-section">
      <h3 id="embed-heading">{t('embed.heading')}</h3>
      <p id="embed-intro" class="hint">
        {t('embed.intro')}
      </p>
      <div class="field">
        <label for="embed-snippet">{t('embed.label')}</label>
        <textarea
          id="embed-snippet"
          ref={area}
          class="code"
          data-testid="embed-snippet"
          readOnly
          rows={2}
          spellcheck={false}
          aria-describedby="embed-intro"
          value={channel.embedSnippet}
          onFocus={(e) => e.currentTarget.select()}
        />
      </div>
      <div class="form-actions">
        <button type="button" data-testid="embed-copy" onClick={() => void copy()}>
          {t('embed.copy')}
        </button>
        <span class="ok" role="status" data-testid="embed-copied">
          {status === 'copied' ? t('embed.copied') : status === 'failed' ? t('embed.copyFailed') : ''}
        </span>
      </div>
    </section>
  );
}

/** Deleting is refused by the server while the channel has chats (channel_in_use); the reason is shown. */
export function DeleteSection({ channel, onDeleted }: { channel: AdminChannel; onDeleted(id: string): void }) {
  const [snap, store] = useConsole();
  const { t } = snap;
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const remove = async () => {
    setConfirming(false);
    setProblem(null);
    try {
      await store.http.deleteChannel(channel.id);
      onDeleted(channel.id);
    } catch (err) {
      setProblem(store.session.problem(err));
    }
  };
  return (
    <section class="settings-section" aria-labelledby="delete-heading" data-testid="delete-section">
      <h3 id="delete-heading">{t('delete.heading')}</h3>
      <p class="hint">{t('delete.intro')}</p>
      <button type="button" class="danger" data-testid="channel-delete" onClick={() => setConfirming(true)}>
        {t('delete.button')}
      </button>
      {problem && (
        <p class="error" role="alert" data-testid="channel-delete-error">
          {store.session.problemText(problem)}
        </p>
      )}
      <ConfirmDialog
        open={confirming}
        id="channel-delete-confirm"
        title={t('delete.confirmTitle')}
        text={t('delete.confirmText', { name: channel.name })}
        confirm={t('delete.confirm')}
        confirmTestId="channel-delete-confirm"
        onConfirm={() => void remove()}
        onClose={() => setConfirming(false)}
      />
    </section>
  );
}
