import {
  ChatRequestInputSchema,
  RequestInputSchema,
  RequestListQuerySchema,
  RequestReplyInputSchema,
  RequestStatusInputSchema,
  type ChatRequestCreated,
  type RequestCreated,
  type RequestDetail,
  type RequestList,
} from '@loket/protocol';
import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../domain/context.js';
import { createRequestFromChat } from '../domain/request-from-chat.js';
import { createRequest, getRequest, listRequests, replyToRequest, setRequestStatus } from '../domain/requests.js';
import { requireAgent } from './auth.js';
import { parse } from './parse.js';
import { RateLimiter } from './rate-limit.js';
import { requireFrame } from './widget-routes.js';

type IdParams = { Params: { id: string } };

/** A person leaves a request or two; more from one address on one channel in an hour is abuse. */
export const REQUESTS_PER_HOUR = 5;

/** Requests (docs/requests.md): the chat window leaves them, agents work them. */
export function requestRoutes(app: FastifyInstance, ctx: Ctx): void {
  const created = new RateLimiter(REQUESTS_PER_HOUR, 60 * 60_000);

  app.post<{ Params: { key: string } }>('/api/widget/channels/:key/requests', async (req, reply): Promise<RequestCreated> => {
    const channel = await requireFrame(req, ctx);
    created.take(`${req.ip}|${channel.id}`, ctx.now());
    const input = parse(RequestInputSchema, req.body);
    const result = await createRequest(ctx, channel.key, input, req.ip);
    reply.status(201);
    return result;
  });

  app.get('/api/requests', async (req, reply): Promise<RequestList> => {
    const actor = await requireAgent(req, ctx);
    const query = parse(RequestListQuerySchema, req.query);
    reply.header('Cache-Control', 'no-store');
    return listRequests(ctx, actor, query);
  });

  app.get<IdParams>('/api/requests/:id', async (req, reply): Promise<RequestDetail> => {
    const actor = await requireAgent(req, ctx);
    reply.header('Cache-Control', 'no-store');
    return getRequest(ctx, actor, req.params.id);
  });

  app.put<IdParams>('/api/requests/:id/status', async (req): Promise<RequestDetail> => {
    const actor = await requireAgent(req, ctx);
    const input = parse(RequestStatusInputSchema, req.body);
    return setRequestStatus(ctx, actor, req.params.id, input.status);
  });

  app.post<{ Params: { chatId: string } }>('/api/chats/:chatId/requests', async (req, reply): Promise<ChatRequestCreated> => {
    const actor = await requireAgent(req, ctx);
    const input = parse(ChatRequestInputSchema, req.body);
    const created = await createRequestFromChat(ctx, actor, req.params.chatId, input);
    reply.status(201);
    return created;
  });

  app.post<IdParams>('/api/requests/:id/replies', async (req, reply): Promise<RequestDetail> => {
    const actor = await requireAgent(req, ctx);
    const input = parse(RequestReplyInputSchema, req.body);
    const detail = await replyToRequest(ctx, actor, req.params.id, input);
    reply.status(201);
    return detail;
  });
}
