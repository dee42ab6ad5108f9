import { Router } from 'express';
import {
  AnalyzeRequestSchema,
  detectLanguage,
  PERSPECTIVE_LANGUAGES,
  SuggestScoreRequestSchema,
  toAnalyzeResponse,
  unsupportedLanguages,
} from '../../compat/perspective';
import { PERSPECTIVE_ERROR_TYPE } from '../../compat/errors';
import { moderate } from '../../engine';
import type { ApiDeps } from '../deps';
import { HttpProblem, parse } from '../problem';

/**
 * Perspective-compatible scoring at Perspective's own path, so a tool configured with an endpoint
 * of `http://decorum:8080/v1alpha1` works unchanged. Perspective's clients send their key as
 * `?key=`, so that is accepted here as well as the bearer header (app.ts).
 */
export function perspectiveRouter({ policy }: ApiDeps): Router {
  const router = Router();
  // The colon is part of Perspective's path, not a route parameter.
  router.post('/comments\\:analyze', (req, res) => {
    const request = parse(AnalyzeRequestSchema, req.body, 'body');
    const unsupported = unsupportedLanguages(request);
    if (unsupported.length > 0) {
      throw new HttpProblem(
        400,
        'Unsupported language',
        // Perspective's own words for it, then what Decorum covers.
        `Attribute ${Object.keys(request.requestedAttributes)[0]} does not support request languages: ${unsupported.join(', ')} (Decorum covers ${PERSPECTIVE_LANGUAGES.join(', ')})`,
        // Perspective's own name for this error, which its clients may look for.
        { [PERSPECTIVE_ERROR_TYPE]: 'LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE' },
      );
    }
    res.json(toAnalyzeResponse(request, moderate(request.comment.text, policy)));
  });
  router.post('/comments\\:suggestscore', (req, res) => {
    const request = parse(SuggestScoreRequestSchema, req.body, 'body');
    res.json({
      detectedLanguages: [detectLanguage(request.comment.text)],
      requestedLanguages: request.languages ?? [],
      ...(request.clientToken !== undefined && { clientToken: request.clientToken }),
    });
  });
  return router;
}
