/**
 * What the host page remembers between its own reloads: only whether the window was open or a
 * chat was in progress (never the chat token, which lives in the frame's own origin).
 */
export type WindowMemory = 'open' | 'active' | null;

const keyFor = (channel: string): string => `loket:${channel}`;

export function recall(channel: string): WindowMemory {
  try {
    const v = sessionStorage.getItem(keyFor(channel));
    return v === 'open' || v === 'active' ? v : null;
  } catch {
    return null;
  }
}

export function remember(channel: string, open: boolean, active: boolean): void {
  try {
    const value = open ? 'open' : active ? 'active' : null;
    if (value) sessionStorage.setItem(keyFor(channel), value);
    else sessionStorage.removeItem(keyFor(channel));
  } catch {
    // Storage blocked by the host's policy: the window just won't reopen by itself.
  }
}
