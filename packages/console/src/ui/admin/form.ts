import { useEffect, useRef, useState } from 'preact/hooks';
import { fieldOf } from '../../state/admin.js';
import type { Problem } from '../../state/store.js';
import { useConsole } from '../hooks.js';

/** Something focusable held by a ref. */
export interface FocusRef {
  current: HTMLElement | null;
}

/**
 * A field's aria-describedby: its hint (if any), then its error while it has one (the FieldError's id is
 * `${fieldId}-error`); undefined when there is neither.
 */
export function describedBy(fieldId: string, error: unknown, hint?: string): string | undefined {
  return [hint ?? '', error ? `${fieldId}-error` : ''].filter(Boolean).join(' ') || undefined;
}

/** A field's aria-invalid: only while it has an error. */
export function invalid(error: unknown): true | undefined {
  return error ? true : undefined;
}

/** Focuses after the re-render that enables the element again (a button disabled while busy). */
export function focusLater(ref: FocusRef): void {
  setTimeout(() => ref.current?.focus(), 0);
}

export interface FormAction {
  busy: boolean;
  problem: Problem | null;
  setProblem(problem: Problem | null): void;
  /**
   * Runs `action` with busy set and the last problem cleared; a failure becomes the problem and is handed to
   * `onError` (to focus the field the server named, or the button that was used).
   */
  run(action: () => Promise<void>, onError?: (problem: Problem) => void): Promise<void>;
  /** A form's onSubmit around `run`: no page load, and a submit while one runs is ignored. */
  submit(e: Event, action: () => Promise<void>, onError?: (problem: Problem) => void): Promise<void>;
}

/** The busy flag and the server's problem of a form that saves (or removes) through the API. */
export function useFormAction(): FormAction {
  const [, store] = useConsole();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const run = async (action: () => Promise<void>, onError?: (problem: Problem) => void) => {
    setBusy(true);
    setProblem(null);
    try {
      await action();
    } catch (err) {
      const p = store.session.problem(err);
      setProblem(p);
      onError?.(p);
    } finally {
      setBusy(false);
    }
  };
  const submit = async (e: Event, action: () => Promise<void>, onError?: (problem: Problem) => void) => {
    e.preventDefault();
    if (busy) return;
    await run(action, onError);
  };
  return { busy, problem, setProblem, run, submit };
}

export interface FieldFormAction<F extends string> extends FormAction {
  /** Which of the form's fields the problem is about (null: none of them). */
  field(): F | null;
  /** The problem, for the one field it is about. */
  errorFor(f: F): Problem | null;
  /** The problem when it is about none of the fields: shown as the form's general error. */
  general: Problem | null;
}

/** useFormAction for a form whose server errors name one of `fields`. */
export function useFieldFormAction<F extends string>(fields: readonly F[]): FieldFormAction<F> {
  const action = useFormAction();
  const { problem } = action;
  const field = (): F | null => {
    const f = fieldOf(problem?.field);
    return fields.find((x) => x === f) ?? null;
  };
  const errorFor = (f: F): Problem | null => (field() === f ? problem : null);
  const general = problem && field() === null ? problem : null;
  return { ...action, field, errorFor, general };
}

/**
 * Whether a confirmation dialog opened from `button` is open. `onClose` is the dialog's: closing it without
 * confirming (Cancel, Escape) hands focus back to the button; a confirm closes it through setConfirming(false).
 */
export function useConfirm(button: FocusRef) {
  const [confirming, setConfirming] = useState(false);
  const onClose = () => {
    if (confirming) {
      setConfirming(false);
      button.current?.focus();
    }
  };
  return { confirming, setConfirming, onClose };
}

export interface Preview<T> {
  data: T | null;
  problem: Problem | null;
  busy: boolean;
}

/**
 * A live preview: `request` is asked `delayMs` after `key` (what it depends on) stops changing, and only the answer
 * to the latest request counts. A null request (nothing to render yet) clears the preview without asking.
 */
export function usePreview<T>(request: (() => Promise<T>) | null, key: string, delayMs: number): Preview<T> {
  const [, store] = useConsole();
  const [data, setData] = useState<T | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const round = useRef(0);
  const requestRef = useRef(request);
  requestRef.current = request;
  useEffect(() => {
    const current = ++round.current;
    const ask = requestRef.current;
    if (!ask) {
      setData(null);
      setProblem(null);
      setBusy(false);
      return;
    }
    setBusy(true);
    const timer = setTimeout(() => {
      ask().then(
        (result) => {
          if (current !== round.current) return;
          setData(result);
          setProblem(null);
          setBusy(false);
        },
        (err: unknown) => {
          if (current !== round.current) return;
          setProblem(store.session.problem(err));
          setBusy(false);
        },
      );
    }, delayMs);
    return () => clearTimeout(timer);
  }, [key, delayMs, store]);
  return { data, problem, busy };
}
