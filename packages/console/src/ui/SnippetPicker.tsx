import { useEffect, useState } from 'preact/hooks';
import type { ComposeSnippet } from '@loket/protocol';
import { moveActive } from '../state/faqs.js';
import { filterSnippets, slashQuery } from '../state/snippets.js';
import type { Problem } from '../state/store.js';
import { useConsole } from './hooks.js';

export interface SnippetPicker {
  open: boolean;
  options: ComposeSnippet[];
  active: number;
  listId: string;
  optionId(i: number): string;
  /** The composer's keys while the picker is open; true when the picker handled the key. */
  onKeyDown(e: KeyboardEvent): boolean;
  choose(snippet: ComposeSnippet): void;
  status: string;
  problem: Problem | null;
}

/**
 * The composer's `/` picker (docs/quick-replies.md): open while the caret is in a `/word` that starts a word, listing
 * what matches the word. `insert(start, end, text)` replaces the `/word` with the chosen, already filled, text.
 */
export function useSnippetPicker(chatId: string, value: string, caret: number, insert: (start: number, end: number, text: string) => void): SnippetPicker {
  const [snap, store] = useConsole();
  const { t } = snap;
  const token = slashQuery(value, caret);
  // Escape closes the picker for this `/word`; typing `/` elsewhere opens it again.
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const open = token !== null && token.start !== dismissedAt;
  const [all, setAll] = useState<ComposeSnippet[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [active, setActive] = useState(0);

  useEffect(() => {
    if (token === null) setDismissedAt(null);
  }, [token === null]);
  useEffect(() => {
    setAll(null);
    setProblem(null);
  }, [chatId]);
  useEffect(() => {
    if (!open) return;
    let live = true;
    store.quickReplies.snippets(chatId).then(
      (list) => {
        if (!live) return;
        setAll(list);
        setProblem(null);
      },
      (err: unknown) => live && setProblem(store.session.problem(err)),
    );
    return () => {
      live = false;
    };
  }, [open, chatId, store]);
  // The best match is the active one, so Enter takes it; the arrows choose another.
  useEffect(() => setActive(0), [token?.query, open]);

  const options = open && all ? filterSnippets(all, token.query) : [];
  const base = `snippets-${chatId}`;
  const choose = (s: ComposeSnippet) => {
    if (token) insert(token.start, caret, s.text);
  };
  const onKeyDown = (e: KeyboardEvent): boolean => {
    if (!open || token === null) return false;
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      setDismissedAt(token.start);
      return true;
    }
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => moveActive(a, options.length, e.key));
      return true;
    }
    const chosen = options[active];
    if ((e.key === 'Enter' || e.key === 'Tab') && !e.shiftKey && !e.isComposing && chosen) {
      e.preventDefault();
      choose(chosen);
      return true;
    }
    return false;
  };
  const status = !open ? '' : all === null ? t('snippets.loading') : t('snippets.results', { count: options.length });
  return { open, options, active, listId: `${base}-list`, optionId: (i) => `${base}-opt-${i}`, onKeyDown, choose, status, problem };
}

const KIND_KEY = { personal: 'snippets.personal', channel: 'snippets.channel', template: 'snippets.template' } as const;

/** The picker's listbox under the composer; the composer (a combobox) keeps the focus. */
export function SnippetList({ picker }: { picker: SnippetPicker }) {
  const [snap, store] = useConsole();
  const { t } = snap;
  useEffect(() => {
    if (picker.open) document.getElementById(picker.optionId(picker.active))?.scrollIntoView({ block: 'nearest' });
  }, [picker.open, picker.active]);
  if (!picker.open) return null;
  return (
    <div class="snippet-picker" data-testid="snippet-picker">
      {picker.problem ? (
        <p class="error" role="alert">
          {store.session.problemText(picker.problem)}
        </p>
      ) : (
        <p class="hint">{t('snippets.hint')}</p>
      )}
      {picker.options.length > 0 && (
        <ul id={picker.listId} role="listbox" class="faq-picker-list" aria-label={t('snippets.listLabel')} data-testid="snippet-list">
          {picker.options.map((s, i) => (
            <li
              key={`${s.kind}-${s.id}`}
              id={picker.optionId(i)}
              role="option"
              class="faq-picker-option"
              data-testid="snippet-option"
              data-kind={s.kind}
              aria-selected={i === picker.active ? 'true' : 'false'}
              // The composer keeps the focus; a click chooses.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => picker.choose(s)}
            >
              <span class="q">{s.kind === 'template' ? s.label : `/${s.label}`}</span>
              <span class="meta">
                {t(KIND_KEY[s.kind])} · {s.text.length > 80 ? `${s.text.slice(0, 80)}…` : s.text}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
