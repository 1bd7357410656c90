/**
 * postMessage protocol between the loader (host page) and the chat window (Loket origin).
 * It is not part of @loket/protocol because both ends ship in this package and the server
 * never sees it. Receivers must check event.origin and event.source before calling isBridgeMessage.
 */
export type FrameToLoader =
  | { loket: 1; type: 'close' }
  | { loket: 1; type: 'unread'; count: number }
  | { loket: 1; type: 'active'; active: boolean };

/** 'closed' is ours beyond the brief: the launcher can hide the window without the frame knowing otherwise. */
export type LoaderToFrame = { loket: 1; type: 'opened' } | { loket: 1; type: 'closed' };

export function isFrameMessage(data: unknown): data is FrameToLoader {
  if (!isEnvelope(data)) return false;
  switch (data.type) {
    case 'close':
      return true;
    case 'unread':
      return typeof data.count === 'number' && Number.isInteger(data.count) && data.count >= 0;
    case 'active':
      return typeof data.active === 'boolean';
    default:
      return false;
  }
}

export function isLoaderMessage(data: unknown): data is LoaderToFrame {
  return isEnvelope(data) && (data.type === 'opened' || data.type === 'closed');
}

function isEnvelope(data: unknown): data is { loket: 1; type: unknown; [k: string]: unknown } {
  return typeof data === 'object' && data !== null && (data as { loket?: unknown }).loket === 1;
}
