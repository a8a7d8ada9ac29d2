/** `--release-allow` / `MAILSINK_RELEASE_ALLOW`: repeatable HOST:PORT, normalized; a bad one is one line naming the option. */
import { describe, expect, it } from 'vitest';
import { ConfigError, configFromCli, resolveConfig } from '../../server/config.js';
import { helpText } from '../../server/cli/help.js';

function run(argv: string[], env: Record<string, string> = {}) {
  const request = configFromCli(argv, env);
  if (request.kind !== 'run') throw new Error('not a run');
  return request.config;
}

describe('--release-allow', () => {
  it('is empty by default: release is off', () => {
    expect(run([]).releaseAllow).toEqual([]);
    expect(resolveConfig().releaseAllow).toEqual([]);
  });

  it('repeats as a flag, takes a comma-separated variable, normalizes host case and IPv6 brackets', () => {
    expect(run(['--release-allow', 'SMTP.Example.org:587', '--release-allow', '[::1]:2525']).releaseAllow).toEqual(['smtp.example.org:587', '[::1]:2525']);
    expect(run([], { MAILSINK_RELEASE_ALLOW: '127.0.0.1:2525, localhost:25' }).releaseAllow).toEqual(['127.0.0.1:2525', 'localhost:25']);
    expect(resolveConfig({ releaseAllow: ['127.0.0.1:1025'] }).releaseAllow).toEqual(['127.0.0.1:1025']);
  });

  it('a value without a port, with port 0 or above 65535, or with a path is refused in one line naming the option', () => {
    for (const [argv, env, option] of [
      [['--release-allow', 'smtp.example.org'], {}, '--release-allow'],
      [['--release-allow', 'smtp.example.org:0'], {}, '--release-allow'],
      [['--release-allow', 'smtp.example.org:70000'], {}, '--release-allow'],
      [['--release-allow', 'http://smtp.example.org:25'], {}, '--release-allow'],
      [[], { MAILSINK_RELEASE_ALLOW: '127.0.0.1' }, 'MAILSINK_RELEASE_ALLOW'],
    ] as const) {
      let error: unknown;
      try {
        configFromCli([...argv], env);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).option).toBe(option);
      expect((error as Error).message).toMatch(new RegExp(`^invalid ${option}: .*expected HOST:PORT such as 127\\.0\\.0\\.1:2525`));
      expect((error as Error).message.split('\n')).toHaveLength(1);
    }
  });

  it('is in --help with its variable', () => {
    expect(helpText()).toMatch(/--release-allow +SMTP server HOST:PORT that MailHog-style release may send to \(repeatable\); default: none, release refused \(env: comma-separated\)\n\s+env MAILSINK_RELEASE_ALLOW, default \(none\)/);
  });
});
