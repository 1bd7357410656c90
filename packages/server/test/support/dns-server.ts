import type { RemoteInfo } from 'node:dgram';
import type { AddressInfo, Socket } from 'node:net';
import type { IncomingMessage } from 'node:http';
import type DNS from 'dns2';
import { Packet, TCPServer, UDPServer } from 'dns2';

type ResourceRecord = DNS.Packet.Resource;

/**
 * Zone names served by the loopback DNS server. Exported so every test (server
 * integration tests, browser tests) uses the same names rather than string copies.
 * Everything under `.test` (RFC 2606) so nothing can leak to a real domain.
 */
export const DNS_TEST_ZONES = {
  /** MX 10 mail.mx.test; mail.mx.test has A 127.0.0.1. */
  mx: 'mx.test',
  mxHost: 'mail.mx.test',
  /** A 127.0.0.1, no MX (MX query: NOERROR, no answers). */
  aOnly: 'a-only.test',
  /** AAAA ::1 only. */
  aaaaOnly: 'aaaa-only.test',
  /** RFC 7505 null MX: MX 0 ".". */
  nullMx: 'null-mx.test',
  /** Exists (NOERROR) but has no MX, A or AAAA. */
  noRecords: 'no-records.test',
  /** bücher.test in its ASCII form, with an MX. */
  idn: 'xn--bcher-kva.test',
  idnUnicode: 'bücher.test',
  /** Queries are dropped: the resolver never gets an answer. */
  hang: 'hang.test',
  /** Always answers SERVFAIL, like a broken authoritative server. */
  servfail: 'servfail.test',
  /** Not in any zone: NXDOMAIN (any name not listed above behaves the same). */
  nonExistent: 'does-not-exist.test',
} as const;

export type DnsQuery = { name: string; type: number; transport: 'udp' | 'tcp' };

export type TestDnsServer = {
  /** 'host:port' as accepted by dns.Resolver#setServers. UDP and TCP share the port. */
  address: string;
  port: number;
  /** Every query received, in order, so tests can prove a lookup did (or did not) happen. */
  queries: DnsQuery[];
  close(): Promise<void>;
};

type Rr = { type: number; fields: Partial<ResourceRecord> };

const { TYPE, CLASS, RCODE } = Packet as typeof Packet & { RCODE: Record<'NOERROR' | 'SERVFAIL' | 'NXDOMAIN', number> };
const TTL = 60;
const Z = DNS_TEST_ZONES;

// Name → records. A name present here exists (NOERROR); absent names are NXDOMAIN.
const ZONE: ReadonlyMap<string, readonly Rr[]> = new Map<string, readonly Rr[]>([
  [Z.mx, [{ type: TYPE.MX, fields: { exchange: Z.mxHost, priority: 10 } }]],
  [Z.mxHost, [{ type: TYPE.A, fields: { address: '127.0.0.1' } }]],
  [Z.aOnly, [{ type: TYPE.A, fields: { address: '127.0.0.1' } }]],
  [Z.aaaaOnly, [{ type: TYPE.AAAA, fields: { address: '::1' } }]],
  [Z.nullMx, [{ type: TYPE.MX, fields: { exchange: '.', priority: 0 } }]],
  [Z.noRecords, []],
  [Z.idn, [{ type: TYPE.MX, fields: { exchange: Z.mxHost, priority: 10 } }]],
]);

function resource(name: string, type: number, fields: Partial<ResourceRecord>): ResourceRecord {
  return Object.assign(new Packet.Resource(name, type, CLASS.IN, TTL), fields);
}

// Negative answers carry the zone's SOA in the authority section (RFC 2308), as a real
// authoritative server does; resolvers use its minimum field as the negative-cache TTL.
function soa(): ResourceRecord {
  return resource('test', TYPE.SOA, {
    primary: 'ns.test',
    admin: 'hostmaster.test',
    serial: 1,
    refresh: 3600,
    retry: 600,
    expiration: 86400,
    minimum: TTL,
  });
}

function answer(request: Packet): Packet | null {
  const response = Packet.createResponseFromRequest(request);
  response.header.aa = 1;
  const question = request.questions[0];
  if (question === undefined) return response;
  const name = question.name.toLowerCase().replace(/\.$/, '');
  if (name === Z.hang) return null;
  if (name === Z.servfail) {
    response.header.rcode = RCODE.SERVFAIL;
    return response;
  }
  const records = ZONE.get(name);
  if (records === undefined) {
    response.header.rcode = RCODE.NXDOMAIN;
    response.authorities.push(soa());
    return response;
  }
  for (const rr of records) {
    if (rr.type === question.type) response.answers.push(resource(question.name, rr.type, rr.fields));
  }
  if (response.answers.length === 0) response.authorities.push(soa());
  return response;
}

/**
 * A real authoritative DNS server on 127.0.0.1 (UDP and TCP on one random free port),
 * serving DNS_TEST_ZONES, so the server's resolver is exercised over the wire exactly as
 * in production — only its configured servers differ.
 */
export async function startTestDnsServer(): Promise<TestDnsServer> {
  const queries: DnsQuery[] = [];
  const handler =
    (transport: DnsQuery['transport']) =>
    (request: Packet, send: (response: Packet) => Promise<Buffer>, _client: RemoteInfo | Socket | IncomingMessage): void => {
      const q = request.questions[0];
      if (q !== undefined) queries.push({ name: q.name.toLowerCase(), type: q.type, transport });
      const response = answer(request);
      // A failed send (client gone) is the client's problem, not a test failure.
      if (response !== null) send(response).catch(() => undefined);
    };

  // The resolver falls back to TCP on the same host:port when a UDP answer is truncated,
  // so both must share a port; a random UDP port may be taken for TCP, hence the retry.
  for (let attempt = 0; attempt < 20; attempt++) {
    const udp = new UDPServer({ type: 'udp4' });
    udp.on('request', handler('udp'));
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(0, '127.0.0.1', () => {
        udp.off('error', reject);
        resolve();
      });
    });
    const port = udp.address().port;
    const tcp = new TCPServer();
    tcp.on('request', handler('tcp'));
    const tcpOk = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (!tcpOk) {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      continue;
    }
    // Swallow per-packet parse errors (e.g. garbage from a port scanner) instead of crashing the test run.
    udp.on('requestError', () => undefined);
    tcp.on('requestError', () => undefined);
    const sockets = new Set<Socket>();
    tcp.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    return {
      address: `127.0.0.1:${(tcp.address() as AddressInfo).port}`,
      port,
      queries,
      close: async () => {
        for (const socket of sockets) socket.destroy();
        await Promise.all([
          new Promise<void>((resolve) => udp.close(() => resolve())),
          new Promise<void>((resolve, reject) => tcp.close((err) => (err ? reject(err) : resolve()))),
        ]);
      },
    };
  }
  throw new Error('could not bind UDP and TCP to the same free port on 127.0.0.1');
}
