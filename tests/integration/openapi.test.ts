import Ajv2020 from 'ajv/dist/2020';
import { coralSignature } from '../../src/integrations/coral';
import { type Receiver, startReceiver } from '../helpers/receiver';
import { ADMIN_KEY, call, eventually, startService, type TestService } from '../helpers/service';

const CORAL_SECRET = 'empsec_0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9';
const PASSWORD = 'a perfectly long password';

let svc: TestService;
let receiver: Receiver;
let doc: any;
const ajv = new Ajv2020({ strict: false, allErrors: true });

/** What the cases need that only exists once the service runs: accounts, a session, a held comment, webhook endpoints, a delivery. */
const fx = {
  modKey: '',
  cookie: '',
  csrf: '',
  /** A second session, for signing out. */
  cookie2: '',
  csrf2: '',
  endpointId: '',
  disabledEndpointId: '',
  deliveryId: '',
  /** A scoped API key, revoked in a case. */
  apiKeyId: '',
  /** An admin key bound to site-a. */
  siteAdminKey: '',
  /** An account changed, rotated and deleted in the cases. */
  spareModId: '',
  /** An admin account that tries to lock itself out. */
  selfAdminId: '',
  selfAdminKey: '',
};

async function signIn(email: string) {
  const res = await fetch(`${svc.url}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { csrfToken: string };
  return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0], csrf: body.csrfToken };
}

beforeAll(async () => {
  svc = await startService('openapi', 'all', {
    WEBHOOK_ALLOW_PRIVATE: 'true',
    WEBHOOK_RETRY_SCHEDULE: '40ms,80ms',
    WEBHOOK_TIMEOUT_MS: '1000',
    CORAL_SIGNING_SECRET: CORAL_SECRET,
  });
  receiver = await startReceiver();
  const r = await call(svc.url, '/openapi.json', { key: null });
  expect(r.status).toBe(200);
  doc = r.body;
  ajv.addSchema({ $id: 'decorum', components: doc.components });

  // Wait for the worker to be there, so ?wait= answers with the decided comment.
  await eventually(async () => ((await call(svc.url, '/readyz', { key: null })).status === 200 ? true : undefined));
  const mod = await call(svc.url, '/v1/moderators', { body: { email: 'oa-mod@example.org', password: PASSWORD } });
  expect(mod.status).toBe(201);
  fx.modKey = mod.body.secret;
  ({ cookie: fx.cookie, csrf: fx.csrf } = await signIn('oa-mod@example.org'));
  ({ cookie: fx.cookie2, csrf: fx.csrf2 } = await signIn('oa-mod@example.org'));

  // Held by the default policy (tests/integration/review.test.ts): one to decide in a case, one decided here so the audit log has an entry.
  for (const id of ['oa-held-1', 'oa-held-2']) {
    const c = await call(svc.url, '/v1/comments', { body: { id, articleId: 'helsinki-summit', author: { id: 'u-2' }, text: 'What a moron.' } });
    expect(c.status).toBe(202);
  }
  // Polled rather than ?wait=, so a slow worker on a busy machine is waited for, not a failure.
  for (const id of ['oa-held-1', 'oa-held-2']) {
    const status = await eventually(async () => {
      const s = (await call(svc.url, `/v1/comments/${id}`)).body.status;
      return s === 'queued' ? undefined : s;
    }, 20_000);
    expect(status).toBe('held');
  }
  expect((await call(svc.url, '/v1/comments/oa-held-2/decision', { key: fx.modKey, body: { decision: 'rejected', reason: 'insult' } })).status).toBe(200);

  const siteAdmin = await call(svc.url, '/v1/keys', { body: { name: 'site admin', scopes: ['admin'], site: 'site-a' } });
  fx.siteAdminKey = siteAdmin.body.secret;
  fx.spareModId = (await call(svc.url, '/v1/moderators', { body: { email: 'oa-spare@example.org', password: PASSWORD } })).body.id;
  const self = await call(svc.url, '/v1/moderators', { body: { email: 'oa-self@example.org', password: PASSWORD, role: 'admin' } });
  fx.selfAdminId = self.body.id;
  fx.selfAdminKey = self.body.secret;

  const key = await call(svc.url, '/v1/keys', { body: { name: 'to revoke', scopes: ['comments:read'], site: 'site-b' } });
  expect(key.status).toBe(201);
  fx.apiKeyId = key.body.id;

  const ep = await call(svc.url, '/v1/webhooks', { body: { url: receiver.url, events: ['comment.rejected'] } });
  expect(ep.status).toBe(201);
  fx.endpointId = ep.body.id;
  const ping = await call(svc.url, `/v1/webhooks/${fx.endpointId}/ping`, { method: 'POST' });
  expect(ping.status).toBe(202);
  fx.deliveryId = ping.body.deliveryId;
  // Settled, so a re-send of it is allowed (one still scheduled is refused with 409).
  await eventually(async () => {
    const d = await call(svc.url, `/v1/webhooks/${fx.endpointId}/deliveries/${fx.deliveryId}`);
    return d.body.status === 'succeeded' ? true : undefined;
  }, 20_000);
  const off = await call(svc.url, '/v1/webhooks', { body: { url: receiver.url, events: ['comment.held'] } });
  fx.disabledEndpointId = off.body.id;
  expect((await call(svc.url, `/v1/webhooks/${fx.disabledEndpointId}`, { method: 'PATCH', body: { enabled: false } })).status).toBe(200);
}, 60_000);
afterAll(async () => {
  await receiver?.close();
  await svc?.stop();
});

/** The schema the document gives for this answer, with component references resolved by ajv. */
function validatorFor(path: string, method: string, status: number, contentType: string) {
  const responses = doc.paths[path]?.[method]?.responses;
  if (!responses) throw new Error(`${method.toUpperCase()} ${path} is not documented`);
  const r = responses[String(status)] ?? responses[`${String(status)[0]}XX`];
  if (!r) throw new Error(`${method.toUpperCase()} ${path} does not document status ${status}`);
  const media = Object.keys(r.content ?? {}).find((m) => contentType.startsWith(m));
  if (!media) throw new Error(`${method.toUpperCase()} ${path} ${status}: ${contentType} is not documented`);
  const schema = JSON.parse(JSON.stringify(r.content[media].schema ?? {}).replaceAll('"#/components/', '"decorum#/components/'));
  return ajv.compile(schema);
}

type Lazy<T> = T | (() => T);
const value = <T>(v: Lazy<T>): T => (typeof v === 'function' ? (v as () => T)() : v);

interface Case {
  operationId: string;
  /** The request path; a function when it needs a fixture (read when the case runs). */
  path: Lazy<string>;
  docPath: string;
  method: string;
  body?: unknown;
  /** A body sent as it is, with its own content-type in headers. */
  rawBody?: Lazy<string>;
  headers?: Lazy<Record<string, string>>;
  /** undefined: the admin key; null: no Authorization header. */
  key?: Lazy<string | null>;
  expect: number;
  /** An answer that stays open (server-sent events): read the first bytes, then hang up. */
  stream?: boolean;
}

const comment = { id: 'oa-1', articleId: 'helsinki-summit', author: { id: 'u-1' }, text: 'You are an idiot.' };
const modKey = () => fx.modKey;
const asSession = () => ({ cookie: fx.cookie, 'x-csrf-token': fx.csrf });
const ep = (rest = '') => () => `/v1/webhooks/${fx.endpointId}${rest}`;
const UNKNOWN_EP = 'ep_00000000000000000000';
const coralBody = JSON.stringify(
  { action: 'NEW', comment: { body: '<p>You are an <b>idiot</b>.</p>', parentID: null }, author: { id: 'c-1' }, story: { id: 's-1' }, tenantID: 't-1' },
  null,
  2,
);
const coralHeaders = (signature: string) => ({ 'content-type': 'application/json', 'x-coral-signature': signature });

/** At least one real request per documented operation, good and bad. */
const CASES: Case[] = [
  { operationId: 'getHealthz', path: '/healthz', docPath: '/healthz', method: 'get', key: null, expect: 200 },
  { operationId: 'getReadyz', path: '/readyz', docPath: '/readyz', method: 'get', key: null, expect: 200 },
  { operationId: 'postV1Comments', path: '/v1/comments', docPath: '/v1/comments', method: 'post', body: comment, expect: 202 },
  { operationId: 'postV1Comments', path: '/v1/comments?wait=5000', docPath: '/v1/comments', method: 'post', body: { ...comment, id: 'oa-2' }, expect: 200 },
  { operationId: 'postV1Comments', path: '/v1/comments', docPath: '/v1/comments', method: 'post', body: { ...comment, text: '' }, expect: 422 },
  { operationId: 'postV1Comments', path: '/v1/comments', docPath: '/v1/comments', method: 'post', body: comment, key: 'wrong', expect: 401 },
  { operationId: 'getV1CommentsId', path: '/v1/comments/oa-2', docPath: '/v1/comments/{id}', method: 'get', expect: 200 },
  { operationId: 'getV1CommentsId', path: '/v1/comments/none', docPath: '/v1/comments/{id}', method: 'get', expect: 404 },
  { operationId: 'postV1Moderate', path: '/v1/moderate', docPath: '/v1/moderate', method: 'post', body: { text: 'I will kill you.' }, expect: 200 },
  { operationId: 'postV1Moderations', path: '/v1/moderations', docPath: '/v1/moderations', method: 'post', body: { input: ['a', 'You idiot'] }, expect: 200 },
  { operationId: 'postV1Moderations', path: '/v1/moderations', docPath: '/v1/moderations', method: 'post', body: { input: 'a' }, key: modKey, expect: 403 },
  { operationId: 'postV1Moderations', path: '/v1/moderations', docPath: '/v1/moderations', method: 'post', body: { input: [] }, expect: 400 },
  { operationId: 'postV1alpha1CommentsSuggestscore', path: '/v1alpha1/comments:suggestscore', docPath: '/v1alpha1/comments:suggestscore', method: 'post', body: { comment: {} }, expect: 400 },
  {
    operationId: 'postV1alpha1CommentsAnalyze',
    path: `/v1alpha1/comments:analyze?key=${ADMIN_KEY}`,
    docPath: '/v1alpha1/comments:analyze',
    method: 'post',
    body: { comment: { text: 'You moron' }, requestedAttributes: { TOXICITY: {}, INSULT: {} }, spanAnnotations: true },
    key: null,
    expect: 200,
  },
  {
    operationId: 'postV1alpha1CommentsAnalyze',
    path: '/v1alpha1/comments:analyze',
    docPath: '/v1alpha1/comments:analyze',
    method: 'post',
    body: { comment: { text: 'x' }, requestedAttributes: { TOXICITY: {} }, languages: ['es'] },
    expect: 400,
  },
  {
    operationId: 'postV1alpha1CommentsSuggestscore',
    path: '/v1alpha1/comments:suggestscore',
    docPath: '/v1alpha1/comments:suggestscore',
    method: 'post',
    body: { comment: { text: 'x' }, attributeScores: { TOXICITY: { summaryScore: { value: 0 } } } },
    expect: 200,
  },
  { operationId: 'getMetrics', path: '/metrics', docPath: '/metrics', method: 'get', key: null, expect: 200 },
  { operationId: 'getOpenapiJson', path: '/openapi.json', docPath: '/openapi.json', method: 'get', key: null, expect: 200 },
  { operationId: 'getDocs', path: '/docs', docPath: '/docs', method: 'get', key: null, expect: 200 },

  // Sessions.
  { operationId: 'postV1Session', path: '/v1/session', docPath: '/v1/session', method: 'post', body: { email: 'oa-mod@example.org', password: PASSWORD }, key: null, expect: 201 },
  { operationId: 'postV1Session', path: '/v1/session', docPath: '/v1/session', method: 'post', body: { email: 'oa-mod@example.org', password: 'not the password' }, key: null, expect: 401 },
  { operationId: 'postV1Session', path: '/v1/session', docPath: '/v1/session', method: 'post', body: { email: 'oa-mod@example.org' }, key: null, expect: 422 },
  { operationId: 'getV1Session', path: '/v1/session', docPath: '/v1/session', method: 'get', key: null, headers: () => ({ cookie: fx.cookie }), expect: 200 },
  { operationId: 'getV1Session', path: '/v1/session', docPath: '/v1/session', method: 'get', expect: 200 },
  { operationId: 'getV1Session', path: '/v1/session', docPath: '/v1/session', method: 'get', key: null, expect: 401 },
  { operationId: 'deleteV1Session', path: '/v1/session', docPath: '/v1/session', method: 'delete', key: null, headers: () => ({ cookie: fx.cookie2 }), expect: 403 },
  { operationId: 'deleteV1Session', path: '/v1/session', docPath: '/v1/session', method: 'delete', key: null, headers: () => ({ cookie: fx.cookie2, 'x-csrf-token': fx.csrf2 }), expect: 204 },
  { operationId: 'deleteV1Session', path: '/v1/session', docPath: '/v1/session', method: 'delete', expect: 400 },

  // Accounts.
  { operationId: 'postV1Moderators', path: '/v1/moderators', docPath: '/v1/moderators', method: 'post', body: { email: 'oa-admin@example.org', password: PASSWORD, role: 'admin' }, expect: 201 },
  { operationId: 'postV1Moderators', path: '/v1/moderators', docPath: '/v1/moderators', method: 'post', body: { email: 'oa-mod@example.org', password: PASSWORD }, expect: 409 },
  { operationId: 'postV1Moderators', path: '/v1/moderators', docPath: '/v1/moderators', method: 'post', body: { email: 'short@example.org', password: 'short' }, expect: 422 },
  { operationId: 'postV1Moderators', path: '/v1/moderators', docPath: '/v1/moderators', method: 'post', body: { email: 'x@example.org', password: PASSWORD }, key: modKey, expect: 403 },
  { operationId: 'postV1Moderators', path: '/v1/moderators', docPath: '/v1/moderators', method: 'post', body: { email: 'oa-b@example.org', password: PASSWORD, site: 'site-b' }, key: () => fx.siteAdminKey, expect: 403 },
  { operationId: 'getV1Moderators', path: '/v1/moderators', docPath: '/v1/moderators', method: 'get', expect: 200 },
  { operationId: 'patchV1ModeratorsId', path: () => `/v1/moderators/${fx.spareModId}`, docPath: '/v1/moderators/{id}', method: 'patch', body: { role: 'admin', disabled: true }, expect: 200 },
  { operationId: 'patchV1ModeratorsId', path: () => `/v1/moderators/${fx.spareModId}`, docPath: '/v1/moderators/{id}', method: 'patch', body: { password: 'short' }, expect: 422 },
  { operationId: 'patchV1ModeratorsId', path: '/v1/moderators/mod_AAAAAAAAAAAA', docPath: '/v1/moderators/{id}', method: 'patch', body: { disabled: true }, expect: 404 },
  { operationId: 'patchV1ModeratorsId', path: () => `/v1/moderators/${fx.selfAdminId}`, docPath: '/v1/moderators/{id}', method: 'patch', body: { disabled: true }, key: () => fx.selfAdminKey, expect: 409 },
  { operationId: 'postV1ModeratorsIdRotateKey', path: () => `/v1/moderators/${fx.spareModId}/rotate-key`, docPath: '/v1/moderators/{id}/rotate-key', method: 'post', expect: 200 },
  { operationId: 'postV1ModeratorsIdRotateKey', path: '/v1/moderators/mod_AAAAAAAAAAAA/rotate-key', docPath: '/v1/moderators/{id}/rotate-key', method: 'post', expect: 404 },
  { operationId: 'postV1ModeratorsIdRotateKey', path: '/v1/moderators/x/rotate-key', docPath: '/v1/moderators/{id}/rotate-key', method: 'post', expect: 422 },
  { operationId: 'deleteV1ModeratorsId', path: () => `/v1/moderators/${fx.selfAdminId}`, docPath: '/v1/moderators/{id}', method: 'delete', key: () => fx.selfAdminKey, expect: 409 },
  { operationId: 'deleteV1ModeratorsId', path: () => `/v1/moderators/${fx.spareModId}`, docPath: '/v1/moderators/{id}', method: 'delete', expect: 204 },
  { operationId: 'deleteV1ModeratorsId', path: () => `/v1/moderators/${fx.spareModId}`, docPath: '/v1/moderators/{id}', method: 'delete', expect: 404 },
  { operationId: 'deleteV1ModeratorsId', path: '/v1/moderators/x', docPath: '/v1/moderators/{id}', method: 'delete', expect: 422 },

  // Scoped API keys.
  { operationId: 'postV1Keys', path: '/v1/keys', docPath: '/v1/keys', method: 'post', body: { name: 'cms', scopes: ['comments:write'], site: 'site-a' }, expect: 201 },
  { operationId: 'postV1Keys', path: '/v1/keys', docPath: '/v1/keys', method: 'post', body: { name: 'cms', scopes: ['everything'], site: 'site-a' }, expect: 422 },
  { operationId: 'postV1Keys', path: '/v1/keys', docPath: '/v1/keys', method: 'post', body: { name: 'cms', scopes: ['comments:write'], site: 'site-a' }, key: modKey, expect: 403 },
  { operationId: 'postV1Keys', path: '/v1/keys', docPath: '/v1/keys', method: 'post', body: { name: 'cms', scopes: ['comments:write'], site: 'site-b' }, key: () => fx.siteAdminKey, expect: 403 },
  { operationId: 'getV1Keys', path: '/v1/keys', docPath: '/v1/keys', method: 'get', expect: 200 },
  { operationId: 'deleteV1KeysId', path: () => `/v1/keys/${fx.apiKeyId}`, docPath: '/v1/keys/{id}', method: 'delete', expect: 204 },
  { operationId: 'deleteV1KeysId', path: () => `/v1/keys/${fx.apiKeyId}`, docPath: '/v1/keys/{id}', method: 'delete', expect: 404 },
  { operationId: 'deleteV1KeysId', path: '/v1/keys/nope', docPath: '/v1/keys/{id}', method: 'delete', expect: 422 },

  // Review.
  { operationId: 'getV1Review', path: '/v1/review', docPath: '/v1/review', method: 'get', key: modKey, expect: 200 },
  { operationId: 'getV1Review', path: '/v1/review?status=all&order=severity&limit=1', docPath: '/v1/review', method: 'get', key: null, headers: () => ({ cookie: fx.cookie }), expect: 200 },
  { operationId: 'getV1Review', path: '/v1/review?cursor=not-a-cursor', docPath: '/v1/review', method: 'get', key: modKey, expect: 422 },
  { operationId: 'getV1ReviewDeciders', path: '/v1/review/deciders', docPath: '/v1/review/deciders', method: 'get', key: modKey, expect: 200 },
  // The policy's guide.
  { operationId: 'getV1Policy', path: '/v1/policy', docPath: '/v1/policy', method: 'get', key: modKey, expect: 200 },
  { operationId: 'getV1Policy', path: '/v1/policy', docPath: '/v1/policy', method: 'get', key: null, expect: 401 },
  { operationId: 'getV1ReviewCounts', path: '/v1/review/counts', docPath: '/v1/review/counts', method: 'get', key: modKey, expect: 200 },
  { operationId: 'getV1ReviewStats', path: '/v1/review/stats?days=3', docPath: '/v1/review/stats', method: 'get', key: modKey, expect: 200 },
  { operationId: 'getV1ReviewStats', path: '/v1/review/stats?days=0', docPath: '/v1/review/stats', method: 'get', key: modKey, expect: 422 },
  { operationId: 'getV1ReviewStream', path: '/v1/review/stream', docPath: '/v1/review/stream', method: 'get', key: modKey, stream: true, expect: 200 },
  { operationId: 'getV1ReviewStream', path: '/v1/review/stream', docPath: '/v1/review/stream', method: 'get', key: null, expect: 401 },
  {
    operationId: 'postV1CommentsIdDecision',
    path: '/v1/comments/oa-held-1/decision',
    docPath: '/v1/comments/{id}/decision',
    method: 'post',
    body: { decision: 'approved', reason: 'irony' },
    key: null,
    headers: asSession,
    expect: 200,
  },
  { operationId: 'postV1CommentsIdDecision', path: '/v1/comments/oa-held-1/decision', docPath: '/v1/comments/{id}/decision', method: 'post', body: { decision: 'rejected' }, key: null, headers: () => ({ cookie: fx.cookie }), expect: 403 },
  { operationId: 'postV1CommentsIdDecision', path: '/v1/comments/none/decision', docPath: '/v1/comments/{id}/decision', method: 'post', body: { decision: 'rejected' }, key: modKey, expect: 404 },
  { operationId: 'postV1CommentsIdDecision', path: '/v1/comments/oa-held-1/decision', docPath: '/v1/comments/{id}/decision', method: 'post', body: { decision: 'held' }, key: modKey, expect: 422 },

  // Audit.
  { operationId: 'getV1Audit', path: '/v1/audit', docPath: '/v1/audit', method: 'get', key: modKey, expect: 200 },
  { operationId: 'getV1Audit', path: '/v1/audit?limit=1', docPath: '/v1/audit', method: 'get', key: modKey, expect: 200 },
  { operationId: 'getV1Audit', path: '/v1/audit?cursor=yesterday', docPath: '/v1/audit', method: 'get', key: modKey, expect: 422 },
  { operationId: 'getV1AuditExportCsv', path: '/v1/audit/export.csv', docPath: '/v1/audit/export.csv', method: 'get', key: modKey, expect: 200 },
  { operationId: 'getV1AuditExportCsv', path: '/v1/audit/export.csv', docPath: '/v1/audit/export.csv', method: 'get', key: 'wrong', expect: 401 },

  // Webhooks.
  { operationId: 'postV1Webhooks', path: '/v1/webhooks', docPath: '/v1/webhooks', method: 'post', body: { url: 'http://127.0.0.1:9/x', events: ['comment.held'], description: 'contract' }, expect: 201 },
  { operationId: 'postV1Webhooks', path: '/v1/webhooks', docPath: '/v1/webhooks', method: 'post', body: { url: 'ftp://example.com/x', events: ['comment.held'] }, expect: 422 },
  { operationId: 'postV1Webhooks', path: '/v1/webhooks', docPath: '/v1/webhooks', method: 'post', rawBody: 'url=http://x', headers: { 'content-type': 'text/plain' }, expect: 415 },
  { operationId: 'postV1Webhooks', path: '/v1/webhooks', docPath: '/v1/webhooks', method: 'post', body: { url: 'http://127.0.0.1:9/x', events: ['comment.held'] }, key: modKey, expect: 403 },
  { operationId: 'postV1Webhooks', path: '/v1/webhooks', docPath: '/v1/webhooks', method: 'post', body: { url: 'http://127.0.0.1:9/x', site: 'site-b', events: ['comment.held'] }, key: () => fx.siteAdminKey, expect: 403 },
  { operationId: 'postV1Webhooks', path: '/v1/webhooks', docPath: '/v1/webhooks', method: 'post', body: { url: 'http://127.0.0.1:9/x', site: 'site-a', events: ['comment.held'] }, expect: 201 },
  { operationId: 'getV1Webhooks', path: '/v1/webhooks', docPath: '/v1/webhooks', method: 'get', expect: 200 },
  { operationId: 'getV1WebhooksId', path: ep(), docPath: '/v1/webhooks/{id}', method: 'get', expect: 200 },
  { operationId: 'getV1WebhooksId', path: `/v1/webhooks/${UNKNOWN_EP}`, docPath: '/v1/webhooks/{id}', method: 'get', expect: 404 },
  { operationId: 'getV1WebhooksId', path: '/v1/webhooks/nope', docPath: '/v1/webhooks/{id}', method: 'get', expect: 422 },
  { operationId: 'patchV1WebhooksId', path: ep(), docPath: '/v1/webhooks/{id}', method: 'patch', body: { description: 'contract test', events: ['comment.rejected', 'comment.held'] }, expect: 200 },
  { operationId: 'patchV1WebhooksId', path: ep(), docPath: '/v1/webhooks/{id}', method: 'patch', body: {}, expect: 422 },
  { operationId: 'patchV1WebhooksId', path: `/v1/webhooks/${UNKNOWN_EP}`, docPath: '/v1/webhooks/{id}', method: 'patch', body: { enabled: true }, expect: 404 },
  { operationId: 'postV1WebhooksIdPing', path: ep('/ping'), docPath: '/v1/webhooks/{id}/ping', method: 'post', expect: 202 },
  { operationId: 'postV1WebhooksIdPing', path: () => `/v1/webhooks/${fx.disabledEndpointId}/ping`, docPath: '/v1/webhooks/{id}/ping', method: 'post', expect: 409 },
  { operationId: 'postV1WebhooksIdPing', path: `/v1/webhooks/${UNKNOWN_EP}/ping`, docPath: '/v1/webhooks/{id}/ping', method: 'post', expect: 404 },
  { operationId: 'postV1WebhooksIdRotateSecret', path: ep('/rotate-secret'), docPath: '/v1/webhooks/{id}/rotate-secret', method: 'post', expect: 200 },
  // After the rotation: the endpoint shows until when the previous secret still signs.
  { operationId: 'getV1WebhooksId', path: ep(), docPath: '/v1/webhooks/{id}', method: 'get', expect: 200 },
  { operationId: 'postV1WebhooksIdRotateSecret', path: `/v1/webhooks/${UNKNOWN_EP}/rotate-secret`, docPath: '/v1/webhooks/{id}/rotate-secret', method: 'post', expect: 404 },
  { operationId: 'getV1WebhooksIdDeliveries', path: ep('/deliveries'), docPath: '/v1/webhooks/{id}/deliveries', method: 'get', expect: 200 },
  { operationId: 'getV1WebhooksIdDeliveries', path: ep('/deliveries?limit=0'), docPath: '/v1/webhooks/{id}/deliveries', method: 'get', expect: 422 },
  { operationId: 'getV1WebhooksIdDeliveriesDeliveryId', path: () => `/v1/webhooks/${fx.endpointId}/deliveries/${fx.deliveryId}`, docPath: '/v1/webhooks/{id}/deliveries/{deliveryId}', method: 'get', expect: 200 },
  { operationId: 'getV1WebhooksIdDeliveriesDeliveryId', path: ep('/deliveries/msg_none'), docPath: '/v1/webhooks/{id}/deliveries/{deliveryId}', method: 'get', expect: 404 },
  {
    operationId: 'postV1WebhooksIdDeliveriesDeliveryIdResend',
    path: () => `/v1/webhooks/${fx.endpointId}/deliveries/${fx.deliveryId}/resend`,
    docPath: '/v1/webhooks/{id}/deliveries/{deliveryId}/resend',
    method: 'post',
    expect: 202,
  },
  { operationId: 'postV1WebhooksIdDeliveriesDeliveryIdResend', path: ep('/deliveries/msg_none/resend'), docPath: '/v1/webhooks/{id}/deliveries/{deliveryId}/resend', method: 'post', expect: 404 },
  { operationId: 'deleteV1WebhooksId', path: () => `/v1/webhooks/${fx.disabledEndpointId}`, docPath: '/v1/webhooks/{id}', method: 'delete', expect: 204 },
  { operationId: 'deleteV1WebhooksId', path: () => `/v1/webhooks/${fx.disabledEndpointId}`, docPath: '/v1/webhooks/{id}', method: 'delete', expect: 404 },

  // Coral: signed, no key.
  { operationId: 'postV1IntegrationsCoral', path: '/v1/integrations/coral', docPath: '/v1/integrations/coral', method: 'post', rawBody: coralBody, headers: coralHeaders(coralSignature([CORAL_SECRET], coralBody)), key: null, expect: 200 },
  { operationId: 'postV1IntegrationsCoral', path: '/v1/integrations/coral', docPath: '/v1/integrations/coral', method: 'post', rawBody: coralBody, headers: coralHeaders(coralSignature(['another secret'], coralBody)), key: null, expect: 401 },
  { operationId: 'postV1IntegrationsCoral', path: '/v1/integrations/coral', docPath: '/v1/integrations/coral', method: 'post', rawBody: '{"action":"NEW"}', headers: coralHeaders(coralSignature([CORAL_SECRET], '{"action":"NEW"}')), key: null, expect: 422 },

  // The dashboard's page.
  { operationId: 'getDashboard', path: '/dashboard', docPath: '/dashboard', method: 'get', key: null, expect: 200 },
];

/** Sends a case's request; a stream is read up to its first bytes and then abandoned. */
async function send(c: Case): Promise<{ status: number; headers: Headers; body: any }> {
  const key = value(c.key);
  const headers = value(c.headers ?? {});
  if (!c.stream) return call(svc.url, value(c.path), { method: c.method.toUpperCase(), body: c.body, rawBody: c.rawBody && value(c.rawBody), headers, key });
  const controller = new AbortController();
  const res = await fetch(svc.url + value(c.path), { headers: { ...headers, ...(key !== null && { authorization: `Bearer ${key ?? ADMIN_KEY}` }) }, signal: controller.signal });
  try {
    const first = await res.body!.getReader().read();
    return { status: res.status, headers: res.headers, body: new TextDecoder().decode(first.value) };
  } finally {
    controller.abort();
  }
}

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document whose every operation has a contract case below', () => {
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.values(doc.paths).flatMap((p: any) => Object.values(p).map((o: any) => o.operationId));
    expect([...new Set(CASES.map((c) => c.operationId))].sort()).toEqual([...documented].sort());
    // problem+json everywhere, except where a compatible endpoint answers in its clients' error shape.
    const compatible: Record<string, string> = {
      postV1Moderations: 'OpenAIError',
      postV1alpha1CommentsAnalyze: 'PerspectiveError',
      postV1alpha1CommentsSuggestscore: 'PerspectiveError',
    };
    for (const p of Object.values(doc.paths) as any[]) {
      for (const o of Object.values(p) as any[]) {
        const shape = compatible[o.operationId];
        if (shape) expect(o.responses['4XX'].content['application/json'].schema).toEqual({ $ref: `#/components/schemas/${shape}` });
        else expect(o.responses['4XX'].content['application/problem+json']).toBeDefined();
      }
    }
  });

  it('gives every operation a unique operationId, and declares the cookie session next to the bearer key', () => {
    const ids = Object.values(doc.paths).flatMap((p: any) => Object.values(p).map((o: any) => o.operationId));
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.components.securitySchemes.session).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'decorum_session' });
    expect(doc.security).toEqual([{ bearer: [] }, { session: [] }]);
    const coral = doc.paths['/v1/integrations/coral'].post;
    expect(coral.security).toEqual([]);
    expect(coral.parameters).toContainEqual(expect.objectContaining({ name: 'X-Coral-Signature', in: 'header', required: true }));
    expect(doc.paths['/v1/comments/{id}/decision'].post.parameters).toContainEqual(expect.objectContaining({ name: 'X-CSRF-Token', in: 'header' }));
    expect(doc.paths['/v1/webhooks'].post.summary).toMatch(/\(admin\)$/);
    expect(doc.paths['/v1/review'].get.summary).toMatch(/\(comments:read\)$/);
  });

  it.each(CASES.map((c) => [`${c.method.toUpperCase()} ${typeof c.path === 'string' ? c.path : c.docPath} → ${c.expect}`, c] as const))('%s matches the document', async (_name, c) => {
    const r = await send(c);
    if (r.status !== c.expect) throw new Error(`expected ${c.expect}, got ${r.status}: ${JSON.stringify(r.body)}`);
    const contentType = r.headers.get('content-type') ?? '';
    if (r.status === 204) {
      // No content: the document must say so, not promise a body.
      expect(doc.paths[c.docPath][c.method].responses['204']).toBeDefined();
      expect(doc.paths[c.docPath][c.method].responses['204'].content).toBeUndefined();
      expect(r.body).toBeUndefined();
      return;
    }
    const validate = validatorFor(c.docPath, c.method, r.status, contentType);
    if (c.stream) expect(r.body).toMatch(/^retry: \d+\n\n/);
    if (!contentType.includes('json')) return;
    const ok = validate(r.body);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('catches a response that breaks the contract (the check itself can fail)', () => {
    const validate = validatorFor('/v1/comments/{id}', 'get', 200, 'application/json');
    expect(validate({ id: 'x', status: 'queued' })).toBe(false);
    const problem = validatorFor('/v1/comments/{id}', 'get', 404, 'application/problem+json');
    expect(problem({ title: 'no status or detail' })).toBe(false);
  });
});

describe('GET /docs', () => {
  it('is the reference page, rendered in the browser from /openapi.json (tests/e2e/docs.test.ts drives it)', async () => {
    const r = await fetch(`${svc.url}/docs`);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    expect(r.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(await (await fetch(`${svc.url}/docs/page.js`)).text()).toContain("url: '/openapi.json'");
  });
});
