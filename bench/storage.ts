/**
 * The storage section of `npm run bench` (issue 13): the SQLite engine against the memory engine
 * (ingest ratio, RSS per stored message, list latency and restart with 100,000 stored), then two
 * instances on one PostgreSQL taking SMTP at once (msg/s, lost, CPU per message, restart). Every
 * ratio compares figures taken in this one run.
 *
 * Run alone: `BENCH_ONLY=storage npm run bench`.
 */
import { benchPostgres } from './storage-postgres.js';
import type { PostgresBenchResult } from './storage-postgres.js';
import { formatSqliteStorage, sqliteStorageBench } from './storage-sqlite.js';

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The PostgreSQL figures as report lines. */
export function formatPostgresStorage(r: PostgresBenchResult): string[] {
  const c = r.cpuMsPerMessage;
  return [
    `PostgreSQL (--storage postgres://…), 2 instances on one embedded server (fsync on), 4 KiB reused connections, ${fmt(r.messages)} messages, ${r.sessionsPerInstance} sessions each:`,
    `  ingest: ${fmt(r.msgPerSec)} msg/s over both (target ≥ 1,000), lost ${r.lost}; memory engine, 1 instance, same load: ${fmt(r.memoryMsgPerSec)} msg/s (× ${fmt(r.msgPerSec / r.memoryMsgPerSec, 2)})`,
    `  CPU per message: mailsink ${fmt(c.mailsink, 2)} ms (both instances) + PostgreSQL ${fmt(c.postgres, 2)} ms; memory engine ${fmt(c.memory, 2)} ms`,
    `  restart with ${fmt(r.restartStored)} stored: serving after ${fmt(r.restartMs)} ms`,
  ];
}

/**
 * Runs and prints the storage section.
 * @returns whether every engine kept every message (lost 0).
 */
export async function storageSection(scale: number, runs: number): Promise<boolean> {
  console.log('\n## Storage engines\n');
  const sqlite = await sqliteStorageBench({ scale, runs });
  for (const line of formatSqliteStorage(sqlite)) console.log(line);
  const postgres = await benchPostgres({ messages: Math.round(10_000 * scale), sessions: Number(process.env.BENCH_PG_SESSIONS ?? 10) });
  console.log('');
  for (const line of formatPostgresStorage(postgres)) console.log(line);
  return sqlite.ingest.lost === 0 && postgres.lost === 0;
}
