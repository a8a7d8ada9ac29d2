/**
 * SMTP AUTH (RFC 4954) with PLAIN (RFC 4616), LOGIN, CRAM-MD5 (RFC 2195) and XOAUTH2: any
 * credentials are accepted unless `--auth-users` lists users, whose passwords are then checked
 * (`535 5.7.8` on a bad one). XOAUTH2's bearer token is checked as the password; CRAM-MD5 needs the
 * plain password, so it fails for users listed with a bcrypt hash. Fault rules of the `auth` stage
 * run first, as for every other stage. The authenticated user is recorded on each message.
 */
import type { SMTPServerAuthentication, SMTPServerAuthenticationResponse, SMTPServerSession } from 'smtp-server';
import type { Config } from '../config.js';
import type { FaultStage } from '../contract.js';
import { CredentialChecker } from '../core/credentials.js';
import type { FaultContext } from '../core/faults.js';
import type { ReplacementReply } from './compat.js';
import type { FaultOutcome } from './hooks.js';
import { contextOf, LIMIT_REPLIES, smtpError } from './session.js';
import type { SmtpError } from './session.js';

/** What the AUTH hook borrows from the other hooks. */
export interface AuthHookDeps {
  config: Config;
  checkFaults(stage: FaultStage, session: SMTPServerSession, context: FaultContext, argument: string | null): Promise<FaultOutcome>;
  guard(check: Promise<FaultOutcome>, callback: (err?: Error | null) => void, onPass: () => void): void;
  refuse(stage: FaultStage, session: SMTPServerSession, context: FaultContext, argument: string | null, reply: ReplacementReply): SmtpError;
}

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
      return password !== null && auth.validatePassword(password);
    }
    default:
      return false;
  }
}

/** Builds `onAuth`. */
export function createAuthHook({ config, checkFaults, guard, refuse }: AuthHookDeps) {
  const checker = config.files.authUsers ? new CredentialChecker(config.files.authUsers) : null;
  return (auth: SMTPServerAuthentication, session: SMTPServerSession, callback: (err: Error | null | undefined, response?: SMTPServerAuthenticationResponse) => void) => {
    const user = auth.username ?? null;
    const context = { ...contextOf(session), authUser: user };
    guard(checkFaults('auth', session, context, user), callback, () => {
      credentialsValid(auth, checker).then(
        (valid) => (valid ? callback(null, { user: user ?? '' }) : callback(refuse('auth', session, context, user, LIMIT_REPLIES.badCredentials))),
        () => callback(smtpError(454, '4.7.0 Temporary authentication failure')),
      );
    });
  };
}
