import { Router } from 'express';
import type { Store } from '../core/store.js';
import type { TranscriptLog } from '../core/transcripts.js';
import { ApiError, parseInput } from './errors.js';
import { idParams, transcriptIdParams } from './schemas.js';

/**
 * SMTP transcripts: `GET /api/messages/:id/transcript` (the session that produced a message; `:id`
 * may be `latest`) and `GET /api/transcripts/:id` (by session id, as `Rejection.transcriptId`
 * names it). A message imported over HTTP has none (`404 no_transcript`), nor one whose transcript
 * was evicted.
 */
export function transcriptsRouter(store: Store, transcripts: TranscriptLog | null): Router {
  const router = Router();

  router.get('/messages/:id/transcript', (req, res) => {
    const { id } = parseInput(idParams, req.params, 'path');
    const message = id === 'latest' ? store.latest() : store.get(id);
    if (!message) throw new ApiError(404, 'not_found', id === 'latest' ? 'no messages stored' : `no message with id "${id}"`, 'id');
    const transcript = transcripts?.forMessage(message.id);
    if (!transcript) throw new ApiError(404, 'no_transcript', `message "${message.id}" has no SMTP transcript (imported over HTTP, or its transcript was evicted)`, 'id');
    res.json(transcript);
  });

  router.get('/transcripts/:id', (req, res) => {
    const { id } = parseInput(transcriptIdParams, req.params, 'path');
    const transcript = transcripts?.get(id);
    if (!transcript) throw new ApiError(404, 'not_found', `no transcript with id "${id}" (unknown, or no longer kept)`, 'id');
    res.json(transcript);
  });

  return router;
}
