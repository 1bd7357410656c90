import { checkEmailSyntax, LIMITS, type PostchatConfig, type VisitorChat } from '@loket/protocol';
import type { MessageKey } from './i18n.js';

export interface PostchatView {
  /** Rating: null when not asked, 0 to ask, 1–5 to thank for the score already given. */
  rating: number | null;
  /** Whether to offer (another) transcript. */
  transcript: boolean;
}

/**
 * What the post-chat form shows, from the channel's settings and the chat snapshot (so a reload
 * shows the same). Null: no form (chat not ended, or the form is off). `sent` counts transcripts
 * confirmed here, in case the chat snapshot with the new count has not arrived yet.
 */
export function postchatView(config: PostchatConfig, chat: VisitorChat | null, ended: boolean, sent = 0): PostchatView | null {
  if (!ended || !config.enabled) return null;
  return {
    rating: config.rating ? (chat?.rating?.score ?? 0) : null,
    transcript: config.transcript && Math.max(chat?.transcripts ?? 0, sent) < LIMITS.transcriptsPerChat,
  };
}

/** The client-side check of a transcript address; null when it may be sent. `sent`: addresses already sent to. */
export function transcriptAddressError(email: string, sent: readonly string[]): MessageKey | null {
  const address = email.trim();
  if (!address) return 'errRequired';
  const syntax = checkEmailSyntax(address);
  if (!syntax.ok) return syntax.code === 'email_too_long' ? 'errEmailTooLong' : 'errEmailInvalid';
  return sent.some((s) => s.toLowerCase() === address.toLowerCase()) ? 'transcriptAgain' : null;
}
