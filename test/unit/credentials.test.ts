/** User files of `--auth-users` and `--ui-auth-file`: parsing, plain and bcrypt passwords, constant-time checks. */
import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { CredentialChecker, CredentialsError, parseCredentials, safeEqual } from '../../server/core/credentials.js';

const HASH = bcrypt.hashSync('hashed secret', 4);

describe('credentials files', () => {
  it('reads user:password lines, splitting at the first colon; skips blanks and comments; tolerates CRLF', () => {
    const list = parseCredentials(`# users\r\nalice:s3cret\r\n\r\nbob:pa:ss:word\n  # indented comment\ncarol:${HASH}\n`);
    expect(list).toEqual([
      { user: 'alice', password: 's3cret', bcryptHash: null },
      { user: 'bob', password: 'pa:ss:word', bcryptHash: null },
      { user: 'carol', password: null, bcryptHash: HASH },
    ]);
  });

  it('names the line at fault, never the password', () => {
    const error = (text: string) => {
      try {
        parseCredentials(text);
      } catch (err) {
        expect(err).toBeInstanceOf(CredentialsError);
        return (err as Error).message;
      }
      throw new Error('no error');
    };
    expect(error('alice:x\nno-colon-secret\n')).toBe('line 2: expected user:password');
    expect(error(':orphan-password')).toBe('line 1: expected user:password');
    expect(error('alice:')).toBe('line 1: empty password for user "alice"');
    expect(error('alice:a\nalice:b')).toBe('line 2: user "alice" is listed twice');
    expect(error('# nothing\n\n')).toBe('no user:password line');
    expect(error('alice:x\nno-colon-secret\n')).not.toContain('secret');
  });

  it('checks plain and bcrypt passwords; unknown users and wrong passwords fail', async () => {
    const checker = new CredentialChecker(parseCredentials(`alice:s3cret\nbob:pa:ss\ncarol:${HASH}\n`));
    expect(await checker.verify('alice', 's3cret')).toBe(true);
    expect(await checker.verify('bob', 'pa:ss')).toBe(true);
    expect(await checker.verify('carol', 'hashed secret')).toBe(true);
    for (const [user, password] of [['alice', 'S3cret'], ['alice', 's3cret '], ['alice', ''], ['carol', HASH], ['dave', 's3cret'], ['', '']]) {
      expect(await checker.verify(user!, password!), `${user}:${password}`).toBe(false);
    }
    expect(checker.plainPassword('alice')).toBe('s3cret');
    expect(checker.plainPassword('carol')).toBeNull();
    expect(checker.plainPassword('dave')).toBeNull();
  });

  it('compares strings of any lengths without throwing', () => {
    expect(safeEqual('a', 'a')).toBe(true);
    expect(safeEqual('a', 'ab')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
    expect(safeEqual('ü', 'u')).toBe(false);
  });
});
