/**
 * `GET /api/probe` (whether probing is on) and `POST /api/probe` (run `mailsink probe` against an
 * SMTP server and answer its report). Off unless the sink runs with `--enable-probe`: a probe makes
 * the sink open connections where the caller says, so it is never on by default (403
 * `probe_disabled`).
 */
import { Router } from 'express';
import { z } from 'zod';
import { runProbe } from '../probe/probe.js';
import { parseProbeTarget } from '../probe/target.js';
import { ApiError, parseInput } from './errors.js';

const address = z.string().trim().regex(/^[^\s<>@]+@[^\s<>@]+$/, 'expected an address such as user@example.org');

/** Body of `POST /api/probe`; `timeoutMs` is per stage. */
export const probeRequestSchema = z
  .object({
    target: z.string().trim().refine((value) => {
      try {
        parseProbeTarget(value);
        return true;
      } catch {
        return false;
      }
    }, 'expected smtp://host:port or smtps://host:port without credentials'),
    starttls: z.enum(['require', 'try', 'never']).default('try'),
    auth: z.object({ user: z.string().min(1).max(256), pass: z.string().max(1024) }).strict().nullable().default(null),
    from: address.optional(),
    to: z.array(address).min(1).max(20).optional(),
    send: z.boolean().default(false),
    timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
    openRelay: z.boolean().default(false),
    dns: z.object({ domain: z.string().trim().regex(/^[A-Za-z0-9.-]+$/, 'expected a domain name'), server: z.string().trim().regex(/^(\[[0-9a-fA-F:]+\]|[\w.-]+)(:\d{1,5})?$/, 'expected host or host:port').nullable().default(null) }).strict().nullable().default(null),
    ehloName: z.string().trim().regex(/^[A-Za-z0-9.:[\]-]+$/, 'expected a host name').optional(),
  })
  .strict();

/** `{ enabled }` for the inbox, and the probe itself when enabled. */
export function probeRouter(enabled: boolean): Router {
  const router = Router();
  router.get('/', (_req, res) => void res.json({ enabled }));
  router.post('/', async (req, res) => {
    if (!enabled) throw new ApiError(403, 'probe_disabled', 'probing is off: start mailsink with --enable-probe (MAILSINK_ENABLE_PROBE=true) to let API callers make it connect to SMTP servers');
    const body = parseInput(probeRequestSchema, req.body ?? {}, 'body');
    const report = await runProbe({ ...body, ...(body.to ? { to: body.to } : {}) });
    res.json(report);
  });
  return router;
}
