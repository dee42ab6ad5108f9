import { z } from 'zod';
import { OpenAIModerationRequestSchema, OpenAIModerationResponseSchema } from '../compat/openai';
import { OpenAIErrorSchema, PerspectiveErrorSchema } from '../compat/errors';
import { AnalyzeRequestSchema, AnalyzeResponseSchema, SuggestScoreRequestSchema, SuggestScoreResponseSchema } from '../compat/perspective';
import { CommentInputSchema, CommentSchema } from '../domain/comment';
import { VerdictSchema } from '../engine/verdict';
import { ProblemSchema } from './problem';
import { LivenessSchema, ReadinessSchema } from './routes/health';
import { ModerateRequestSchema } from './routes/moderate';
import { PolicyGuideSchema } from './routes/policy';
import { SubmitAcceptedSchema, SubmitQuery } from './routes/comments';
import { SESSION_COOKIE } from '../auth/sessions';
import { CoralRequestSchema, CoralResponseSchema } from '../integrations/coral';
import { ApiKeySchema, CreatedApiKeySchema, type Scope } from '../store/api-keys';
import { CreatedModeratorSchema, ModeratorSchema } from '../store/moderators';
import { DeliverySchema } from '../webhooks/deliveries-store';
import { EndpointSchema } from '../webhooks/endpoints-store';
import { AuditPageQuerySchema, AuditPageSchema } from './routes/audit';
import { CommentIdParams, DecisionSchema } from './routes/decisions';
import { ApiKeyListQuery, ApiKeyListSchema, ApiKeyParams, CreateApiKeySchema } from './routes/keys';
import { CreateModeratorSchema, ModeratorListQuery, ModeratorListSchema, ModeratorParams, PatchModeratorSchema } from './routes/moderators';
import { ReviewCountsSchema, ReviewDecidersSchema, ReviewPageSchema, ReviewQuerySchema, ReviewStatsQuerySchema, ReviewStatsSchema } from './routes/review';
import { LoginResponseSchema, LoginSchema, SessionInfoSchema } from './routes/session';
import {
  CreatedEndpointSchema,
  CreateEndpointSchema,
  DeliveryListQuery,
  DeliveryPageSchema,
  DeliveryParams,
  EndpointListQuery,
  EndpointListSchema,
  EndpointParams,
  PatchEndpointSchema,
  PingAcceptedSchema,
  ResendAcceptedSchema,
} from './routes/webhooks';

/**
 * The OpenAPI 3.1 document, built from the same zod schemas the routes parse with, so the
 * document cannot drift from what the code accepts. OpenAPI 3.1 schemas are JSON Schema 2020-12,
 * which is what zod emits.
 */

/**
 * Who may call an operation. `key`: an API key as `Authorization: Bearer` (the admin key or a
 * moderator's `dk_` key) or the dashboard's session cookie; a state change signed in by cookie
 * must also carry X-CSRF-Token. `key-or-query`: the same, or the key as ?key= (Perspective
 * clients). `coral`: no key; Coral signs the body (X-Coral-Signature). `none`: open.
 */
type Auth = 'key' | 'key-or-query' | 'coral' | 'none';

interface Response {
  description: string;
  schema?: z.ZodType;
  /** Another media type than JSON, described in words (the /docs page). */
  mediaType?: string;
  /** Response headers worth knowing, by name: what each says. */
  headers?: Record<string, string>;
}

export interface Operation {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** OpenAPI path, with {param} for path parameters. */
  path: string;
  summary: string;
  tag: string;
  auth: Auth;
  /** The scope the principal needs (the admin scope admits to everything; src/api/auth.ts). */
  scope?: Scope;
  /** The route's own path-parameter schema, when it has one; otherwise a bounded string. */
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  responses: Record<number, Response>;
  /** A compatible endpoint answers its errors in its clients' shape instead of problem+json (src/compat/errors.ts). */
  errors?: 'OpenAIError' | 'PerspectiveError';
}

/** Schemas worth a name in components (what clients see again and again), by direction. */
const NAMED: Record<'input' | 'output', Record<string, z.ZodType>> = {
  input: { CommentInput: CommentInputSchema },
  output: {
    Problem: ProblemSchema,
    OpenAIError: OpenAIErrorSchema,
    PerspectiveError: PerspectiveErrorSchema,
    Comment: CommentSchema,
    Verdict: VerdictSchema,
    Moderator: ModeratorSchema,
    ApiKey: ApiKeySchema,
    WebhookEndpoint: EndpointSchema,
    WebhookDelivery: DeliverySchema,
  },
};

