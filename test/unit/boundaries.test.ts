/** DESIGN.md §2 module boundaries, kept in a test rather than in memory. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function files(dir: string, ext = /\.tsx?$/): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && ext.test(e.name))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

/** Every module specifier imported by a file, with whether it is `import type`. */
function imports(file: string): { spec: string; typeOnly: boolean }[] {
  const source = readFileSync(path.join(ROOT, file), 'utf8');
  return [...source.matchAll(/^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => ({ spec: m[3]!, typeOnly: Boolean(m[2]) }));
}

describe('module boundaries', () => {
  it('core/ imports no transport: smtp/, http/, express, ws, smtp-server', () => {
    const offenders = files('server/core').flatMap((f) =>
      imports(f)
        .filter(({ spec }) => /(^|\/)(smtp|http)\//.test(spec) || ['express', 'ws', 'smtp-server'].includes(spec) || spec.startsWith('smtp-server/'))
        .map(({ spec }) => `${f} → ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it('checks/ imports no transport (smtp/, http/, express, ws, smtp-server); only checks/ imports mailauth and caniemail', () => {
    const offenders = files('server/checks').flatMap((f) =>
      imports(f)
        .filter(({ spec }) => /(^|\/)(smtp|http)\//.test(spec) || ['express', 'ws', 'smtp-server'].includes(spec))
        .map(({ spec }) => `${f} → ${spec}`),
    );
    expect(offenders).toEqual([]);
    const outside = files('server').filter((f) => !f.startsWith('server/checks/') && imports(f).some(({ spec }) => /^(mailauth|caniemail)(\/|$)/.test(spec)));
    expect(outside).toEqual([]);
  });

  it('smtp/ and http/ never import each other', () => {
    const offenders = [
      ...files('server/smtp').flatMap((f) => imports(f).filter(({ spec }) => spec.includes('/http/')).map(({ spec }) => `${f} → ${spec}`)),
      ...files('server/http').flatMap((f) => imports(f).filter(({ spec }) => spec.includes('/smtp/')).map(({ spec }) => `${f} → ${spec}`)),
    ];
    expect(offenders).toEqual([]);
  });

  it('only smtp/ imports smtp-server, only http/ws-hub.ts imports ws, only core/parse.ts imports mailparser', () => {
    const server = files('server');
    const importers = (pkg: string) => server.filter((f) => imports(f).some(({ spec }) => spec === pkg || spec.startsWith(`${pkg}/`)));
    expect(importers('smtp-server').every((f) => f.startsWith('server/smtp/'))).toBe(true);
    expect(importers('ws')).toEqual(['server/http/ws-hub.ts']);
    expect(importers('mailparser')).toEqual(['server/core/parse.ts']);
  });

  it('ui/src imports from server/ only types (contract.ts), the pure reply-code tables and the one-time-code finder', () => {
    const offenders = files('ui/src').flatMap((f) =>
      imports(f)
        .filter(({ spec }) => spec.includes('server/'))
        .filter(({ spec }) => !['server/core/reply-codes.js', 'server/core/enhanced-codes.js', 'server/client-errors.js'].some((pure) => spec.endsWith(pure)))
        .filter(({ spec, typeOnly }) => !typeOnly || !spec.endsWith('server/contract.js'))
        .map(({ spec }) => `${f} → ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it('the one-time-code finder the UI imports (client-errors.ts) imports only types', () => {
    expect(imports('server/client-errors.ts')).toEqual([{ spec: './contract.js', typeOnly: true }]);
  });

  it('the reply-code tables the UI imports are pure data: they import nothing', () => {
    expect(imports('server/core/reply-codes.ts')).toEqual([]);
    expect(imports('server/core/enhanced-codes.ts')).toEqual([]);
    expect(readFileSync(path.join(ROOT, 'server/core/reply-codes.ts'), 'utf8')).not.toMatch(/\bimport\s*\(|\brequire\s*\(/);
  });

  it('relative imports in server/ carry .js suffixes and builtins the node: prefix', () => {
    const offenders = files('server').flatMap((f) =>
      imports(f)
        .filter(({ spec }) => (spec.startsWith('.') && !spec.endsWith('.js')) || ['fs', 'path', 'net', 'http', 'crypto', 'stream', 'url', 'util', 'os'].includes(spec))
        .map(({ spec }) => `${f} → ${spec}`),
    );
    expect(offenders).toEqual([]);
  });
});
