import type { Config } from './config.js';
import { createAgent } from './domain/agents.js';
import { addChannelAgent, createChannel } from './domain/channels.js';
import type { Ctx } from './domain/context.js';
import { randomToken } from './domain/ids.js';
import { importFaqs } from './domain/knowledge-base-transfer.js';
import { DEMO_FAQ_FOLDER, DEMO_FAQS } from './demo-faqs.js';

export interface BootstrapResult {
  /** Set only on the very first start, when the password was generated: shown once. */
  generatedAdmin: { email: string; password: string } | null;
}

/** First start: an administrator exists (from ADMIN_EMAIL/ADMIN_PASSWORD, else generated). */
export async function ensureAdmin(ctx: Ctx, config: Config): Promise<BootstrapResult> {
  const any = await ctx.db.selectFrom('agents').select('id').limit(1).executeTakeFirst();
  if (any) return { generatedAdmin: null };
  const email = config.adminEmail ?? 'admin@loket.localhost';
  const password = config.adminPassword ?? randomToken(12);
  await createAgent(ctx, { email, name: 'Administrator', password, role: 'admin' });
  return { generatedAdmin: config.adminPassword ? null : { email, password } };
}

export const DEMO_CHANNEL_KEY = 'demo';

/** The demo channel, embeddable by the demo shop's origins; every administrator serves it. */
export async function ensureDemoChannel(ctx: Ctx, shopOrigins: string[]): Promise<void> {
  const existing = await ctx.db.selectFrom('channels').select('id').where('key', '=', DEMO_CHANNEL_KEY).executeTakeFirst();
  if (existing) return;
  // A small knowledge base, so the demo shows FAQ suggestions before the chat and the /help pages.
  await importFaqs(ctx, { kind: 'system' }, { format: 'json', text: JSON.stringify(DEMO_FAQS) });
  const folder = await ctx.db.selectFrom('faq_folders').select('id').where('name', '=', DEMO_FAQ_FOLDER).where('parent_id', 'is', null).executeTakeFirst();
  const channel = await createChannel(ctx, {
    faqSuggestions: true,
    faqFolderId: folder?.id ?? null,
    key: DEMO_CHANNEL_KEY,
    name: 'Demo shop support',
    language: 'en',
    allowedOrigins: shopOrigins,
    badgeText: 'Chat with us',
    headerText: 'Demo shop support',
    fields: [{ key: 'order', label: 'Order number (optional)', type: 'text', required: false }],
  });
  const admins = await ctx.db.selectFrom('agents').select('id').where('role', '=', 'admin').execute();
  for (const a of admins) await addChannelAgent(ctx, channel.id, a.id, { manager: true, canListen: true });
}
