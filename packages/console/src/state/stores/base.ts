/**
 * One concern's state with its own subscription. Components read `state` (a new object on every
 * change, so it works as a snapshot) and call the store's methods.
 */
export abstract class Store<S extends object> {
  private current: S;
  private readonly listeners = new Set<() => void>();

  protected constructor(initial: S) {
    this.current = initial;
  }

  get state(): S {
    return this.current;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  protected set(patch: Partial<S>): void {
    this.current = { ...this.current, ...patch };
    for (const l of this.listeners) l();
  }
}

/** Callbacks other stores register for one kind of moment (signed in, signed out…), run in registration order. */
export class Hooks<T> {
  private readonly fns: Array<(value: T) => void> = [];
  add(fn: (value: T) => void): void {
    this.fns.push(fn);
  }
  run(value: T): void {
    for (const fn of this.fns) fn(value);
  }
}

export function safeStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
