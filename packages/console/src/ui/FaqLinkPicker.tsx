import { useEffect, useRef, useState } from 'preact/hooks';
import { LANGUAGES, type AgentFaqHit, type Language } from '@loket/protocol';
import { LANGUAGE_ENDONYMS } from '../state/admin.js';
import { moveActive } from '../state/faqs.js';
import type { Problem } from '../state/store.js';
import { useConsole } from './hooks.js';

/** Typing pauses this long before the search runs. */
const SEARCH_DEBOUNCE_MS = 200;

/**
 * "Insert FAQ link": a small non-modal dialog with a search combobox and its listbox of published FAQs. Choosing one
 * hands it to `onPick` (the composer inserts it); Escape or the close button ends it and the composer gets focus back.
 */
export function FaqLinkPicker({ chatId, onPick, onClose }: { chatId: string; onPick(hit: AgentFaqHit): void; onClose(): void }) {
  const [snap, store] = useConsole();
  const { t } = snap;
  const channelId = snap.data.chats[chatId]?.channelId;
  // The chat's channel language; an agent outside that channel (an administrator) starts with all languages.
  const channelLanguage = snap.data.agent?.channels.find((c) => c.id === channelId)?.language ?? null;
  const [language, setLanguage] = useState<Language | null>(channelLanguage);
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<AgentFaqHit[] | null>(null);
  const [active, setActive] = useState(-1);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const round = useRef(0);
  const input = useRef<HTMLInputElement>(null);
  const base = `faq-picker-${chatId}`;

  useEffect(() => input.current?.focus(), []);

  useEffect(() => {
    const current = ++round.current;
    if (q.trim() === '') {
      setHits(null);
      setActive(-1);
      setBusy(false);
      setProblem(null);
      return;
    }
    setBusy(true);
    const timer = setTimeout(() => {
      store.http.searchFaqs(q.trim(), language).then(
        (result) => {
          if (current !== round.current) return;
          setHits(result);
          // Nothing chosen until the arrow keys say so: Enter never inserts a link the agent did not look at.
          setActive(-1);
          setProblem(null);
          setBusy(false);
        },
        (err: unknown) => {
          if (current !== round.current) return;
          setProblem(store.session.problem(err));
          setBusy(false);
        },
      );
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [q, language, store]);

  // The active option stays in sight when the arrow keys move past the list's visible part.
  useEffect(() => {
    if (active >= 0) document.getElementById(`${base}-opt-${active}`)?.scrollIntoView({ block: 'nearest' });
  }, [active, base]);

  const list = hits ?? [];
  const pick = (hit: AgentFaqHit | undefined) => {
    if (hit) onPick(hit);
  };

  const status = busy ? t('faqLink.searching') : hits === null ? t('faqLink.hint') : t('faqLink.results', { count: list.length });

  return (
    <div
      class="faq-picker"
      role="dialog"
      aria-labelledby={`${base}-title`}
      data-testid="faq-picker"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <div class="faq-picker-head">
        <h2 id={`${base}-title`}>{t('faqLink.title')}</h2>
        <button type="button" class="link small" data-testid="faq-picker-close" onClick={() => onClose()}>
          {t('admin.close')}
        </button>
      </div>
      <div class="faq-picker-fields">
        <label for={`${base}-q`}>{t('faqLink.search')}</label>
        <input
          id={`${base}-q`}
          ref={input}
          type="text"
          role="combobox"
          autocomplete="off"
          data-testid="faq-picker-search"
          aria-expanded={list.length > 0 ? 'true' : 'false'}
          aria-controls={list.length > 0 ? `${base}-list` : undefined}
          aria-autocomplete="list"
          aria-activedescendant={active >= 0 && list[active] ? `${base}-opt-${active}` : undefined}
          aria-describedby={`${base}-status`}
          value={q}
          onInput={(e) => setQ(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' || e.key === 'ArrowUp' || ((e.key === 'Home' || e.key === 'End') && e.ctrlKey)) {
              e.preventDefault();
              setActive((a) => moveActive(a, list.length, e.key));
            } else if (e.key === 'Enter') {
              // Never submits anything: Enter only chooses.
              e.preventDefault();
              pick(list[active]);
            }
          }}
        />
        <label for={`${base}-lang`}>{t('faqLink.language')}</label>
        <select
          id={`${base}-lang`}
          data-testid="faq-picker-language"
          value={language ?? ''}
          onChange={(e) => {
            const value = e.currentTarget.value;
            setLanguage(LANGUAGES.find((l) => l === value) ?? null);
          }}
        >
          <option value="">{t('faqs.allLanguages')}</option>
          {LANGUAGES.map((l) => (
            <option key={l} value={l} lang={l}>
              {LANGUAGE_ENDONYMS[l]}
            </option>
          ))}
        </select>
      </div>
      <p id={`${base}-status`} class="hint" role="status">
        {problem ? '' : status}
      </p>
      {problem && (
        <p class="error" role="alert">
          {store.session.problemText(problem)}
        </p>
      )}
      {list.length > 0 && (
        <ul id={`${base}-list`} role="listbox" class="faq-picker-list" aria-label={t('faqLink.listLabel')} data-testid="faq-picker-list">
          {list.map((hit, i) => (
            <li
              key={hit.id}
              id={`${base}-opt-${i}`}
              role="option"
              class="faq-picker-option"
              data-testid="faq-picker-option"
              data-faq-id={hit.id}
              aria-selected={i === active ? 'true' : 'false'}
              lang={hit.language}
              // Keep focus in the search field: the click chooses, the field keeps the keyboard.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => pick(hit)}
            >
              <span class="q">{hit.question}</span>
              <span class="meta">
                {LANGUAGE_ENDONYMS[hit.language]}
                {hit.visibility === 'logged_in' && <> · {t('faqs.visibility.logged_in')}</>}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
