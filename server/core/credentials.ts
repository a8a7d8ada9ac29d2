/**
 * User/password files for SMTP AUTH (`--auth-users`) and the web inbox (`--ui-auth-file`): one
 * `user:password` per line, split at the first `:` (so passwords may contain `:`), or
 * `user:$2b$…` with a bcrypt hash instead of the password. Blank lines and lines starting with `#`
 * are ignored. Passwords are compared in constant time (RFC 7617 basic auth, RFC 4954 AUTH).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import bcrypt from 'bcryptjs';

/** One user: a plain password or a bcrypt hash (`$2a$`, `$2b$`, `$2y$`). */
export interface Credential {
  readonly user: string;
  readonly password: string | null;
  readonly bcryptHash: string | null;
}

/** The users of one file, in file order. */
export type CredentialList = readonly Credential[];

/** A line that is not `user:password`; `message` names the line number, never the password. */
export class CredentialsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialsError';
  }
}

const BCRYPT = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;

/**
 * Parses the text of a credentials file.
 * @throws CredentialsError for a line without `:`, an empty user name, a user listed twice, or a file without users.
 */
export function parseCredentials(text: string): CredentialList {
  const users: Credential[] = [];
  const seen = new Set<string>();
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new CredentialsError(`line ${index + 1}: expected user:password`);
    const user = line.slice(0, colon);
    const secret = line.slice(colon + 1);
    if (secret === '') throw new CredentialsError(`line ${index + 1}: empty password for user ${JSON.stringify(user)}`);
    if (seen.has(user)) throw new CredentialsError(`line ${index + 1}: user ${JSON.stringify(user)} is listed twice`);
    seen.add(user);
    const hashed = BCRYPT.test(secret);
    users.push(Object.freeze({ user, password: hashed ? null : secret, bcryptHash: hashed ? secret : null }));
  });
  if (users.length === 0) throw new CredentialsError('no user:password line');
  return Object.freeze(users);
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Constant-time string equality (both sides hashed first, so the length leaks nothing either). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * Checks user names and passwords against a {@link CredentialList}. An unknown user costs the same
 * comparison as a known one.
 */
export class CredentialChecker {
  readonly #byUser = new Map<string, Credential>();

  constructor(list: CredentialList) {
    for (const credential of list) this.#byUser.set(credential.user, credential);
  }

  /** Whether `password` is right for `user` (bcrypt hashes are checked with bcrypt). */
  async verify(user: string, password: string): Promise<boolean> {
    const credential = this.#byUser.get(user);
    if (credential?.bcryptHash) return bcrypt.compare(password, credential.bcryptHash);
    const ok = safeEqual(credential?.password ?? '\u0000no such user', password);
    return ok && credential !== undefined;
  }

  /** The plain password of `user` (for CRAM-MD5, which needs it), or `null` for an unknown user or a bcrypt hash. */
  plainPassword(user: string): string | null {
    return this.#byUser.get(user)?.password ?? null;
  }
}
