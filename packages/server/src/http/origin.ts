import type { FastifyRequest } from 'fastify';

/** The origin this request was addressed to, as a browser on this host would write it. */
export function ownOrigin(req: FastifyRequest): string {
  return `${req.protocol}://${req.headers.host ?? ''}`;
}

/**
 * True for requests a browser made from one of our own pages (or made without any Origin, e.g.
 * curl). Cross-site pages always send Origin on POST and WebSocket upgrades, so they're caught.
 */
export function isSameOrigin(req: FastifyRequest): boolean {
  const origin = req.headers.origin;
  return origin === undefined || origin === ownOrigin(req);
}
