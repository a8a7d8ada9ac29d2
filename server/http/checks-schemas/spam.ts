/** Response schema of `GET /api/messages/:id/checks/spam` (OpenAPI, and the test that real answers validate). DRAFT: its check's author makes it exact. */
import { z } from 'zod';

export const spamCheckSchema = z.looseObject({});
