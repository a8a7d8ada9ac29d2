import { Router } from 'express';
import { z } from 'zod';
import type { FaultRule, Rejection } from '../contract.js';
import { FaultRuleError, validateFaultRules } from '../core/fault-rules.js';
import { FaultOrderError } from '../core/faults.js';
import type { FaultEngine } from '../core/faults.js';
import type { RejectionLog } from '../core/rejections.js';
import { ApiError, parseInput } from './errors.js';
import { faultOrderBody, faultPatchBody } from './schemas.js';

/** `GET /api/faults` */
export interface FaultList {
  /** Seed of `probability` rules (`--fault-seed`), to replay a random run. */
  seed: number;
  rules: FaultRule[];
}

/** `GET /api/rejections` */
export interface RejectionList {
  total: number;
  count: number;
  rejections: Rejection[];
}

/** `:id` of a fault rule. */
export const idParams = z.object({ id: z.string().min(1).max(100) });
/** `limit`/`offset` of `GET /api/rejections`. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

/** `PUT /api/faults/order` */
export interface FaultOrder {
  rules: FaultRule[];
}

/**
 * Validates a body like `--faults-file` does.
 * @throws ApiError 400 naming the field (`reply.code`, or `1.reply.code` in an array).
 */
function validBody(body: unknown) {
  try {
    return validateFaultRules(body);
  } catch (err) {
    if (err instanceof FaultRuleError) {
      const field = err.index === null ? err.field : `${err.index}.${err.field}`;
      throw new ApiError(400, 'invalid_request', `invalid body: ${err.message}`, field);
    }
    throw err;
  }
}

const unknownRule = (id: string) => new ApiError(404, 'not_found', `no fault rule with id "${id}"`, 'id');

/**
 * Fault rules over REST: list, add one or an array (validated like `--faults-file`; 400 naming the
 * rule and field), replace one (PUT), enable or disable one (PATCH), reorder all, remove one, remove
 * all. Changes apply to the next SMTP command, no restart; each publishes `faults.changed`.
 */
export function faultsRouter(faults: FaultEngine, seed: number): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    const body: FaultList = { seed, rules: faults.list() };
    res.json(body);
  });
  router.post('/', (req, res) => {
    res.status(201).json({ rules: faults.add(validBody(req.body)) });
  });
  router.put('/order', (req, res) => {
    const { ids } = parseInput(faultOrderBody, req.body ?? {}, 'body');
    try {
      const body: FaultOrder = { rules: faults.reorder(ids) };
      res.json(body);
    } catch (err) {
      if (err instanceof FaultOrderError) throw new ApiError(400, 'invalid_request', `invalid body field "ids": ${err.message}`, 'ids');
      throw err;
    }
  });
  router.put('/:id', (req, res) => {
    const { id } = parseInput(idParams, req.params, 'path');
    if (!faults.list().some((rule) => rule.id === id)) throw unknownRule(id);
    if (Array.isArray(req.body)) throw new ApiError(400, 'invalid_request', 'invalid body: PUT takes one rule, not an array', 'body');
    const rule = faults.update(id, validBody(req.body)[0]!);
    if (!rule) throw unknownRule(id);
    res.json(rule);
  });
  router.patch('/:id', (req, res) => {
    const { id } = parseInput(idParams, req.params, 'path');
    const { enabled } = parseInput(faultPatchBody, req.body ?? {}, 'body');
    const rule = faults.setEnabled(id, enabled);
    if (!rule) throw unknownRule(id);
    res.json(rule);
  });
  router.delete('/', (_req, res) => {
    faults.clear();
    res.status(204).end();
  });
  router.delete('/:id', (req, res) => {
    const { id } = parseInput(idParams, req.params, 'path');
    if (!faults.remove(id)) throw new ApiError(404, 'not_found', `no fault rule with id "${id}"`, 'id');
    res.status(204).end();
  });
  return router;
}

/** Refused SMTP attempts, newest first (`limit` 1–1000, default 100); `DELETE` forgets them. */
export function rejectionsRouter(rejections: RejectionLog): Router {
  const router = Router();
  router.get('/', (req, res) => {
    const { limit, offset } = parseInput(pageQuery, req.query, 'query');
    const all = rejections.newestFirst();
    const page = all.slice(offset, offset + limit);
    const body: RejectionList = { total: all.length, count: page.length, rejections: page };
    res.json(body);
  });
  router.delete('/', (_req, res) => {
    rejections.clear();
    res.status(204).end();
  });
  return router;
}
