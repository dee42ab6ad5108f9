import express, { Router } from 'express';
import { moderate } from '../../engine';
import { CoralRequestSchema, htmlToText, toCoralResponse, verifyCoralSignature } from '../../integrations/coral';
import type { ApiDeps } from '../deps';
import { HttpProblem, parse } from '../problem';

/**
 * Coral Talk's external moderation phase calls this. Coral authenticates by signing the body, not
 * with a bearer key, so this router is mounted outside /v1's key check. The engine runs right
 * here, in microseconds, so the answer comes well within Coral's timeout (200 ms by default).
 */
export function coralRouter({ policy, coralSigningSecret, log }: ApiDeps): Router {
  const router = Router();
  router.post('/', express.raw({ type: () => true, limit: '256kb' }), (req, res) => {
    if (!coralSigningSecret) {
      throw new HttpProblem(404, 'Not found', 'the Coral integration is off: set CORAL_SIGNING_SECRET to the signing secret Coral shows for the phase');
    }
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    // Verified on the exact bytes Coral signed, before anything is parsed.
    if (!verifyCoralSignature(coralSigningSecret, raw, req.get('x-coral-signature'))) {
      throw new HttpProblem(401, 'Unauthorized', 'missing or invalid X-Coral-Signature');
    }
    if (!req.is('application/json')) throw new HttpProblem(415, 'Unsupported media type', 'send the request body as application/json');
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch (err) {
      throw new HttpProblem(400, 'Malformed JSON', `the request body is not valid JSON: ${(err as Error).message}`);
    }
    const request = parse(CoralRequestSchema, body, 'body');
    const text = htmlToText(request.comment.body);
    // An empty comment (an image, only markup) has nothing for us to judge; Coral's own length
    // phase deals with it.
    if (text.trim() === '') return void res.json({ actions: [] });
    const assessment = moderate(text, policy);
    const answer = toCoralResponse(assessment);
    log.debug({ tenantID: request.tenantID, storyID: request.story.id, decision: assessment.decision }, 'coral moderation');
    res.json(answer);
  });
  return router;
}
