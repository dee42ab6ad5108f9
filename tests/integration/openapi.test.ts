import Ajv2020 from 'ajv/dist/2020';
import { ADMIN_KEY, call, eventually, startService, type TestService } from '../helpers/service';

let svc: TestService;
let doc: any;
const ajv = new Ajv2020({ strict: false, allErrors: true });

beforeAll(async () => {
  svc = await startService('openapi');
  const r = await call(svc.url, '/openapi.json', { key: null });
  expect(r.status).toBe(200);
  doc = r.body;
  ajv.addSchema({ $id: 'decorum', components: doc.components });
});
afterAll(async () => {
  await svc.stop();
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

interface Case {
  operationId: string;
  path: string;
  docPath: string;
  method: string;
  body?: unknown;
  key?: string | null;
  expect: number;
}

const comment = { id: 'oa-1', articleId: 'helsinki-summit', author: { id: 'u-1' }, text: 'You are an idiot.' };

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
];

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document whose every operation has a contract case below', () => {
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.values(doc.paths).flatMap((p: any) => Object.values(p).map((o: any) => o.operationId));
    expect([...new Set(CASES.map((c) => c.operationId))].sort()).toEqual([...documented].sort());
    for (const p of Object.values(doc.paths) as any[]) {
      for (const o of Object.values(p) as any[]) expect(o.responses['4XX'].content['application/problem+json']).toBeDefined();
    }
  });

  it.each(CASES.map((c) => [`${c.method.toUpperCase()} ${c.path} → ${c.expect}`, c] as const))('%s matches the document', async (_name, c) => {
    if (c.path === '/v1/comments?wait=5000') {
      // Wait for the worker to be there, so ?wait= answers with the decided comment.
      await eventually(async () => ((await call(svc.url, '/readyz', { key: null })).status === 200 ? true : undefined));
    }
    const r = await call(svc.url, c.path, { method: c.method.toUpperCase(), body: c.body, key: c.key });
    expect(r.status).toBe(c.expect);
    const contentType = r.headers.get('content-type') ?? '';
    const validate = validatorFor(c.docPath, c.method, r.status, contentType);
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
  it('renders every operation as a page with no script, under a CSP that forbids any', async () => {
    const r = await fetch(`${svc.url}/docs`);
    const html = await r.text();
    expect(r.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(html).not.toMatch(/<script/i);
    for (const path of Object.keys(doc.paths)) expect(html).toContain(path.replace(/&/g, '&amp;'));
  });
});
