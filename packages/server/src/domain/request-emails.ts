import type { Language } from '@loket/protocol';
import type { Executor } from '../db/database.js';
import type { ChannelsTable, RequestsTable } from '../db/schema.js';
import { DEFAULT_REQUEST_CONFIRMATIONS, REQUEST_CONFIRMATION_KEY } from '../email/default-templates.js';
import { compileTemplate, renderTemplate, type CompiledTemplate, type RenderedEmail, type TemplateVars } from '../email/templates.js';
import { channelLanguage } from './channels.js';

/** The e-mails of a request: the customer's confirmation and the agents' replies (docs/requests.md). */

function varsOf(channel: Pick<ChannelsTable, 'name'>, request: RequestsTable, agentName: string, question: string): TemplateVars {
  return {
    customer: { name: request.name, email: request.email },
    agent: { name: agentName },
    channel: { name: channel.name },
    chat: { id: request.chat_id ?? '', startedAt: '', endedAt: '' },
    request: { id: request.public_id, question },
    transcript: [],
  };
}

async function confirmationTemplate(db: Executor, language: Language): Promise<CompiledTemplate> {
  for (const lang of [language, 'en'] as const) {
    const row = await db
      .selectFrom('reply_templates')
      .select(['subject', 'body'])
      .where('builtin_key', '=', REQUEST_CONFIRMATION_KEY)
      .where('language', '=', lang)
      .executeTakeFirst();
    if (!row) continue;
    try {
      return compileTemplate({ subject: row.subject, body: row.body, language: lang });
    } catch {
      // An edited template that no longer compiles must not cost the customer their confirmation.
      break;
    }
  }
  return compileTemplate({ ...DEFAULT_REQUEST_CONFIRMATIONS[language], language });
}

/** The "Request confirmation" template (administrators may edit it) in the channel's language. */
export async function confirmationEmail(db: Executor, channel: ChannelsTable, request: RequestsTable): Promise<RenderedEmail> {
  const template = await confirmationTemplate(db, channelLanguage(channel));
  return renderTemplate(template, varsOf(channel, request, '', request.question));
}

/**
 * An agent's reply. The agent's text goes in as a template value, never as template source, so it
 * is escaped in the HTML part like every other value and `{{…}}` in it stays literal text.
 */
const REPLY_TEMPLATE = { subject: '[{{request.id}}] {{channel.name}}', body: '{{request.question}}' };

export function replyEmail(channel: ChannelsTable, request: RequestsTable, agentName: string, body: string): RenderedEmail {
  const template = compileTemplate({ ...REPLY_TEMPLATE, language: channelLanguage(channel) });
  return renderTemplate(template, varsOf(channel, request, agentName, body));
}
