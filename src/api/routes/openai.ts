import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { OpenAIModerationRequestSchema, texts, toOpenAIResult } from '../../compat/openai';
import { moderate } from '../../engine';
import type { ApiDeps } from '../deps';
import { parse } from '../problem';

/** OpenAI-compatible moderation: verdicts on the spot, stored nowhere, as POST /v1/moderate. */
export function openaiRouter({ policy }: ApiDeps): Router {
  const router = Router();
  router.post('/', async (req, res) => {
    const request = parse(OpenAIModerationRequestSchema, req.body, 'body');
    const results: ReturnType<typeof toOpenAIResult>[] = [];
    for (const text of texts(request)) {
      // Up to 32 texts in one request: other requests (and /healthz) get their turn between two,
      // so one request holds the process no longer than one comment does.
      if (results.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      results.push(toOpenAIResult(moderate(text, policy)));
    }
    res.json({
      id: `modr-${randomBytes(12).toString('hex')}`,
      // Echo the caller's model name, as a proxy would; otherwise name the policy that judged.
      model: request.model ?? `decorum-${policy.doc.version}`,
      results,
    });
  });
  return router;
}
