import type { ComposeSnippet, FaqAnswer, QuickReply, QuickReplyChannel, QuickReplyInput } from '@loket/protocol';
import type { Api } from '../../net/api.js';
import { Store } from './base.js';
import type { SessionStore } from './session.js';

export interface QuickRepliesState {
  /** Null until loaded (the profile page loads them). */
  quickReplies: readonly QuickReply[] | null;
  channels: readonly QuickReplyChannel[];
}

/** A chat's picker list is asked again after this long, so templates and shared replies edited meanwhile show up. */
const SNIPPETS_TTL_MS = 60_000;

/**
 * Composing (docs/quick-replies.md): my quick replies and my channels' shared ones as the profile page edits them, the
 * `/` picker's list per chat (texts filled by the server) and the FAQs linked in messages, each asked once.
 */
export class QuickRepliesStore extends Store<QuickRepliesState> {
  private readonly snippetLists = new Map<string, { at: number; list: Promise<ComposeSnippet[]> }>();
  private readonly faqs = new Map<string, Promise<FaqAnswer | null>>();

  constructor(
    private readonly http: Api,
    session: SessionStore,
  ) {
    super({ quickReplies: null, channels: [] });
    session.signedOut.add(() => {
      this.snippetLists.clear();
      this.set({ quickReplies: null, channels: [] });
    });
  }

  async load(): Promise<void> {
    const { quickReplies, channels } = await this.http.quickReplies();
    this.set({ quickReplies, channels });
  }

  async save(id: string | null, input: QuickReplyInput): Promise<QuickReply> {
    const saved = await this.http.saveQuickReply(id, input);
    this.snippetLists.clear();
    await this.load();
    return saved;
  }

  async remove(id: string): Promise<void> {
    await this.http.deleteQuickReply(id);
    this.snippetLists.clear();
    await this.load();
  }

  /** The picker's entries for a chat; a failed request is not kept, so the next `/` asks again. */
  snippets(chatId: string): Promise<ComposeSnippet[]> {
    const cached = this.snippetLists.get(chatId);
    if (cached && Date.now() - cached.at < SNIPPETS_TTL_MS) return cached.list;
    const list = this.http.snippets(chatId);
    this.snippetLists.set(chatId, { at: Date.now(), list });
    list.catch(() => this.snippetLists.delete(chatId));
    return list;
  }

  /** An FAQ linked in a message (for its card); null when it is not public, then the link stays a plain link. */
  faq(id: string): Promise<FaqAnswer | null> {
    let answer = this.faqs.get(id);
    if (!answer) {
      answer = this.http.faqAnswer(id).catch(() => {
        this.faqs.delete(id);
        return null;
      });
      this.faqs.set(id, answer);
    }
    return answer;
  }
}
