/**
 * Files a test hands to mailsink (user files, certificates), in a fresh temporary directory that
 * is removed after the enclosing `describe` (or file).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/** Returns `write(name, text)`, which writes a file and returns its absolute path. */
export function useTmpFiles(): (name: string, text: string) => string {
  const dir = mkdtempSync(path.join(tmpdir(), 'mailsink-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return (name, text) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };
}
