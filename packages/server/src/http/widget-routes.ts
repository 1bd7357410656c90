import {
  EmailCheckInputSchema,
  StartChatInputSchema,
  type EmailCheckResult,
  type StartChatResult,
  type VisitorChatState,
  type WidgetConfig,
} from '@loket/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { channelLanguage, channelOrigins, findChannelByKey, widgetConfig } from '../domain/channels.js';
import { findChatByToken, startChat } from '../domain/chats.js';
import type { Ctx } from '../domain/context.js';
import { AppError } from '../domain/errors.js';
import { channelOf, loadEvents, visitorChatView } from '../domain/views.js';
import { forVisitor } from '../domain/collaboration/notes.js';
import { isSameOrigin, ownOrigin } from './origin.js';
import { parse } from './parse.js';
import { RateLimiter } from './rate-limit.js';

/**
 * The widget's REST calls. The chat window (our origin, inside the iframe) makes them; the only
 * cross-origin caller is the loader reading the public config, allowed for the channel's origins.
 */
export function widgetRoutes(app: FastifyInstance, ctx: Ctx, limits: { chatStartsPerMinute: number }): void {
  // A visitor may mistype their address a few times; DNS lookups are what this protects.
  const emailChecks = new RateLimiter(limits.chatStartsPerMinute * 2, 60_000);
  const chatStarts = new RateLimiter(limits.chatStartsPerMinute, 60_000);

  app.get<{ Params: { key: string } }>('/api/widget/channels/:key', async (req, reply): Promise<WidgetConfig> => {
    const channel = await findChannelByKey(ctx.db, req.params.key);
    req.lang = channelLanguage(channel);
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== ownOrigin(req)) {
      if (!channelOrigins(channel).includes(origin)) throw new AppError('origin_not_allowed');
      reply.header('Access-Control-Allow-Origin', origin);
    }
    reply.header('Vary', 'Origin').header('Cache-Control', 'no-store');
    return widgetConfig(ctx, channel);
  });

  app.post<{ Params: { key: string } }>('/api/widget/channels/:key/email-check', async (req): Promise<EmailCheckResult> => {
    const channel = await requireFrame(req, ctx);
    emailChecks.take(`${req.ip}|${channel.id}`);
    const input = parse(EmailCheckInputSchema, req.body);
    const verdict = await ctx.email.verify(input.email);
    if (!verdict.ok) throw new AppError(verdict.code, 'email');
    return { ok: true };
  });

  app.post<{ Params: { key: string } }>('/api/widget/channels/:key/chats', async (req, reply): Promise<StartChatResult> => {
    const channel = await requireFrame(req, ctx);
    chatStarts.take(`${req.ip}|${channel.id}`);
    const input = parse(StartChatInputSchema, req.body);
    const chat = await startChat(ctx, channel.key, input);
    reply.status(201);
    return { chat };
  });

  app.get<{ Querystring: { after?: string } }>('/api/widget/chat', async (req, reply): Promise<VisitorChatState> => {
    const chat = await chatFromBearer(req, ctx);
    const channel = await channelOf(ctx.db, chat.channel_id);
    req.lang = channelLanguage(channel);
    const after = Math.max(0, Number.parseInt(req.query.after ?? '0', 10) || 0);
    reply.header('Cache-Control', 'no-store');
    return { chat: await visitorChatView(ctx.db, chat, channel.key), events: (await loadEvents(ctx.db, chat.id, after)).map(forVisitor) };
  });
}

export async function requireFrame(req: FastifyRequest<{ Params: { key: string } }>, ctx: Ctx) {
  const channel = await findChannelByKey(ctx.db, req.params.key);
  req.lang = channelLanguage(channel);
  // Only our own chat window may start chats: another site can't script a visitor's browser into it.
  if (!isSameOrigin(req)) throw new AppError('origin_not_allowed');
  return channel;
}

export async function chatFromBearer(req: FastifyRequest, ctx: Ctx) {
  const header = req.headers.authorization ?? '';
  const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
  const chat = token ? await findChatByToken(ctx.db, token) : undefined;
  if (!chat) throw new AppError('chat_not_found');
  return chat;
}

export type { FastifyReply };
