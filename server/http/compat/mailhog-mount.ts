/**
 * Mounts the MailHog dialect on its own (this branch's wiring; the merged `compat/` wiring decides
 * between MailHog and Mailpit on the two colliding routes).
 */
import type { Express } from 'express';
import type { CompatDeps } from './deps.js';
import { createMailhogRouter, mailhogDeleteAll, mailhogListV1 } from './mailhog.js';

/** Adds every MailHog route, including `GET` and `DELETE /api/v1/messages`, to `app`. */
export function mountMailhog(app: Express, deps: CompatDeps): void {
  app.use(createMailhogRouter(deps));
  app.get('/api/v1/messages', mailhogListV1(deps));
  app.delete('/api/v1/messages', mailhogDeleteAll(deps));
}
