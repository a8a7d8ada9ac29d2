/** A loopback port that was free a moment ago, for servers that cannot listen on port 0 themselves. */
import net from 'node:net';

/** Binds 127.0.0.1 port 0, reads the port, closes. Another process may take it before the caller does. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
