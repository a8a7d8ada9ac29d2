/**
 * Connections of the PostgreSQL engine. `pg` emits `'error'` on a client whose connection drops
 * (server restart, `pg_terminate_backend`, network): the pool listens on idle clients only, so a
 * checked-out client without a listener would crash the process with an uncaught error. Every
 * checkout here goes through {@link checkout}, which listens until the client is given back.
 */
import pg from 'pg';

/** Connections of the pool: the writer's transaction and the replica's catch-up each use one at a time. */
const POOL_SIZE = 4;
/** How long a connection attempt may take, in ms, before the write fails as unavailable. */
const CONNECT_TIMEOUT_MS = 5000;

/** Client settings shared by the pool and the `LISTEN` connection. */
export function clientConfig(url: string): pg.PoolConfig {
  return { connectionString: url, max: POOL_SIZE, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, application_name: 'mailsink' };
}

/** A pool whose idle-connection errors are logged (the pool replaces the connection by itself). */
export function makePool(config: pg.PoolConfig, warn: (message: string) => void): pg.Pool {
  const pool = new pg.Pool(config);
  pool.on('error', (error) => warn(`postgres connection dropped: ${error.message}`));
  return pool;
}

/** A checked-out client; `done(error?)` gives it back (destroying it after an error). */
export interface Checkout {
  client: pg.PoolClient;
  done(error?: unknown): void;
}

/**
 * Checks a client out with an `'error'` listener attached until `done`: a dropped connection then
 * fails the running query (or the next one) instead of the process.
 * @throws the pool's connection error (server down, timeout).
 */
export async function checkout(pool: pg.Pool): Promise<Checkout> {
  const client = await pool.connect();
  let failed: unknown;
  const onError = (error: Error) => (failed ??= error);
  client.on('error', onError);
  return {
    client,
    done(error?: unknown) {
      client.removeListener('error', onError);
      client.release(error === undefined && failed === undefined ? undefined : ((error ?? failed) as Error));
    },
  };
}
