/**
 * User/password files for SMTP AUTH (`--auth-users`) and the web inbox (`--ui-auth-file`): one
 * `user:password` per line, split at the first `:` (so passwords may contain `:`), or
 * `user:$2b$…` with a bcrypt hash instead of the password. Blank lines and lines starting with `#`
 * are ignored. Passwords are compared in constant time (RFC 7617 basic auth, RFC 4954 AUTH).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

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

/** Compares a password with a bcrypt hash (off the main thread: {@link BcryptPool.compare}). */
export type BcryptCompare = (password: string, hash: string) => Promise<boolean>;

/**
 * Checks user names and passwords against a {@link CredentialList}, at the same cost whoever the
 * user is, so the time of a refusal does not tell whether the name exists: in a file with bcrypt
 * hashes every check runs exactly one bcrypt compare (an unknown user or a plain-password user is
 * compared with a dummy hash of the file's highest cost); in a file of plain passwords every check
 * is one constant-time comparison. Hashes of different costs in one file still differ in time.
 */
export class CredentialChecker {
  readonly #byUser = new Map<string, Credential>();
  readonly #compare: BcryptCompare;
  /** A well-formed hash no password matches, at the highest cost in the file; `null` without bcrypt users. */
  readonly #dummyHash: string | null;

  /** @param compare - bcrypt comparison, e.g. a {@link BcryptPool}'s `compare` (never bcryptjs on the main thread). */
  constructor(list: CredentialList, compare: BcryptCompare) {
    for (const credential of list) this.#byUser.set(credential.user, credential);
    this.#compare = compare;
    const costs = list.flatMap((c) => (c.bcryptHash ? [Number(c.bcryptHash.slice(4, 6))] : []));
    this.#dummyHash = costs.length > 0 ? dummyHash(Math.max(...costs)) : null;
  }

  /**
   * Whether `password` is right for `user` (bcrypt hashes are checked with bcrypt).
   * @throws Error when the bcrypt comparison fails (its pool closed or its worker died).
   */
  async verify(user: string, password: string): Promise<boolean> {
    const credential = this.#byUser.get(user);
    if (credential?.bcryptHash) return this.#compare(password, credential.bcryptHash);
    const ok = safeEqual(credential?.password ?? '\u0000no such user', password) && credential !== undefined;
    if (this.#dummyHash !== null) await this.#compare(password, this.#dummyHash);
    return ok;
  }

  /** The plain password of `user` (for CRAM-MD5, which needs it), or `null` for an unknown user or a bcrypt hash. */
  plainPassword(user: string): string | null {
    return this.#byUser.get(user)?.password ?? null;
  }
}

const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `$2b$<cost>$` and 53 random characters of bcrypt's base64: compares run the full cost and never match. */
function dummyHash(cost: number): string {
  const tail = Array.from(randomBytes(53), (byte) => BCRYPT_ALPHABET[byte % 64]).join('');
  return `$2b$${String(cost).padStart(2, '0')}$${tail}`;
}
