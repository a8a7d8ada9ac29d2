/**
 * The parse pool gives the same results as parsing inline, from worker threads. The worker is the
 * compiled `dist/server/core/parse-worker.js`, which the suite's globalSetup (test/setup/build-dist.ts)
 * builds when it is missing or older than its sources, so this file passes on its own on a clean tree.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { extractPart, parseMessage } from '../../server/core/parse.js';
import { createParsePool } from '../../server/core/parse-pool.js';

const CASES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/cases');
const eml = (name: string) => readFileSync(path.join(CASES, name));

describe('parse pool', () => {
  const pool = createParsePool(1);
  const inline = createParsePool(0);
  afterAll(async () => {
    await Promise.all([pool.close(), inline.close()]);
  });

  it('runs on a worker thread when the worker is built', () => {
    expect(pool.workers, 'dist/server/core/parse-worker.js missing, although test/setup/build-dist.ts builds it').toBe(1);
    expect(inline.workers).toBe(0);
  });

  it('parses exactly like parseMessage, for several messages at once', async () => {
    const raws = ['09-attachment-identity.eml', '10-inline-cid-images.eml', '12-calendar-invite-alternative.eml', '03-smtputf8-unicode-addresses.eml'].map(eml);
    const [pooled, direct] = await Promise.all([Promise.all(raws.map((raw) => pool.parse(raw))), Promise.all(raws.map((raw) => parseMessage(raw)))]);
    expect(pooled).toEqual(direct);
    expect(pooled[3]!.parsed!.subject).toBe('Café für alle – naïve résumé 🚀');
  });

  it('extracts a part as a Buffer with the same bytes', async () => {
    const raw = eml('09-attachment-identity.eml');
    const [pooled, direct] = await Promise.all([pool.extract(raw, '2'), extractPart(raw, '2')]);
    expect(Buffer.isBuffer(pooled!.content)).toBe(true);
    expect(pooled!.content.equals(direct!.content)).toBe(true);
    expect(pooled!.meta).toEqual(direct!.meta);
    expect(await pool.extract(raw, '9')).toBeNull();
  });

  it('keeps parseError results (no rejection) for a MIME bomb', async () => {
    const bomb = Buffer.from('Subject: bomb\r\nContent-Type: multipart/mixed; boundary=f\r\n\r\n' + '--f\r\n\r\n'.repeat(2000) + '--f--\r\n');
    const result = await pool.parse(bomb);
    expect(result.parseError).toMatch(/EMAXLEN/);
    expect(result.parsed?.subject).toBe('bomb');
  });
});
