import { z } from 'zod';
import type { ErrorDialect, HttpProblem } from '../api/problem';

/**
 * Errors in the shapes the compatible endpoints' clients read: the official SDKs look for the
 * message in their API's own error object, and show a status line with "(no body)" for anything
 * else. A request either API would call malformed is a 400 there, whatever Decorum calls it
 * (a 422 for a body that doesn't validate, 413 for a body too large, 415 for one not JSON).
 */
const asClientError = (status: number) => (status === 413 || status === 415 || status === 422 ? 400 : status);

/** The field a validation error names first, as OpenAI's `param`. */
const firstField = (p: HttpProblem) => {
  const path = p.extra.errors?.[0]?.path;
  return path === undefined || path.startsWith('(') ? null : path;
};

/** OpenAI's error object: https://platform.openai.com/docs/guides/error-codes */
export const OpenAIErrorSchema = z.object({
  error: z.object({ message: z.string(), type: z.string(), param: z.string().nullable(), code: z.string().nullable() }),
});

const OPENAI_CODES: Record<number, string> = { 401: 'invalid_api_key', 403: 'insufficient_permissions', 404: 'not_found', 429: 'rate_limit_exceeded' };

export const openaiErrors: ErrorDialect = (p) => {
  const status = asClientError(p.status);
  const type = status >= 500 ? 'server_error' : status === 429 ? 'rate_limit_error' : status === 401 ? 'authentication_error' : status === 403 ? 'permission_error' : 'invalid_request_error';
  const body: z.infer<typeof OpenAIErrorSchema> = { error: { message: p.detail, type, param: firstField(p), code: OPENAI_CODES[status] ?? (status === 400 ? 'invalid_value' : null) } };
  return { status, body };
};

/** Google's API error object, which Perspective answers: https://cloud.google.com/apis/design/errors */
export const PerspectiveErrorSchema = z.object({
  error: z.object({ code: z.number().int(), message: z.string(), status: z.string(), details: z.array(z.looseObject({ '@type': z.string() })) }),
});

const GOOGLE_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

/** What Perspective itself names an error in its details, where Decorum meets the same case. */
export const PERSPECTIVE_ERROR_TYPE = 'perspectiveErrorType';

export const perspectiveErrors: ErrorDialect = (p) => {
  const status = asClientError(p.status);
  const details: z.infer<typeof PerspectiveErrorSchema>['error']['details'] = [];
  if (p.extra.errors) {
    details.push({ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: p.extra.errors.map((e) => ({ field: e.path, description: e.message })) });
  }
  const errorType = p.extra[PERSPECTIVE_ERROR_TYPE];
  if (typeof errorType === 'string') details.push({ '@type': 'type.googleapis.com/google.commentanalyzer.v1alpha1.Error', errorType });
  const body: z.infer<typeof PerspectiveErrorSchema> = {
    error: { code: status, message: p.detail, status: GOOGLE_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION'), details },
  };
  return { status, body };
};
