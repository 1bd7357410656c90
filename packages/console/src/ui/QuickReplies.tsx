import { useEffect, useRef, useState } from 'preact/hooks';
import { QUICK_REPLY_LIMITS, QUICK_REPLY_VARIABLES, type QuickReply } from '@loket/protocol';
import { FormField, LoadState, useLoaded } from './admin/common.js';
import { describedBy, invalid, useFieldFormAction } from './admin/form.js';
import { useConsole, useStore } from './hooks.js';

interface Group {
  channelId: string | null;
  title: string;
  editable: boolean;
}

/**
 * Quick replies on the profile page: my own, and the shared ones of my channels, editable where I manage the channel
 * (docs/quick-replies.md). In a chat, `/` and the shortcut insert one.
 */
export function QuickRepliesSettings() {
  const [snap] = useConsole();
  const { t } = snap;
  const [state, quickReplies] = useStore((root) => root.quickReplies);
  const loaded = useLoaded(() => quickReplies.load(), 'quick-replies');
  const [status, setStatus] = useState<string | null>(null);
  const groups: Group[] = [
    { channelId: null, title: t('quickReplies.mine'), editable: true },
    ...state.channels.map((c) => ({ channelId: c.id, title: t('quickReplies.shared', { channel: c.name }), editable: c.editable })),
  ];
  return (
    <section class="admin-form quick-replies" aria-labelledby="quick-replies-heading" data-testid="quick-replies">
      <h2 id="quick-replies-heading">{t('quickReplies.heading')}</h2>
      <p class="hint">{t('quickReplies.intro')}</p>
      <p class="hint">
        {t('quickReplies.variables')}{' '}
        {QUICK_REPLY_VARIABLES.map((v) => (
          <code key={v} class="variable">{`{{${v}}}`}</code>
        ))}
      </p>
      <LoadState loaded={loaded} />
      {state.quickReplies &&
        groups.map((g) => (
          <QuickReplyGroup key={g.channelId ?? 'mine'} group={g} replies={(state.quickReplies ?? []).filter((r) => r.channelId === g.channelId)} onStatus={setStatus} />
        ))}
      <p class="ok" role="status" data-testid="quick-replies-status">
        {status}
      </p>
    </section>
  );
}

function QuickReplyGroup({ group, replies, onStatus }: { group: Group; replies: QuickReply[]; onStatus(text: string | null): void }) {
  const [snap, store] = useConsole();
  const { t } = snap;
  // 'new', the id being edited, or null.
  const [editing, setEditing] = useState<string | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const [removeProblem, setRemoveProblem] = useState<string | null>(null);
  const headingId = `qr-group-${group.channelId ?? 'mine'}`;
  const done = (saved: boolean) => {
    setEditing(null);
    onStatus(saved ? t('quickReplies.saved') : null);
    setTimeout(() => addButton.current?.focus(), 0);
  };
  const remove = async (r: QuickReply) => {
    setRemoveProblem(null);
    try {
      await store.quickReplies.remove(r.id);
      onStatus(t('quickReplies.deleted', { shortcut: r.shortcut }));
      addButton.current?.focus();
    } catch (err) {
      setRemoveProblem(store.session.problemText(store.session.problem(err)));
    }
  };
  return (
    <div class="quick-reply-group" role="group" aria-labelledby={headingId} data-testid="quick-reply-group" data-channel={group.channelId ?? ''}>
      <h3 id={headingId}>{group.title}</h3>
      {replies.length === 0 ? (
        <p class="hint">{t('quickReplies.none')}</p>
      ) : (
        <ul class="quick-reply-list">
          {replies.map((r) =>
            editing === r.id ? (
              <li key={r.id}>
                <QuickReplyForm channelId={group.channelId} reply={r} onDone={done} />
              </li>
            ) : (
              <li key={r.id} data-testid="quick-reply" data-shortcut={r.shortcut}>
                <code>/{r.shortcut}</code> <span class="quick-reply-text">{r.text}</span>
                {r.editable && (
                  <span class="row-actions">
                    <button type="button" class="link" aria-label={t('quickReplies.editLabel', { shortcut: r.shortcut })} onClick={() => setEditing(r.id)}>
                      {t('quickReplies.edit')}
                    </button>{' '}
                    <button type="button" class="link" data-testid="quick-reply-delete" aria-label={t('quickReplies.deleteLabel', { shortcut: r.shortcut })} onClick={() => void remove(r)}>
                      {t('quickReplies.delete')}
                    </button>
                  </span>
                )}
              </li>
            ),
          )}
        </ul>
      )}
      {removeProblem && (
        <p class="error" role="alert">
          {removeProblem}
        </p>
      )}
      {!group.editable ? (
        <p class="hint">{t('quickReplies.readOnly')}</p>
      ) : editing === 'new' ? (
        <QuickReplyForm channelId={group.channelId} reply={null} onDone={done} />
      ) : (
        <button type="button" class="small" ref={addButton} data-testid="quick-reply-add" onClick={() => setEditing('new')}>
          {t('quickReplies.add')}
        </button>
      )}
    </div>
  );
}

