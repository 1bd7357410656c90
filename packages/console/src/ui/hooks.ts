import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { ConsoleStore, Snapshot } from '../state/store.js';

export const StoreContext = createContext<ConsoleStore | null>(null);

export function useConsole(): [Snapshot, ConsoleStore] {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useConsole outside StoreContext');
  const [snap, setSnap] = useState(store.snapshot);
  useEffect(() => {
    setSnap(store.snapshot);
    return store.subscribe(() => setSnap(store.snapshot));
  }, [store]);
  return [snap, store];
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
