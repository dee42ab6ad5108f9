import { z } from 'zod';
import { OpenAIModerationRequestSchema, OpenAIModerationResponseSchema } from '../compat/openai';
import { AnalyzeRequestSchema, AnalyzeResponseSchema, SuggestScoreRequestSchema, SuggestScoreResponseSchema } from '../compat/perspective';
import { CommentInputSchema, CommentSchema } from '../domain/comment';
import { VerdictSchema } from '../engine/verdict';
import { ProblemSchema } from './problem';
import { LivenessSchema, ReadinessSchema } from './routes/health';
import { ModerateRequestSchema } from './routes/moderate';
import { SubmitAcceptedSchema, SubmitQuery } from './routes/comments';

/**
 * The OpenAPI 3.1 document, built from the same zod schemas the routes parse with, so the
 * document cannot drift from what the code accepts. OpenAPI 3.1 schemas are JSON Schema 2020-12,
 * which is what zod emits.
 */

type Auth = 'bearer' | 'bearer-or-query-key' | 'none';

interface Response {
  description: string;
  schema?: z.ZodType;
  /** Another media type than JSON, described in words (the /docs page). */
  mediaType?: string;
}

export interface Operation {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** OpenAPI path, with {param} for path parameters. */
  path: string;
  summary: string;
  tag: string;
  auth: Auth;
  query?: z.ZodObject;
  body?: z.ZodType;
  responses: Record<number, Response>;
}

/** Schemas worth a name in components (what clients see again and again), by direction. */
const NAMED: Record<'input' | 'output', Record<string, z.ZodType>> = {
  input: { CommentInput: CommentInputSchema },
  output: { Problem: ProblemSchema, Comment: CommentSchema, Verdict: VerdictSchema },
};

export const OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/healthz',
    summary: 'Liveness: the process answers (never touches Redis)',
    tag: 'operations',
    auth: 'none',
    responses: { 200: { description: 'alive', schema: LivenessSchema } },
  },
  {
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: Redis answers and the queue is usable',
    tag: 'operations',
    auth: 'none',
    responses: { 200: { description: 'ready, with queue counts', schema: ReadinessSchema }, 503: { description: 'not ready' } },
  },
  {
    method: 'post',
    path: '/v1/comments',
    summary: 'Submit a comment for moderation (idempotent by id)',
    tag: 'comments',
    auth: 'bearer',
    query: SubmitQuery,
    body: CommentInputSchema,
    responses: {
      200: { description: 'decided within ?wait=', schema: CommentSchema },
      202: { description: 'accepted and queued; it will get a verdict', schema: SubmitAcceptedSchema },
      409: { description: 'the id exists with different content' },
      422: { description: 'the body or query is invalid' },
    },
  },
  {
    method: 'get',
    path: '/v1/comments/{id}',
    summary: 'A comment, its status and, once decided, its verdict and history',
    tag: 'comments',
    auth: 'bearer',
    responses: { 200: { description: 'the comment', schema: CommentSchema }, 404: { description: 'no such comment' } },
  },
  {
    method: 'post',
    path: '/v1/moderate',
    summary: 'A verdict on the spot, stored nowhere',
    tag: 'moderation',
    auth: 'bearer',
    body: ModerateRequestSchema,
    responses: { 200: { description: 'the verdict', schema: VerdictSchema }, 422: { description: 'invalid body' } },
  },
  {
    method: 'post',
    path: '/v1/moderations',
    summary: "OpenAI-compatible moderation (docs/COMPATIBILITY.md has the category mapping)",
    tag: 'compatible',
    auth: 'bearer',
    body: OpenAIModerationRequestSchema,
    responses: { 200: { description: 'one result per input', schema: OpenAIModerationResponseSchema }, 422: { description: 'invalid body' } },
  },
  {
    method: 'post',
    path: '/v1alpha1/comments:analyze',
    summary: 'Perspective-compatible scoring (the key may be sent as ?key=)',
    tag: 'compatible',
    auth: 'bearer-or-query-key',
    body: AnalyzeRequestSchema,
    responses: {
      200: { description: 'scores per requested attribute', schema: AnalyzeResponseSchema },
      400: { description: 'a language Decorum does not cover' },
      422: { description: 'invalid body or an unsupported attribute' },
    },
  },
  {
    method: 'post',
    path: '/v1alpha1/comments:suggestscore',
    summary: "Perspective's feedback call: checked and acknowledged, nothing is learned",
    tag: 'compatible',
    auth: 'bearer-or-query-key',
    body: SuggestScoreRequestSchema,
    responses: { 200: { description: 'acknowledged', schema: SuggestScoreResponseSchema }, 422: { description: 'invalid body' } },
  },
  {
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics of this process (no key: counts and timings, never comment text)',
    tag: 'operations',
    auth: 'none',
    responses: { 200: { description: 'Prometheus text format', mediaType: 'text/plain' }, 503: { description: 'Redis unreachable' } },
  },
  {
    method: 'get',
    path: '/openapi.json',
    summary: 'This document',
    tag: 'operations',
    auth: 'none',
    responses: { 200: { description: 'OpenAPI 3.1', schema: z.looseObject({ openapi: z.literal('3.1.0'), info: z.looseObject({}), paths: z.looseObject({}) }) } },
  },
  {
    method: 'get',
    path: '/docs',
    summary: 'This document as a page',
    tag: 'operations',
    auth: 'none',
    responses: { 200: { description: 'HTML', mediaType: 'text/html' } },
  },
];

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const out = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  delete out.$schema;
  return out;
}

