/** Response schema of `GET /api/messages/:id/checks/links` (OpenAPI, and the test that real answers validate). DRAFT: its check's author makes it exact. */
import { z } from 'zod';

export const linksCheckSchema = z.looseObject({});
