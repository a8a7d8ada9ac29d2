/**
 * Result shapes of the per-message checks (`GET /api/messages/:id/checks/*`), JSON-safe and shared
 * with the inbox through `contract.ts` (type-only). Each check owns its own file of types:
 * `auth-types.ts`, `html-types.ts`, `links-types.ts`, `list-unsubscribe-types.ts`, `spam-types.ts`.
 */
export type * from './auth-types.js';
export type * from './html-types.js';
export type * from './links-types.js';
export type * from './list-unsubscribe-types.js';
export type * from './spam-types.js';

/** The kinds of check, as in the API path `/api/messages/:id/checks/{kind}`. */
export type CheckKind = 'auth' | 'html' | 'links' | 'list-unsubscribe' | 'spam';