const SAFE = new Set(['get']);

/** Every list answers one envelope (src/api/page.ts). */
const PAGE = 'a page: `items`, and `nextCursor` to pass as ?cursor= for the next page (null on the last)';

/** IETF draft RateLimit fields, sent on an admitted submission (src/api/rate-limit.ts). */
const RATE_LIMIT_HEADERS = {
  'RateLimit-Limit': 'submissions allowed per window by the tightest limit (key, author or address)',
  'RateLimit-Remaining': 'submissions left in its window',
  'RateLimit-Reset': 'seconds until its window ends',
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
    auth: 'key',
    scope: 'comments:write',
    query: SubmitQuery,
    body: CommentInputSchema,
    responses: {
      200: { description: 'decided within ?wait=', schema: CommentSchema, headers: RATE_LIMIT_HEADERS },
      202: { description: 'accepted and queued; it will get a verdict', schema: SubmitAcceptedSchema, headers: RATE_LIMIT_HEADERS },
      409: { description: 'the id exists with different content' },
      422: { description: 'the body or query is invalid' },
      429: {
        description: 'a submission limit is reached: the problem\'s "limit" says which (key, author or ip); nothing was stored',
        headers: { 'Retry-After': 'seconds until the window frees up' },
      },
      503: {
        description: 'more comments are waiting for moderation than the workers decide within QUEUE_MAX_WAIT_MS at their measured rate (or QUEUE_MAX_WAITING in all), or the data store is unavailable; nothing was stored',
        headers: { 'Retry-After': 'seconds to wait before trying again' },
      },
    },
  },
  {
    method: 'get',
    path: '/v1/comments/{id}',
    summary: 'A comment, its status and, once decided, its verdict and history',
    tag: 'comments',
    auth: 'key',
    scope: 'comments:read',
    responses: { 200: { description: 'the comment', schema: CommentSchema }, 404: { description: 'no such comment' } },
  },
  {
    method: 'post',
    path: '/v1/moderate',
    summary: 'A verdict on the spot, stored nowhere',
    tag: 'moderation',
    auth: 'key',
    scope: 'comments:write',
    body: ModerateRequestSchema,
    responses: { 200: { description: 'the verdict', schema: VerdictSchema }, 422: { description: 'invalid body' } },
  },
  {
    method: 'get',
    path: '/v1/review/deciders',
    summary: "Who decides: each account's id (a verdict's decidedBy) and email; a key or account bound to a site sees that site's accounts",
    tag: 'review',
    auth: 'key',
    scope: 'comments:read',
    responses: { 200: { description: 'account id to email', schema: ReviewDecidersSchema } },
  },
  {
    method: 'get',
    path: '/v1/policy',
    summary: "The policy in force, for reading its verdicts: each rule id's description (`<prefix>/*` covers a family, `#<reading>` how a word was disguised) and, per category, what a score means when the category is not flagged",
    tag: 'moderation',
    auth: 'key',
    scope: 'comments:read',
    responses: { 200: { description: 'the guide to the policy', schema: PolicyGuideSchema } },
  },
  {
    method: 'post',
    path: '/v1/moderations',
    summary: "OpenAI-compatible moderation (docs/COMPATIBILITY.md has the category mapping)",
    tag: 'compatible',
    auth: 'key',
    scope: 'comments:write',
    body: OpenAIModerationRequestSchema,
    errors: 'OpenAIError',
    responses: {
      200: { description: 'one result per input', schema: OpenAIModerationResponseSchema },
      400: { description: "invalid body: OpenAI's error object names the field as `param` and says what is wrong in `message`" },
    },
  },
  {
    method: 'post',
    path: '/v1alpha1/comments:analyze',
    summary: 'Perspective-compatible scoring (the key may be sent as ?key=)',
    tag: 'compatible',
    auth: 'key-or-query',
    scope: 'comments:write',
    body: AnalyzeRequestSchema,
    errors: 'PerspectiveError',
    responses: {
      200: { description: 'scores per requested attribute', schema: AnalyzeResponseSchema },
      400: { description: 'INVALID_ARGUMENT: an invalid body (fieldViolations in details), an unsupported attribute, or a language Decorum does not cover (errorType LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE)' },
    },
  },
  {
    method: 'post',
    path: '/v1alpha1/comments:suggestscore',
    summary: "Perspective's feedback call: checked and acknowledged, nothing is learned",
    tag: 'compatible',
    auth: 'key-or-query',
    scope: 'comments:write',
    body: SuggestScoreRequestSchema,
    errors: 'PerspectiveError',
    responses: { 200: { description: 'acknowledged', schema: SuggestScoreResponseSchema }, 400: { description: 'INVALID_ARGUMENT: an invalid body' } },
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
    summary: 'The API reference: this document rendered by Swagger UI, served from here (its script and styles under /docs/ are static files, not API)',
    tag: 'operations',
    auth: 'none',
    responses: { 200: { description: 'HTML', mediaType: 'text/html' } },
  },
  // Sessions: the dashboard signs in with email and password and then rides on a cookie.
  {
    method: 'post',
    path: '/v1/session',
    summary: 'Sign in with email and password: sets the HttpOnly session cookie and returns the CSRF token',
    tag: 'session',
    auth: 'none',
    body: LoginSchema,
    responses: {
      201: { description: 'signed in', schema: LoginResponseSchema, headers: { 'Set-Cookie': `${SESSION_COOKIE}=<token>; HttpOnly; SameSite=Strict; Path=/` } },
      401: { description: 'wrong email or password' },
      422: { description: 'invalid body' },
      429: { description: 'sign-in locked after repeated failures for this email or address', headers: { 'Retry-After': 'seconds until the lock lifts' } },
    },
  },
  {
    method: 'get',
    path: '/v1/session',
    summary: 'Who is asking: key or session, role, the moderator, and (for a session) the CSRF token',
    tag: 'session',
    auth: 'key',
    responses: { 200: { description: 'the principal', schema: SessionInfoSchema } },
  },
  {
    method: 'delete',
    path: '/v1/session',
    summary: 'Sign out: ends the session and clears the cookie',
    tag: 'session',
    auth: 'key',
    responses: { 204: { description: 'signed out' }, 400: { description: 'the request is signed with an API key, not a session' } },
  },
  // Accounts.
  {
    method: 'post',
    path: '/v1/moderators',
    summary: "Create a moderator account, of the caller's site when the caller is bound to one; its personal API key is in this answer and nowhere else, ever",
    tag: 'moderators',
    auth: 'key',
    scope: 'admin',
    body: CreateModeratorSchema,
    responses: {
      201: { description: 'created', schema: CreatedModeratorSchema, headers: { Location: 'the account' } },
      403: { description: 'the caller is bound to another site than the one named' },
      409: { description: 'an account with this email exists' },
      422: { description: 'invalid body (a password shorter than 12 characters, say)' },
    },
  },
  {
    method: 'get',
    path: '/v1/moderators',
    summary: "The moderator accounts, oldest first (never a password hash or key); only the caller's site's when it is bound to one",
    tag: 'moderators',
    auth: 'key',
    scope: 'admin',
    query: ModeratorListQuery,
    responses: { 200: { description: PAGE, schema: ModeratorListSchema }, 422: { description: 'an invalid query or cursor' } },
  },
  {
    method: 'patch',
    path: '/v1/moderators/{id}',
    summary: "Change an account's role, disable or enable it, or set its password, from the next request on; disabling or a new password ends its sessions. Recorded in the audit log",
    tag: 'moderators',
    auth: 'key',
    scope: 'admin',
    params: ModeratorParams,
    body: PatchModeratorSchema,
    responses: {
      200: { description: 'the account as it is now', schema: ModeratorSchema },
      404: { description: "no such account (or another site's)" },
      409: { description: 'an account may not disable or demote itself' },
      422: { description: 'not an account id, or an invalid change' },
    },
  },
  {
    method: 'post',
    path: '/v1/moderators/{id}/rotate-key',
    summary: "Replace an account's personal API key: the old one is refused from the next request on; the new one is in this answer and nowhere else. Recorded in the audit log",
    tag: 'moderators',
    auth: 'key',
    scope: 'admin',
    params: ModeratorParams,
    responses: {
      200: { description: 'the account and its new key as `secret`, shown this once', schema: CreatedModeratorSchema },
      404: { description: "no such account (or another site's)" },
      422: { description: 'not an account id' },
    },
  },
  {
    method: 'delete',
    path: '/v1/moderators/{id}',
    summary: 'Delete an account: its key and sessions are refused from the next request on, and its email can be used again. Recorded in the audit log',
    tag: 'moderators',
    auth: 'key',
    scope: 'admin',
    params: ModeratorParams,
    responses: {
      204: { description: 'deleted' },
      404: { description: "no such account (or another site's)" },
      409: { description: 'an account may not delete itself' },
      422: { description: 'not an account id' },
    },
  },
  // Scoped API keys.
  {
    method: 'post',
    path: '/v1/keys',
    summary: "Create an API key with scopes (comments:write, comments:read, moderate, admin), bound to one site (the caller's, when the caller is bound to one); the key is in this answer and nowhere else, ever",
    tag: 'keys',
    auth: 'key',
    scope: 'admin',
    body: CreateApiKeySchema,
    responses: {
      201: { description: 'created; Redis keeps only its SHA-256', schema: CreatedApiKeySchema, headers: { Location: 'the key' } },
      403: { description: 'the caller is bound to another site' },
      422: { description: 'invalid body (an unknown scope, say)' },
    },
  },
  {
    method: 'get',
    path: '/v1/keys',
    summary: "The API keys, oldest first (never a key or its digest); only the caller's site's when it is bound to one",
    tag: 'keys',
    auth: 'key',
    scope: 'admin',
    query: ApiKeyListQuery,
    responses: { 200: { description: PAGE, schema: ApiKeyListSchema }, 422: { description: 'an invalid query or cursor' } },
  },
  {
    method: 'delete',
    path: '/v1/keys/{id}',
    summary: 'Revoke an API key: it is refused (401) from the next request on',
    tag: 'keys',
    auth: 'key',
    scope: 'admin',
    params: ApiKeyParams,
    responses: { 204: { description: 'revoked' }, 404: { description: "no such key (or another site's)" }, 422: { description: 'not a key id' } },
  },
  // Review.
  {
    method: 'get',
    path: '/v1/review',
    summary: 'The review queue (held comments by default) and other listings, filtered, a page at a time',
    tag: 'review',
    auth: 'key',
    scope: 'comments:read',
    query: ReviewQuerySchema,
    responses: { 200: { description: PAGE, schema: ReviewPageSchema }, 422: { description: 'an invalid query or cursor' } },
  },
  {
    method: 'get',
    path: '/v1/review/counts',
    summary: 'How many comments have each status now',
    tag: 'review',
    auth: 'key',
    scope: 'comments:read',
    responses: { 200: { description: 'counts by status', schema: ReviewCountsSchema } },
  },
  {
    method: 'get',
    path: '/v1/review/stats',
    summary: 'Comments per UTC day of submission: by status, and flagged per category',
    tag: 'review',
    auth: 'key',
    scope: 'comments:read',
    query: ReviewStatsQuerySchema,
    responses: { 200: { description: 'one number per day in each series', schema: ReviewStatsSchema }, 422: { description: 'an invalid query' } },
  },
  {
    method: 'get',
    path: '/v1/review/stream',
    summary: 'Server-sent events: one `decision` event per decision, automatic or a moderator\'s, as it happens',
    tag: 'review',
    auth: 'key',
    scope: 'comments:read',
    responses: { 200: { description: 'an event stream that stays open (retry hint first, keep-alive comments every 20 s)', mediaType: 'text/event-stream' } },
  },
  {
    method: 'post',
    path: '/v1/comments/{id}/decision',
    summary: "A moderator's decision: replaces the verdict, keeps the one it replaces in the history, writes the audit entry",
    tag: 'review',
    auth: 'key',
    scope: 'moderate',
    params: CommentIdParams,
    body: DecisionSchema,
    responses: {
      200: { description: 'the comment as decided', schema: CommentSchema },
      404: { description: 'no such comment' },
      409: { description: 'still queued for automatic moderation: decide it once it has a verdict' },
      422: { description: 'invalid body' },
    },
  },
  // Audit.
  {
    method: 'get',
    path: '/v1/audit',
    summary: 'The audit log of moderator decisions, newest first, a page at a time',
    tag: 'audit',
    auth: 'key',
    scope: 'moderate',
    query: AuditPageQuerySchema,
    responses: { 200: { description: PAGE, schema: AuditPageSchema }, 422: { description: 'an invalid query or cursor' } },
  },
  {
    method: 'get',
    path: '/v1/audit/export.csv',
    summary: 'The whole audit log as CSV, oldest first (cells that a spreadsheet would run as formulas are quoted as text)',
    tag: 'audit',
    auth: 'key',
    scope: 'moderate',
    responses: {
      200: {
        description: 'CSV with a header row: id, at, moderatorId, moderatorEmail, commentId, from, to, reason, action, subject. A failure mid-way cuts the connection rather than end a partial file',
        mediaType: 'text/csv',
        headers: { 'Content-Disposition': 'attachment; filename="decorum-audit-<date>.csv"' },
      },
    },
  },
  // Webhooks (docs/WEBHOOKS.md).
  {
    method: 'post',
    path: '/v1/webhooks',
    summary: "Register a webhook endpoint, for one site's events or (unbound admins only) every site's; its signing secret is in this answer only",
    tag: 'webhooks',
    auth: 'key',
    scope: 'admin',
    body: CreateEndpointSchema,
    responses: {
      201: { description: 'created', schema: CreatedEndpointSchema, headers: { Location: 'the endpoint' } },
      403: { description: 'the caller is bound to another site than the one named' },
      415: { description: 'the body is not JSON' },
      422: { description: 'invalid body, or a private address without WEBHOOK_ALLOW_PRIVATE' },
    },
  },
  {
    method: 'get',
    path: '/v1/webhooks',
    summary: "The webhook endpoints (never their secrets); only the caller's site's when it is bound to one (another site's endpoint is 404 everywhere)",
    tag: 'webhooks',
    auth: 'key',
    scope: 'admin',
    query: EndpointListQuery,
    responses: { 200: { description: PAGE, schema: EndpointListSchema }, 422: { description: 'an invalid query or cursor' } },
  },
  {
    method: 'get',
    path: '/v1/webhooks/{id}',
    summary: 'A webhook endpoint',
    tag: 'webhooks',
    auth: 'key',
    scope: 'admin',
    params: EndpointParams,
    responses: { 200: { description: 'the endpoint', schema: EndpointSchema }, 404: { description: 'no such endpoint' }, 422: { description: 'not an endpoint id' } },
  },
  {
    method: 'patch',
    path: '/v1/webhooks/{id}',
    summary: 'Change a webhook endpoint: url, events, description (null clears it), enabled',
    tag: 'webhooks',
    auth: 'key',
    scope: 'admin',
    params: EndpointParams,
    body: PatchEndpointSchema,
    responses: {
      200: { description: 'the endpoint as changed', schema: EndpointSchema },
      404: { description: 'no such endpoint' },
      415: { description: 'the body is not JSON' },
      422: { description: 'invalid body or id' },
    },
  },
  {
    method: 'delete',
    path: '/v1/webhooks/{id}',
    summary: 'Delete a webhook endpoint',
    tag: 'webhooks',
    auth: 'key',
    scope: 'admin',
    params: EndpointParams,
    responses: { 204: { description: 'deleted' }, 404: { description: 'no such endpoint' }, 422: { description: 'not an endpoint id' } },
  },
  {
    method: 'post',
    path: '/v1/webhooks/{id}/ping',
    summary: 'Send the endpoint a `ping` delivery (no body)',
    tag: 'webhooks',
    auth: 'key',
    scope: 'admin',
    params: EndpointParams,
    responses: {
      202: { description: 'queued; follow the delivery in the log', schema: PingAcceptedSchema, headers: { Location: 'the delivery' } },
      404: { description: 'no such endpoint' },
      409: { description: 'the endpoint is disabled' },
    },
  },
  {
    method: 'post',
    path: '/v1/webhooks/{id}/rotate-secret',
    summary: 'A new signing secret (no body); the previous one keeps signing alongside it for 24 hours',
    tag: 'webhooks',
    auth: 'key',
    scope: 'admin',
    params: EndpointParams,
    responses: { 200: { description: 'the endpoint and its new signing secret as `secret`, shown this once', schema: CreatedEndpointSchema }, 404: { description: 'no such endpoint' } },
  },
  {
    method: 'get',
    path: '/v1/webhooks/{id}/deliveries',
    summary: "The endpoint's delivery log, newest first",
    tag: 'webhooks',
    auth: 'key',
    scope: 'admin',
    params: EndpointParams,
    query: DeliveryListQuery,
    responses: { 200: { description: PAGE, schema: DeliveryPageSchema }, 404: { description: 'no such endpoint' }, 422: { description: 'an invalid query or cursor' } },
  },
  {
    method: 'get',
    path: '/v1/webhooks/{id}/deliveries/{deliveryId}',
    summary: 'A delivery: status, attempts, the last answer, the payload',
    tag: 'webhooks',
    auth: 'key',
    scope: 'admin',
    params: DeliveryParams,
    responses: { 200: { description: 'the delivery', schema: DeliverySchema }, 404: { description: 'no such delivery for this endpoint' } },
  },
  {
    method: 'post',
    path: '/v1/webhooks/{id}/deliveries/{deliveryId}/resend',
    summary: 'Send a delivery again (no body): same webhook-id and body, a fresh retry schedule',
    tag: 'webhooks',
    auth: 'key',
    scope: 'admin',
    params: DeliveryParams,
    responses: {
      202: { description: 'queued', schema: ResendAcceptedSchema },
      404: { description: 'no such endpoint or delivery' },
      409: { description: 'the endpoint is disabled, or the delivery is still scheduled' },
    },
  },
  // Integrations.
  {
    method: 'post',
    path: '/v1/integrations/coral',
    summary: "Coral Talk's external moderation phase: a verdict in Coral's terms, stored nowhere",
    tag: 'integrations',
    auth: 'coral',
    body: CoralRequestSchema,
    responses: {
      200: { description: "Coral's ExternalModerationResponse", schema: CoralResponseSchema },
      400: { description: 'the body is not JSON' },
      401: { description: 'missing or invalid X-Coral-Signature' },
      404: { description: 'the integration is off (CORAL_SIGNING_SECRET is not set)' },
      415: { description: 'the body is not application/json' },
      422: { description: "the body is not Coral's request" },
    },
  },
  // The dashboard is a browser app on top of this API; only its page is listed here.
  {
    method: 'get',
    path: '/dashboard',
    summary: "The moderators' dashboard page (signs in through POST /v1/session; its scripts and styles under /dashboard/ are static files, not API)",
    tag: 'dashboard',
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

const problemContent = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
const errorContent = (op: Operation) => (op.errors ? { 'application/json': { schema: { $ref: `#/components/schemas/${op.errors}` } } } : problemContent);

function parameters(op: Operation): JsonSchema[] {
  const fromRoute = op.params ? ((jsonSchema(op.params, 'input') as { properties?: Record<string, JsonSchema> }).properties ?? {}) : {};
  const params: JsonSchema[] = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: fromRoute[m[1]] ?? { type: 'string', minLength: 1, maxLength: 128 },
  }));
  if (op.query) {
    const q = jsonSchema(op.query, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, schema] of Object.entries(q.properties ?? {})) {
      params.push({ name, in: 'query', required: q.required?.includes(name) ?? false, schema });
    }
  }
  if (op.auth === 'key-or-query') {
    params.push({ name: 'key', in: 'query', required: false, description: 'API key, as Perspective clients send it', schema: { type: 'string' } });
  }
  if (op.auth === 'coral') {
    params.push({
      name: 'X-Coral-Signature',
      in: 'header',
      required: true,
      description: 'sha256=<hex HMAC-SHA256 of the raw body keyed with CORAL_SIGNING_SECRET>, one per active secret, comma-separated (as Coral sends it)',
      schema: { type: 'string' },
    });
  }
  if (op.auth !== 'none' && op.auth !== 'coral' && !SAFE.has(op.method)) {
    params.push({
      name: 'X-CSRF-Token',
      in: 'header',
      required: false,
      description: 'required when the request is authenticated by the session cookie: the csrfToken from POST or GET /v1/session (403 without it); not needed with a bearer key',
      schema: { type: 'string' },
    });
  }
  return params;
}

