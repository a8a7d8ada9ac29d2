/** User files of `--auth-users` and `--ui-auth-file`: parsing, plain and bcrypt passwords, constant-time checks. */
import bcrypt from 'bcryptjs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createBcryptPool } from '../../server/core/bcrypt-pool.js';
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
    const pool = createBcryptPool(1);
    const checker = new CredentialChecker(parseCredentials(`alice:s3cret\nbob:pa:ss\ncarol:${HASH}\n`), pool.compare);
    onTestFinished(() => pool.close());
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

  it('every check of a file with bcrypt users runs one bcrypt compare at the highest cost: known, unknown and plain-password users alike', async () => {
    const HASH_6 = bcrypt.hashSync('other', 6);
    const compares: string[] = [];
    const compare = (password: string, hash: string) => {
      compares.push(hash);
      return bcrypt.compare(password, hash);
    };
    const checker = new CredentialChecker(parseCredentials(`alice:s3cret\ncarol:${HASH}\nerin:${HASH_6}\n`), compare);
    expect(await checker.verify('carol', 'hashed secret')).toBe(true);
    expect(await checker.verify('carol', 'wrong')).toBe(false);
    expect(await checker.verify('nobody', 'hashed secret')).toBe(false);
    expect(await checker.verify('alice', 's3cret')).toBe(true);
    expect(await checker.verify('alice', 'wrong')).toBe(false);
    expect(compares).toHaveLength(5);
    expect(compares.slice(0, 2)).toEqual([HASH, HASH]);
    const [dummy, ...rest] = compares.slice(2);
    expect(dummy).toMatch(/^\$2b\$06\$[./A-Za-z0-9]{53}$/);
    expect(rest).toEqual([dummy, dummy]);
    expect(await bcrypt.compare('hashed secret', dummy!)).toBe(false);
  });

  it('a file of plain passwords never calls bcrypt', async () => {
    let compares = 0;
    const checker = new CredentialChecker(parseCredentials('alice:s3cret\n'), async () => (compares++, false));
    expect([await checker.verify('alice', 's3cret'), await checker.verify('nobody', 's3cret')]).toEqual([true, false]);
    expect(compares).toBe(0);
  });

  it('compares strings of any lengths without throwing', () => {
    expect(safeEqual('a', 'a')).toBe(true);
    expect(safeEqual('a', 'ab')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
    expect(safeEqual('ü', 'u')).toBe(false);
  });
});
