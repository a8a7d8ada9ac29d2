import { describe, expect, it } from 'vitest';
import { ConfigError, configFromCli, resolveConfig } from '../../server/config.js';
import { parseStorageSpec, redactUrl, StorageOpenError } from '../../server/storage/index.js';

describe('--storage', () => {
  it('parses memory, sqlite:PATH and postgres URLs', () => {
    expect(parseStorageSpec('memory')).toEqual({ kind: 'memory' });
    expect(parseStorageSpec('sqlite:./mail.db')).toEqual({ kind: 'sqlite', path: './mail.db' });
    expect(parseStorageSpec('sqlite:/var/lib/mailsink/mail.db')).toEqual({ kind: 'sqlite', path: '/var/lib/mailsink/mail.db' });
    expect(parseStorageSpec('postgres://sink:pw@db.internal:5432/mail')).toEqual({ kind: 'postgres', url: 'postgres://sink:pw@db.internal:5432/mail' });
    expect(parseStorageSpec('postgresql://sink@localhost/mail')).toEqual({ kind: 'postgres', url: 'postgresql://sink@localhost/mail' });
  });

  it('refuses anything else with one line naming the option', () => {
    expect(() => parseStorageSpec('mysql://x')).toThrow(new StorageOpenError('--storage: "mysql://x" is not memory, sqlite:PATH or a postgres:// URL'));
    expect(() => parseStorageSpec('sqlite:')).toThrow(new StorageOpenError('--storage: "sqlite:" needs a file path, e.g. sqlite:./mail.db'));
  });

  it('takes the flag and MAILSINK_STORAGE (the flag wins), defaulting to memory', () => {
    const run = (argv: string[], env: Record<string, string> = {}) => {
      const request = configFromCli(argv, env);
      if (request.kind !== 'run') throw new Error(request.kind);
      return request.config.storage;
    };
    expect(run([])).toEqual({ kind: 'memory' });
    expect(run([], { MAILSINK_STORAGE: 'sqlite:/tmp/a.db' })).toEqual({ kind: 'sqlite', path: '/tmp/a.db' });
    expect(run(['--storage', 'sqlite:b.db'], { MAILSINK_STORAGE: 'sqlite:/tmp/a.db' })).toEqual({ kind: 'sqlite', path: 'b.db' });
  });

  it('names the flag or the variable in a bad value, and never prints a password', () => {
    expect(() => configFromCli(['--storage', 'redis://x'], {})).toThrow(new ConfigError('--storage', 'invalid --storage: "redis://x" is not memory, sqlite:PATH or a postgres:// URL'));
    expect(() => configFromCli([], { MAILSINK_STORAGE: 'postgres://sink:hunter2@[::1' })).toThrow(
      new ConfigError('MAILSINK_STORAGE', 'invalid MAILSINK_STORAGE: "postgres://sink:***@[::1" is not a valid PostgreSQL URL (postgres://user:pass@host:port/db)'),
    );
    expect(redactUrl('postgres://sink:hunter2@db/mail')).toBe('postgres://sink:***@db/mail');
    expect(redactUrl('postgres://sink@db/mail')).toBe('postgres://sink@db/mail');
  });

  it('accepts a spec object from code (startSink)', () => {
    expect(resolveConfig({ storage: { kind: 'sqlite', path: 'x.db' } }).storage).toEqual({ kind: 'sqlite', path: 'x.db' });
  });
});