/** A named schema by reference, anything else inline. */
function schemaRef(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const name = Object.entries(NAMED[io]).find(([, s]) => s === schema)?.[0];
  return name ? { $ref: `#/components/schemas/${name}` } : jsonSchema(schema, io);
}

function parameters(op: Operation): JsonSchema[] {
  const params: JsonSchema[] = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string', minLength: 1, maxLength: 128 },
  }));
  if (op.query) {
    const q = jsonSchema(op.query, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, schema] of Object.entries(q.properties ?? {})) {
      params.push({ name, in: 'query', required: q.required?.includes(name) ?? false, schema });
    }
  }
  if (op.auth === 'bearer-or-query-key') {
    params.push({ name: 'key', in: 'query', required: false, description: 'API key, as Perspective clients send it', schema: { type: 'string' } });
  }
  return params;
}

function operation(op: Operation): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, r] of Object.entries(op.responses)) {
    const isProblem = Number(status) >= 400;
    const content = isProblem
      ? { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } }
      : r.schema
        ? { 'application/json': { schema: schemaRef(r.schema, 'output') } }
        : r.mediaType
          ? { [r.mediaType]: {} }
          : undefined;
    responses[status] = { description: r.description, ...(content && { content }) };
  }
  if (op.auth !== 'none') {
    responses['401'] = { description: 'missing or unknown key', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
  }
  responses['4XX'] = { description: 'any other client error', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
  return {
    summary: op.summary,
    tags: [op.tag],
    operationId: `${op.method}${op.path.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    ...(op.auth === 'none' ? { security: [] } : op.auth === 'bearer-or-query-key' ? { security: [{ bearer: [] }, { queryKey: [] }] } : {}),
    parameters: parameters(op),
    ...(op.body && { requestBody: { required: true, content: { 'application/json': { schema: schemaRef(op.body, 'input') } } } }),
    responses,
  };
}

export function openApiDocument(version: string, operations: readonly Operation[] = OPERATIONS): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of operations) (paths[op.path] ??= {})[op.method] = operation(op);
  const schemas: Record<string, JsonSchema> = {};
  for (const io of ['input', 'output'] as const) {
    for (const [name, schema] of Object.entries(NAMED[io])) schemas[name] = jsonSchema(schema, io);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Decorum',
      version,
      description: 'Self-hosted comment moderation: explainable verdicts, a review queue, and signed webhooks. Every error is application/problem+json (RFC 9457).',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    tags: [...new Set(operations.map((o) => o.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'an API key' },
        queryKey: { type: 'apiKey', in: 'query', name: 'key', description: 'an API key in the URL, for Perspective clients' },
      },
      schemas,
    },
  };
}
