import { useEffect, useState } from 'preact/hooks';

/**
 * A part of the chat window in a chunk of its own, loaded the first time `wanted` is true: customers who never need it
 * never download it (the chat window's first download has a budget, bench/scenarios/weight.ts). Null until loaded; a
 * failed load is tried again the next time `wanted` turns true.
 */
export function useLazy<T>(wanted: boolean, load: () => Promise<T>): T | null {
  const [loaded, setLoaded] = useState<T | null>(null);
  useEffect(() => {
    if (!wanted || loaded) return;
    let live = true;
    load().then(
      (m) => live && setLoaded(() => m),
      () => undefined,
    );
    return () => {
      live = false;
    };
    // `load` is a new arrow on every render: only `wanted` decides when to load.
  }, [wanted, loaded]);
  return loaded;
}
