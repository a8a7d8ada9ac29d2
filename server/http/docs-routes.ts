import { Router } from 'express';
import { DOCS_CSP, renderDocsPage } from './docs-page.js';
import { buildOpenApi } from './openapi.js';

/**
 * `GET /api/openapi.json` (the OpenAPI 3.1 document generated from the routes' zod schemas) and
 * `GET /api/docs` (the same, as a static HTML page without script). Both are built once.
 */
export function docsRouter(version: string): Router {
  const router = Router();
  const document = buildOpenApi(version);
  const page = renderDocsPage(document);
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  router.get('/docs', (_req, res) => {
    res.set('Content-Security-Policy', DOCS_CSP);
    res.type('html').send(page);
  });
  return router;
}
