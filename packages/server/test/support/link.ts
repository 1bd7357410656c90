import net from 'node:net';

/**
 * A TCP relay in front of Loket that can be cut like a network: every open connection is reset
 * and new ones are refused until it is restored. The browser sees exactly what a dropped network
 * does to a WebSocket (an abrupt close), which Playwright's `setOffline` alone does not do to
 * already open WebSockets in Chromium.
 */
export interface NetworkLink {
  /** http://localhost:<port>: Loket as reached through this link. */
  url: string;
  cut(): void;
  restore(): void;
  /** Connections accepted and relayed so far (a reconnect adds one). */
  readonly accepted: number;
  close(): Promise<void>;
}

export async function startLink(targetPort: number): Promise<NetworkLink> {
  const open = new Set<net.Socket>();
  let down = false;
  let accepted = 0;
  const track = (socket: net.Socket): void => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = net.createServer((client) => {
    if (down) {
      client.resetAndDestroy();
      return;
    }
    accepted++;
    const upstream = net.connect(targetPort, '127.0.0.1');
    track(client);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('link has no TCP address');
  return {
    url: `http://localhost:${address.port}`,
    cut() {
      down = true;
      for (const socket of open) socket.resetAndDestroy();
    },
    restore() {
      down = false;
    },
    get accepted() {
      return accepted;
    },
    close() {
      down = true;
      for (const socket of open) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
