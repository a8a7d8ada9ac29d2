/**
 * SMTP AUTH (RFC 4954) with PLAIN (RFC 4616), LOGIN, CRAM-MD5 (RFC 2195) and XOAUTH2: any
 * credentials are accepted unless `--auth-users` lists users, whose passwords are then checked
 * (`535 5.7.8` on a bad one). XOAUTH2's bearer token is checked as the password; CRAM-MD5 needs the
 * plain password, so it fails for users listed with a bcrypt hash. Fault rules of the `auth` stage
 * run first, as for every other stage. The authenticated user is recorded on each message.
 *
 * With a user list, every check costs the same whether the user exists or not (see
 * `CredentialChecker`), bcrypt runs on worker threads, and a client address with
 * `--max-auth-failures` failed checks in the last {@link AUTH_FAILURE_WINDOW_MS} gets
 * `454 4.7.0` without a check until the oldest of them is that old (see `AuthThrottle`).
 */
import { randomBytes } from 'node:crypto';
import type { SMTPServerAuthentication, SMTPServerAuthenticationResponse, SMTPServerSession } from 'smtp-server';
import type { Config } from '../config.js';
import type { FaultStage } from '../contract.js';
import { AuthThrottle } from '../core/auth-throttle.js';
import type { BcryptPool } from '../core/bcrypt-pool.js';
import { CredentialChecker } from '../core/credentials.js';
import type { FaultContext } from '../core/faults.js';
import type { ReplacementReply } from './compat.js';
import type { FaultOutcome } from './hooks.js';
import { contextOf, LIMIT_REPLIES, smtpError } from './session.js';
import type { SmtpError } from './session.js';

/** What the AUTH hook borrows from the other hooks. */
export interface AuthHookDeps {
  config: Config;
  bcrypt: BcryptPool;
  checkFaults(stage: FaultStage, session: SMTPServerSession, context: FaultContext, argument: string | null): Promise<FaultOutcome>;
  guard(check: Promise<FaultOutcome>, callback: (err?: Error | null) => void, onPass: () => void): void;
  refuse(stage: FaultStage, session: SMTPServerSession, context: FaultContext, argument: string | null, reply: ReplacementReply): SmtpError;
}

/** The window (ms) over which failed AUTH checks of one address are counted. */
export const AUTH_FAILURE_WINDOW_MS = 60_000;

/** A CRAM-MD5 key no client can know, checked for unknown users so they cost the same HMAC. */
const NO_SUCH_USER = `\u0000${randomBytes(16).toString('hex')}`;

/** Whether the credentials of one AUTH exchange are right (always, without a user list). */
async function credentialsValid(auth: SMTPServerAuthentication, checker: CredentialChecker | null): Promise<boolean> {
  if (!checker) return true;
  const user = auth.username ?? '';
  switch (auth.method) {
    case 'PLAIN':
    case 'LOGIN':
      return checker.verify(user, auth.password ?? '');
    case 'XOAUTH2':
      return checker.verify(user, auth.accessToken ?? '');
    case 'CRAM-MD5': {
      const password = checker.plainPassword(user);
      return auth.validatePassword(password ?? NO_SUCH_USER) && password !== null;
    }
    default:
      return false;
  }
}

/** Builds `onAuth`. */
export function createAuthHook({ config, bcrypt, checkFaults, guard, refuse }: AuthHookDeps) {
  const checker = config.files.authUsers ? new CredentialChecker(config.files.authUsers, bcrypt.compare) : null;
  const throttle = new AuthThrottle(config.maxAuthFailures, AUTH_FAILURE_WINDOW_MS);
  return (auth: SMTPServerAuthentication, session: SMTPServerSession, callback: (err: Error | null | undefined, response?: SMTPServerAuthenticationResponse) => void) => {
    const user = auth.username ?? null;
    const context = { ...contextOf(session), authUser: user };
    const address = session.remoteAddress;
    guard(checkFaults('auth', session, context, user), callback, () => {
      if (checker && !throttle.begin(address)) return callback(refuse('auth', session, context, user, LIMIT_REPLIES.authThrottled));
      credentialsValid(auth, checker).then(
        (valid) => {
          if (checker) throttle.end(address, valid);
          return valid ? callback(null, { user: user ?? '' }) : callback(refuse('auth', session, context, user, LIMIT_REPLIES.badCredentials));
        },
        () => {
          if (checker) throttle.end(address, true);
          callback(smtpError(454, '4.7.0 Temporary authentication failure'));
        },
      );
    });
  };
}
