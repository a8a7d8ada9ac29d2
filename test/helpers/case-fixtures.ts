/**
 * Inputs of the case tests, kept in the repository (`test/fixtures/cases/`, copied from the case
 * descriptions written for this project), so `npm test` needs nothing beside the clone.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Directory of the case inputs. */
export const caseFixturesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'cases');

/**
 * Reads a case's `.eml` and checks it has the size and sha256 its case description states.
 * @throws Error naming the mismatch (the fixture was changed).
 */
export function readCaseFixture(name: string, sizeBytes: number, sha256: string): Buffer {
  const bytes = readFileSync(path.join(caseFixturesDir, name));
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (bytes.length !== sizeBytes || actual !== sha256) {
    throw new Error(`${name} is ${bytes.length} bytes, sha256 ${actual}; the case states ${sizeBytes} bytes, sha256 ${sha256}`);
  }
  return bytes;
}
