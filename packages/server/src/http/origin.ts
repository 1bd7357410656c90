import type { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    /** PUBLIC_URL's origin: where browsers reach this node, also behind a TLS-terminating proxy. */
    publicOrigin: string;
  }
}

export function installPublicOrigin(app: FastifyInstance, publicUrl: string): void {
  app.decorate('publicOrigin', new URL(publicUrl).origin);
}

/** The origin this request was addressed to, as a browser on this host would write it. */
export function ownOrigin(req: FastifyRequest): string {
  return `${req.protocol}://${req.headers.host ?? ''}`;
}

/**
 * True for requests a browser made from one of our own pages (or made without any Origin, e.g.
 * curl). Cross-site pages always send Origin on POST and WebSocket upgrades, so they're caught.
 * Our own pages are at PUBLIC_URL, or (direct access, tests) at the host the request names: behind
 * a proxy that terminates TLS the request itself arrives as plain http, so only PUBLIC_URL says "https".
 */
export function isSameOrigin(req: FastifyRequest): boolean {
  const origin = req.headers.origin;
  return origin === undefined || origin === req.server.publicOrigin || origin === ownOrigin(req);
}

/** Whether the browser reached us over https (directly, through a trusted proxy, or per PUBLIC_URL). */
export function isSecureRequest(req: FastifyRequest): boolean {
  return req.protocol === 'https' || (req.server.publicOrigin.startsWith('https:') && req.headers.origin === req.server.publicOrigin);
}
