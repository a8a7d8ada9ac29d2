/**
 * Helpers for the case tests (`test/integration/case-NN-*.test.ts`): locate the shared case
 * descriptions (`../shared/cases` beside the repository, as in CI), read their `.eml` inputs after
 * checking them against the size and sha256 the case's `.md` states, hash bytes, and normalise
 * line endings the way the cases phrase their expectations.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of this repository. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Directory of the case descriptions: `shared/cases` beside the repository. */
export const casesDir = path.resolve(repoRoot, '..', 'shared', 'cases');

/**
 * Reads a file of the cases directory.
 * @throws Error with a clear message when the directory or the file is missing (the test fails).
 */
export function readCaseFile(name: string): Buffer {
  if (!existsSync(casesDir)) {
    throw new Error(`case descriptions not found: expected the directory ${casesDir} (shared/cases beside the repository root ${repoRoot})`);
  }
  const file = path.join(casesDir, name);
  if (!existsSync(file)) throw new Error(`case file missing: ${file}`);
  return readFileSync(file);
}

/** What a case's `.md` states about one of its `.eml` inputs. */
export interface CaseInput {
  /** `.eml` file name in the cases directory. */
  eml: string;
  /** `.md` file name that states the size and hash. */
  md: string;
  /** Size in bytes, as stated. */
  sizeBytes: number;
  /** Hex sha256, as stated. */
  sha256: string;
}

/**
 * Reads a case's `.eml` and checks it is what the `.md` describes: the `.md` mentions the hash and
 * the size, and the file has exactly that size and hash.
 * @throws Error naming the mismatch.
 */
export function readCaseEml(input: CaseInput): Buffer {
  const md = readCaseFile(input.md).toString('utf8');
  if (!md.includes(input.sha256)) throw new Error(`${input.md} does not state sha256 ${input.sha256}`);
  if (!md.includes(`${input.sizeBytes.toLocaleString('en-US')} bytes`) && !md.includes(`${input.sizeBytes} bytes`)) {
    throw new Error(`${input.md} does not state the size ${input.sizeBytes} bytes`);
  }
  const bytes = readCaseFile(input.eml);
  if (bytes.length !== input.sizeBytes || sha256(bytes) !== input.sha256) {
    throw new Error(`${input.eml} is ${bytes.length} bytes, sha256 ${sha256(bytes)}; ${input.md} says ${input.sizeBytes} bytes, sha256 ${input.sha256}`);
  }
  return bytes;
}

/** Hex sha256 of some bytes. */
export function sha256(bytes: Buffer | Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** CRLF (and lone CR runs before LF) → LF, as the cases' "LF-normalised" expectations mean. */
export function toLf(text: string): string {
  return text.replace(/\r+\n/g, '\n');
}

/** The queue id at the end of a `250 2.0.0 Ok: queued as <id>` reply. */
export function queuedId(reply: string): string {
  const match = /^250 .*queued as (\S+)$/.exec(reply);
  if (!match) throw new Error(`not a "250 … queued as <id>" reply: ${JSON.stringify(reply)}`);
  return match[1]!;
}
