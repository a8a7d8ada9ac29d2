/**
 * Counts the server side of TCP connections on a listening port from the kernel's tables
 * (`/proc/net/tcp` and `/proc/net/tcp6`, Linux only). The sink does not expose smtp-server's
 * connection set, and this sees every process on the machine, so it works for in-process sinks and
 * for the CLI alike: a connection the server forgot to close stays listed here.
 *
 * A row counts when its local port is `port`, it is not the listening socket, and it is still held by
 * a process (inode ≠ 0): sockets in TIME_WAIT, or orphaned after `close()` while the kernel flushes
 * them, have inode 0 and hold no file descriptor.
 */
import { readFileSync } from 'node:fs';

/** `/proc/net/tcp` state code of a listening socket. */
const LISTEN = '0A';

/** Open server-side sockets of connections accepted on `port` (127.0.0.1 or ::1), by TCP state name. */
export function serverSockets(port: number): { total: number; byState: Record<string, number> } {
  const byState: Record<string, number> = {};
  let total = 0;
  const portHex = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue; // no IPv6 table
    }
    for (const row of text.split('\n').slice(1)) {
      const fields = row.trim().split(/\s+/);
      if (fields.length < 10) continue;
      const [, local, , state, , , , , , inode] = fields as [string, string, string, string, string, string, string, string, string, string];
      if (!local.endsWith(`:${portHex}`) || state === LISTEN || inode === '0') continue;
      const name = STATES[state] ?? state;
      byState[name] = (byState[name] ?? 0) + 1;
      total += 1;
    }
  }
  return { total, byState };
}

const STATES: Record<string, string> = {
  '01': 'ESTABLISHED',
  '02': 'SYN_SENT',
  '03': 'SYN_RECV',
  '04': 'FIN_WAIT1',
  '05': 'FIN_WAIT2',
  '06': 'TIME_WAIT',
  '07': 'CLOSE',
  '08': 'CLOSE_WAIT',
  '09': 'LAST_ACK',
  '0B': 'CLOSING',
};