export const operationId = (op: Pick<Operation, 'method' | 'path'>) =>
  `${op.method}${op.path.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''))}`;

const SECURITY: Record<Auth, JsonSchema[] | undefined> = {
  key: undefined, // the document's default
  'key-or-query': [{ bearer: [] }, { session: [] }, { queryKey: [] }],
  coral: [],
  none: [],
};

/** The summary with the scope it needs, e.g. "… (admin)". */
const summaryOf = (op: Operation) => (op.scope ? `${op.summary} (${op.scope})` : op.summary);

function operation(op: Operation): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, r] of Object.entries(op.responses)) {
    const isProblem = Number(status) >= 400;
    const content = isProblem
      ? errorContent(op)
      : r.schema
        ? { 'application/json': { schema: schemaRef(r.schema, 'output') } }
        : r.mediaType
          ? { [r.mediaType]: {} }
          : undefined;
    const headers = r.headers && Object.fromEntries(Object.entries(r.headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }]));
    responses[status] = { description: r.description, ...(headers && { headers }), ...(content && { content }) };
  }
  if ((op.auth === 'key' || op.auth === 'key-or-query') && !responses['401']) {
    responses['401'] = { description: 'missing, unknown or expired key or session', content: errorContent(op) };
  }
  if ((op.auth === 'key' || op.auth === 'key-or-query') && !responses['403']) {
    const why = [
      ...(op.scope ? [`the key or session lacks the ${op.scope} scope${op.scope === 'admin' ? '' : ' (or admin)'}`] : []),
      ...(!SAFE.has(op.method) ? ['signed in by cookie without the right X-CSRF-Token'] : []),
    ];
    if (why.length) responses['403'] = { description: why.join('; or '), content: errorContent(op) };
  }
  responses['4XX'] = { description: 'any other client error', content: errorContent(op) };
  const security = SECURITY[op.auth];
  return {
    summary: summaryOf(op),
    tags: [op.tag],
    operationId: operationId(op),
    ...(security && { security }),
    parameters: parameters(op),
    ...(op.body && { requestBody: { required: true, content: { 'application/json': { schema: schemaRef(op.body, 'input') } } } }),
    responses,
  };
}

