import { useEffect, useState } from 'preact/hooks';
import type { ChatSession, SessionState } from '../session.js';

/** Re-renders on every session change; the session's snapshot is the single source of truth. */
export function useSessionState(session: ChatSession | null): SessionState | null {
  const [, setTick] = useState(0);
  useEffect(() => session?.subscribe(() => setTick((n) => n + 1)), [session]);
  return session?.snapshot ?? null;
}