function QuickReplyForm({ channelId, reply, onDone }: { channelId: string | null; reply: QuickReply | null; onDone(saved: boolean): void }) {
  const [snap, store] = useConsole();
  const { t } = snap;
  const [shortcut, setShortcut] = useState(reply?.shortcut ?? '');
  const [text, setText] = useState(reply?.text ?? '');
  const action = useFieldFormAction(['shortcut', 'text'] as const);
  const shortcutRef = useRef<HTMLInputElement>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const id = `qr-${reply?.id ?? `new-${channelId ?? 'mine'}`}`;
  // The form was opened by a button: the keyboard goes along to its first field.
  useEffect(() => shortcutRef.current?.focus(), []);
  const save = (e: Event) =>
    action.submit(
      e,
      async () => {
        await store.quickReplies.save(reply?.id ?? null, { channelId, shortcut, text });
        onDone(true);
      },
      () => (action.field() === 'text' ? textRef.current : shortcutRef.current)?.focus(),
    );
  const shortcutError = action.errorFor('shortcut');
  const textError = action.errorFor('text');
  return (
    <form class="quick-reply-form" onSubmit={save} noValidate data-testid="quick-reply-form">
      <FormField id={`${id}-shortcut`} label={t('quickReplies.shortcut')} hint={t('quickReplies.shortcutHint')} field="shortcut" errorTestId="quick-reply-error" problem={shortcutError}>
        <input
          id={`${id}-shortcut`}
          ref={shortcutRef}
          data-testid="quick-reply-shortcut"
          type="text"
          autoComplete="off"
          required
          maxLength={QUICK_REPLY_LIMITS.shortcut + 1}
          value={shortcut}
          aria-invalid={invalid(shortcutError)}
          aria-describedby={describedBy(`${id}-shortcut`, shortcutError, `${id}-shortcut-hint`)}
          onInput={(e) => setShortcut(e.currentTarget.value)}
        />
      </FormField>
      <FormField id={`${id}-text`} label={t('quickReplies.text')} field="text" errorTestId="quick-reply-error" problem={textError}>
        <textarea
          id={`${id}-text`}
          ref={textRef}
          data-testid="quick-reply-text"
          rows={3}
          required
          value={text}
          aria-invalid={invalid(textError)}
          aria-describedby={describedBy(`${id}-text`, textError)}
          onInput={(e) => setText(e.currentTarget.value)}
        />
      </FormField>
      {action.general && (
        <p class="error" role="alert" data-testid="quick-reply-error">
          {store.session.problemText(action.general)}
        </p>
      )}
      <div class="form-actions">
        <button type="submit" class="primary small" data-testid="quick-reply-save" disabled={action.busy}>
          {action.busy ? t('admin.saving') : t('quickReplies.save')}
        </button>
        <button type="button" class="small" onClick={() => onDone(false)}>
          {t('quickReplies.cancel')}
        </button>
      </div>
    </form>
  );
}