export function openApiDocument(version: string, operations: readonly Operation[] = OPERATIONS): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const ids = new Set<string>();
  for (const op of operations) {
    const o = operation(op);
    // Ids are built from method and path, so two paths that differ only in punctuation would collide.
    if (ids.has(o.operationId as string)) throw new Error(`two operations have the operationId ${String(o.operationId)}`);
    ids.add(o.operationId as string);
    if (paths[op.path]?.[op.method]) throw new Error(`${op.method.toUpperCase()} ${op.path} is listed twice`);
    (paths[op.path] ??= {})[op.method] = o;
  }
  const schemas: Record<string, JsonSchema> = {};
  for (const io of ['input', 'output'] as const) {
    for (const [name, schema] of Object.entries(NAMED[io])) schemas[name] = jsonSchema(schema, io);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Decorum',
      version,
      description:
        'Self-hosted comment moderation: explainable verdicts, a review queue, and signed webhooks. Every error is application/problem+json (RFC 9457), except on the compatible endpoints, which answer in their clients\' error shape (OpenAI\'s at /v1/moderations, Google\'s at /v1alpha1). ' +
        'Every list answers `{ items, nextCursor }`: pass nextCursor back as ?cursor= for the next page (null on the last), and ?limit= for its size. ' +
        'Whatever is created or rotated with a secret (an API key, a moderator\'s key, a webhook signing secret) answers the resource as GET shows it plus `secret`, in that answer only. ' +
        'Scores are between 0 and 1, rounded to 4 decimal places everywhere (answers, stored verdicts, webhooks); a policy\'s lines compare the unrounded value. ' +
        'Authenticate with an API key (`Authorization: Bearer <key>`: the admin key, a moderator\'s `dk_` key, or a scoped `dk_` key from POST /v1/keys) or, in a browser, the session cookie from POST /v1/session; ' +
        'a state-changing request authenticated by the cookie must also send the session\'s CSRF token as X-CSRF-Token. ' +
        'A scope in parentheses after a summary is the one the key or session needs; the admin scope admits to everything. Admins (and the admin key) have every scope, moderators comments:read and moderate, a scoped key the scopes it was created with. ' +
        'A scoped key is bound to one site: another site\'s comment is a 404 to it, the review listing shows its site only, and what spans every site (counts, stats, the stream, the audit log) is a 403. ' +
        'Of the dashboard, only its page (GET /dashboard) is listed: its scripts and styles are static files, and it talks to this API like any client.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }, { session: [] }],
    tags: [...new Set(operations.map((o) => o.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: "an API key: the admin key, or a moderator's dk_ key" },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_COOKIE,
          description: 'the dashboard session from POST /v1/session; state-changing requests must also send X-CSRF-Token',
        },
        queryKey: { type: 'apiKey', in: 'query', name: 'key', description: 'an API key in the URL, for Perspective clients' },
      },
      schemas,
    },
  };
}
