import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { Store } from '../state/stores/base.js';
import type { ConsoleStore, Snapshot } from '../state/store.js';

export const StoreContext = createContext<ConsoleStore | null>(null);

/** The root's snapshot of the core stores, and the root to reach every store's methods. */
export function useConsole(): [Snapshot, ConsoleStore] {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useConsole outside StoreContext');
  return [useSubscribed(store, () => store.snapshot), store];
}

/** One store's state and the store, for a component that needs only that store (e.g. a feature's own). */
export function useStore<S extends object, T extends Store<S>>(pick: (root: ConsoleStore) => T & Store<S>): [S, T] {
  const root = useContext(StoreContext);
  if (!root) throw new Error('useStore outside StoreContext');
  const store = pick(root);
  return [useSubscribed(store, () => store.state), store];
}

function useSubscribed<T>(source: { subscribe(listener: () => void): () => void }, read: () => T): T {
  const [value, setValue] = useState(read);
  useEffect(() => {
    setValue(read());
    return source.subscribe(() => setValue(read()));
  }, [source]);
  return value;
}

/** The current time, refreshed every `intervalMs`, for live "time waited" labels. */
export function useNow(intervalMs = 1_000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
