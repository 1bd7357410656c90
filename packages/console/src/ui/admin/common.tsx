import type { ComponentChildren, JSX } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { LANGUAGES, type Language } from '@loket/protocol';
import { LANGUAGE_ENDONYMS } from '../../state/admin.js';
import type { Problem } from '../../state/store.js';
import { formatRoute, type Route } from '../../state/route.js';
import { useConsole } from '../hooks.js';

type AnchorProps = Omit<JSX.HTMLAttributes<HTMLAnchorElement>, 'href' | 'onClick'>;

/** A real link (open in new tab works) that navigates inside the app on a plain click. */
export function RouteLink({ route, children, ...rest }: AnchorProps & { route: Route; children: ComponentChildren }) {
  const [, store] = useConsole();
  return (
    <a
      {...rest}
      href={formatRoute(route)}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        store.route.navigate(route);
      }}
    >
      {children}
    </a>
  );
}

export interface Loaded<T> {
  data: T | null;
  problem: Problem | null;
  loading: boolean;
  reload(): void;
  /** Local updates after a successful write (no refetch needed). */
  update(fn: (data: T) => T): void;
}

/** Loads once per `key`, ignoring answers to superseded loads. */
export function useLoaded<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const [, store] = useConsole();
  const [data, setData] = useState<T | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [loading, setLoading] = useState(true);
  const [round, setRound] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let current = true;
    setLoading(true);
    setProblem(null);
    loadRef.current().then(
      (value) => {
        if (!current) return;
        setData(value);
        setLoading(false);
      },
      (err: unknown) => {
        if (!current) return;
        setProblem(store.session.problem(err));
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
  }, [key, round, store]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  const update = useCallback((fn: (data: T) => T) => setData((d) => (d === null ? d : fn(d))), []);
  return { data, problem, loading, reload, update };
}

/** What a view shows while its data loads or after the load failed. */
export function LoadState({ loaded, testId }: { loaded: Pick<Loaded<unknown>, 'problem' | 'loading' | 'reload'>; testId?: string }) {
  const [snap, store] = useConsole();
  const { t } = snap;
  if (loaded.problem) {
    return (
      <div class="load-error" role="alert" data-testid={testId}>
        <p class="error">{store.session.problemText(loaded.problem)}</p>
        <button type="button" class="small" onClick={() => loaded.reload()}>
          {t('admin.retryLoad')}
        </button>
      </div>
    );
  }
  if (loaded.loading) {
    return (
      <p class="hint" role="status">
        {t('admin.loading')}
      </p>
    );
  }
  return null;
}

/** The error of one form field, referenced by the field's aria-describedby. */
export function FieldError({ id, problem, testId, field }: { id: string; problem: Problem | null; testId: string; field: string }) {
  const [, store] = useConsole();
  if (!problem) return null;
  return (
    <p id={id} class="error field-error" data-testid={testId} data-field={field}>
      {store.session.problemText(problem)}
      {problem.detail && (
        <>
          {' '}
          <code class="detail">{problem.detail}</code>
        </>
      )}
    </p>
  );
}

/** A language choice, each language by its own name. */
export function LanguageSelect(props: {
  id: string;
  testId: string;
  value: Language;
  invalid: boolean;
  describedBy: string | undefined;
  selectRef: { current: HTMLSelectElement | null };
  onChange(l: Language): void;
}) {
  return (
    <select
      id={props.id}
      ref={props.selectRef}
      data-testid={props.testId}
      value={props.value}
      aria-invalid={props.invalid ? true : undefined}
      aria-describedby={props.describedBy}
      onChange={(e) => {
        const value = e.currentTarget.value;
        const language = LANGUAGES.find((l) => l === value);
        if (language) props.onChange(language);
      }}
    >
      {LANGUAGES.map((l) => (
        <option key={l} value={l} lang={l}>
          {LANGUAGE_ENDONYMS[l]}
        </option>
      ))}
    </select>
  );
}

/**
 * A labelled form field: the label, the control (children), an optional hint (id `${id}-hint`, for the control's
 * aria-describedby) and the field's error (id `${id}-error` unless errorId says otherwise).
 */
export function FormField(props: {
  id: string;
  label: ComponentChildren;
  hint?: ComponentChildren;
  errorId?: string;
  field: string;
  errorTestId: string;
  problem: Problem | null;
  children: ComponentChildren;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint !== undefined && (
        <p id={`${props.id}-hint`} class="hint">
          {props.hint}
        </p>
      )}
      <FieldError id={props.errorId ?? `${props.id}-error`} field={props.field} testId={props.errorTestId} problem={props.problem} />
    </div>
  );
}

/** A checkbox (children) with its label after it, and the field's error (id `${id}-error` unless errorId says otherwise). */
export function CheckField(props: { id: string; label: ComponentChildren; errorId?: string; field: string; errorTestId: string; problem: Problem | null; children: ComponentChildren }) {
  return (
    <div class="check">
      {props.children}
      <label for={props.id}>{props.label}</label>
      <FieldError id={props.errorId ?? `${props.id}-error`} field={props.field} testId={props.errorTestId} problem={props.problem} />
    </div>
  );
}

/** A modal confirmation (native <dialog>: focus trap, Escape and backdrop handled by the browser). */
export function ConfirmDialog(props: {
  open: boolean;
  id: string;
  title: string;
  text: string;
  confirm: string;
  confirmTestId: string;
  onConfirm(): void;
  onClose(): void;
}) {
  const [snap] = useConsole();
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (props.open && !d.open) d.showModal();
    if (!props.open && d.open) d.close();
  }, [props.open]);
  return (
    <dialog ref={dialog} class="confirm" aria-labelledby={`${props.id}-title`} aria-describedby={`${props.id}-text`} onClose={() => props.onClose()}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      <p id={`${props.id}-text`}>{props.text}</p>
      <div class="confirm-actions">
        <button type="button" onClick={() => props.onClose()}>
          {snap.t('confirm.cancel')}
        </button>
        <button type="button" class="danger" data-testid={props.confirmTestId} onClick={() => props.onConfirm()}>
          {props.confirm}
        </button>
      </div>
    </dialog>
  );
}

/** The heading of an admin view; focused when the view opens so screen readers hear where they are. */
export function ViewHeading({ id, children }: { id: string; children: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    // Only when focus was on the navigation (or nowhere): never steal it from a field.
    const active = document.activeElement;
    if (!active || active === document.body || active.closest('[data-nav]')) ref.current?.focus();
  }, []);
  return (
    <h1 id={id} ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}
