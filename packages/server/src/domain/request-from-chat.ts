import { REQUEST_TITLE_MAX, type ChatRequestCreated, type ChatRequestInput, type Language, type RequestPriority } from '@loket/protocol';
import { isUniqueViolation } from '../db/database.js';
import type { RequestsTable } from '../db/schema.js';
import { enqueueEmail } from '../email/outbox.js';
import { accessChat } from './access.js';
import type { AgentActor } from './actors.js';
import { channelLanguage } from './channels.js';
import { inTransaction, type Ctx } from './context.js';
import { AppError } from './errors.js';
import { newId } from './ids.js';
import { confirmationEmail } from './request-emails.js';
import { existingByKey, newPublicId, toSupportRequest } from './requests.js';

/**
 * Task menu > Create request: the agent turns a chat into a request (a ticket) that carries the
 * chat's conversation, and gets a message with the request ID to send the customer.
 */

/** The message put in the agent's composer, in the chat window's language (the customer's, not the agent's). */
const CUSTOMER_MESSAGE: Record<Language, (id: string) => string> = {
  en: (id) => `I have created a request for you with ID ${id}. We will get back to you by e-mail.`,
  nl: (id) => `Ik heb een verzoek voor u aangemaakt met ID ${id}. We nemen per e-mail contact met u op.`,
  de: (id) => `Ich habe für Sie eine Anfrage mit der ID ${id} erstellt. Wir melden uns per E-Mail bei Ihnen.`,
  fr: (id) => `J’ai créé une demande pour vous avec l’identifiant ${id}. Nous reviendrons vers vous par e-mail.`,
  es: (id) => `He creado una solicitud para usted con el ID ${id}. Le responderemos por correo electrónico.`,
  nb: (id) => `Jeg har opprettet en henvendelse for deg med ID ${id}. Vi svarer deg på e-post.`,
  sv: (id) => `Jag har skapat ett ärende åt dig med ID ${id}. Vi återkommer till dig via e-post.`,
  da: (id) => `Jeg har oprettet en henvendelse til dig med ID ${id}. Vi vender tilbage til dig på e-mail.`,
};

const PUBLIC_ID_TRIES = 5;
const CATEGORY_MAX = 100;

function stringField(fields: string, key: string): string {
  const parsed: unknown = JSON.parse(fields);
  if (typeof parsed !== 'object' || parsed === null) return '';
  const value = (parsed as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : '';
}

export async function createRequestFromChat(ctx: Ctx, actor: AgentActor, chatId: string, input: ChatRequestInput): Promise<ChatRequestCreated> {
  const title = input.title.trim();
  if (title === '') throw new AppError('field_required', 'title');
  if (title.length > REQUEST_TITLE_MAX) throw new AppError('validation_failed', 'title');
  const category = input.category.trim();
  if (category.length > CATEGORY_MAX) throw new AppError('validation_failed', 'category');

  for (let attempt = 1; ; attempt++) {
    try {
      return await inTransaction(ctx, async (tx) => {
        const chat = await accessChat(tx, actor, chatId, 'write');
        const channel = await tx.selectFrom('channels').selectAll().where('id', '=', chat.channel_id).executeTakeFirstOrThrow();
        const message = (publicId: string) => CUSTOMER_MESSAGE[channelLanguage(channel)](publicId);
        const done = await existingByKey(tx, channel.id, input.requestKey, chat.question);
        if (done) {
          const row = await tx.selectFrom('requests').selectAll().where('request_key', '=', input.requestKey).executeTakeFirstOrThrow();
          if (row.chat_id !== chat.id) throw new AppError('validation_failed', 'requestKey');
          if (row.title !== title) throw new AppError('idempotency_conflict', 'requestKey');
          return { request: toSupportRequest(row, channel.name), customerMessage: message(done.publicId) };
        }
        const now = ctx.now();
        const row: RequestsTable = {
          id: newId(),
          public_id: newPublicId(),
          request_key: input.requestKey,
          channel_id: channel.id,
          chat_id: chat.id,
          category: category === '' ? channel.offline_category : category,
          priority: input.priority satisfies RequestPriority,
          status: 'open',
          name: chat.visitor_name,
          email: chat.visitor_email,
          phone: stringField(chat.visitor_fields, 'phone'),
          company: stringField(chat.visitor_fields, 'company'),
          question: chat.question,
          ip: '',
          created_at: now,
          updated_at: now,
          title,
          created_by: actor.agent.id,
        };
        await tx.insertInto('requests').values(row).execute();
        if (row.email !== '') {
          // The customer gets the same confirmation as one who left a request through the offline form.
          const mail = await confirmationEmail(tx, channel, row);
          await enqueueEmail(tx, ctx, { kind: 'request_confirmation', chatId: chat.id, to: { name: row.name, address: row.email }, ...mail, dedupKey: `request:${row.id}` });
        }
        return { request: toSupportRequest(row, channel.name), customerMessage: message(row.public_id) };
      });
    } catch (err) {
      // Same key raced in (the retry finds it) or the random ID was taken (the retry draws another).
      if (!isUniqueViolation(err) || attempt >= PUBLIC_ID_TRIES) throw err;
    } finally {
      ctx.mailKick?.();
    }
  }
}
