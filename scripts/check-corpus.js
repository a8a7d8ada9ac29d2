#!/usr/bin/env node
// `npm run test:corpus` runs this first: the real-mail corpus (third-party data, never committed)
// must be at MAILSINK_CORPUS (relative to the repository root), by default ../shared/corpus.
// A missing corpus stops the command with one line instead of a screen of failing tests.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.resolve(root, process.env.MAILSINK_CORPUS || path.join('..', 'shared', 'corpus'));
if (!existsSync(path.join(dir, 'index.tsv'))) {
  console.error(`test:corpus: no real-mail corpus at ${dir} (no index.tsv); set MAILSINK_CORPUS to its directory (default ../shared/corpus beside the repository)`);
  process.exit(1);
}
