import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { OpenAIModerationRequestSchema, texts, toOpenAIResult } from '../../compat/openai';
import { moderate } from '../../engine';
import type { ApiDeps } from '../deps';
import { parse } from '../problem';

/** OpenAI-compatible moderation: verdicts on the spot, stored nowhere, as POST /v1/moderate. */
export function openaiRouter({ policy }: ApiDeps): Router {
  const router = Router();
  router.post('/', (req, res) => {
    const request = parse(OpenAIModerationRequestSchema, req.body, 'body');
    res.json({
      id: `modr-${randomBytes(12).toString('hex')}`,
      // Echo the caller's model name, as a proxy would; otherwise name the policy that judged.
      model: request.model ?? `decorum-${policy.doc.version}`,
      results: texts(request).map((text) => toOpenAIResult(moderate(text, policy))),
    });
  });
  return router;
}
