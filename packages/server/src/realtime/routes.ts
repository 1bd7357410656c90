import { CLOSE_CODES, errorMessage } from '@loket/protocol';
import type { FastifyInstance } from 'fastify';
import type { AgentActor } from '../domain/actors.js';
import { sessionFromToken } from '../domain/agents.js';
import { SESSION_COOKIE } from '../http/auth.js';
import { requestLanguage } from '../http/errors.js';
import { isSameOrigin } from '../http/origin.js';
import { AgentConn } from './agent-socket.js';
import { VisitorConn, type RealtimeDeps } from './visitor-socket.js';

declare module 'fastify' {
  interface FastifyRequest {
    agentActor: AgentActor | null;
  }
}

export function realtimeRoutes(app: FastifyInstance, deps: RealtimeDeps): void {
  app.decorateRequest('agentActor', null);

  // Handlers are synchronous so no frame that arrives right after the upgrade is missed. Sockets log
  // through the app's logger: a per-request child logger would be kept alive by every idle widget.
  app.get('/ws/visitor', { websocket: true }, (socket, req) => {
    // Only our chat window connects here; the token inside the first frame decides which chat.
    if (!isSameOrigin(req)) return socket.close(CLOSE_CODES.policy, 'origin');
    new VisitorConn(socket, app.log, deps, req.ip);
  });

  app.get(
    '/ws/agent',
    {
      websocket: true,
      // Authenticate before the upgrade completes, so the handler itself needn't await.
      preValidation: async (req) => {
        req.agentActor = await sessionFromToken(deps.ctx, req.cookies[SESSION_COOKIE]).catch(() => null);
      },
    },
    (socket, req) => {
      // Cross-site WebSocket hijacking: browsers attach cookies to any origin's upgrade.
      if (!isSameOrigin(req)) return socket.close(CLOSE_CODES.policy, 'origin');
      const lang = requestLanguage(req);
      if (!req.agentActor) {
        socket.send(JSON.stringify({ type: 'error', code: 'unauthenticated', message: errorMessage('unauthenticated', lang), retryable: false }));
        return socket.close(CLOSE_CODES.unauthorized, 'unauthenticated');
      }
      new AgentConn(socket, app.log, deps, req.agentActor, lang);
    },
  );
}
