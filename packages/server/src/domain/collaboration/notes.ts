import { LIMITS, type ChatEvent } from '@loket/protocol';
import { isUniqueViolation } from '../../db/database.js';
import { accessChat } from '../access.js';
import type { AgentActor } from '../actors.js';
import { appendEvent, authorOf, findByClientMsgId, publishEvent, type PostResult } from '../chats.js';
import { inTransaction, type Ctx } from '../context.js';
import { AppError } from '../errors.js';

/**
 * Internal notes: the owner and the agents listening in write them; only agents ever see them.
 * A note is a chat event of its own kind with its own seq; the visitor's surfaces replace it with a
 * `hidden` placeholder (forVisitor) so their seqs stay gapless without telling them anything.
 */
export async function postNote(ctx: Ctx, actor: AgentActor, input: { chatId: string; clientMsgId: string; body: string }): Promise<PostResult> {
  const body = input.body.replace(/\s+$/u, '');
  if (body.trim().length === 0) throw new AppError('message_empty', 'body');
  if (body.length > LIMITS.messageBody) throw new AppError('message_too_long', 'body');
  try {
    return await inTransaction(ctx, async (tx, publish) => {
      const chat = await accessChat(tx, actor, input.chatId, 'note');
      const duplicate = await findByClientMsgId(tx, chat.id, input.clientMsgId, authorOf(actor, chat), body);
      if (duplicate) return duplicate;
      const { event, chat: updated } = await appendEvent(tx, ctx, chat.id, {
        ...authorOf(actor, chat),
        kind: 'note',
        body,
        client_msg_id: input.clientMsgId,
        ended_by: null,
      });
      await publishEvent(tx, updated, event, publish);
      return { chatId: chat.id, clientMsgId: input.clientMsgId, seq: event.seq, at: event.at };
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      const raced = await findByClientMsgId(ctx.db, input.chatId, input.clientMsgId, authorOf(actor, { visitor_name: '' }), body);
      if (raced) return raced;
    }
    throw err;
  }
}

/** Agent-only events (notes) become an empty placeholder with the same seq for the visitor. */
export function forVisitor(event: ChatEvent): ChatEvent {
  return event.kind === 'note' ? { seq: event.seq, kind: 'hidden', at: event.at, author: { kind: 'system' } } : event;
}
