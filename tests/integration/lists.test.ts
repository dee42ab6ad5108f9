import Ajv2020 from 'ajv/dist/2020';
import { type Receiver, startReceiver } from '../helpers/receiver';
import { call, eventually, FAST_PASSWORD_HASHES, NO_LIMITS, startService, type TestService } from '../helpers/service';

/**
 * One envelope and one pagination style for every list: every GET whose answer carries a list of
 * objects is found in the OpenAPI document (so a new list can't escape this test), documented as
 * `{ items, nextCursor }` with ?limit= and ?cursor=, and walked for real, page by page, each
 * answer checked against the one envelope schema below.
 */

const PASSWORD = 'a perfectly long password';
const SEEDED = 3;

let svc: TestService;
let receiver: Receiver;
let doc: any;
let endpointId = '';
const ajv = new Ajv2020({ strict: false, allErrors: true });

/** The one envelope, for every list. */
const ENVELOPE = {
  type: 'object',
  required: ['items', 'nextCursor'],
  additionalProperties: false,
  properties: {
    items: { type: 'array', items: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } } },
    nextCursor: { type: ['string', 'null'] },
  },
};
const envelope = ajv.compile<any>(ENVELOPE);

/**
 * How to reach each list with at least SEEDED items: its path parameters, and the filter that
 * shows everything. A list route found in the document without an entry here fails the test,
 * on purpose: a new list must be walked too.
 */
const REACH: Record<string, () => string> = {
  '/v1/keys': () => '/v1/keys?',
  '/v1/moderators': () => '/v1/moderators?',
  '/v1/webhooks': () => '/v1/webhooks?',
  '/v1/webhooks/{id}/deliveries': () => `/v1/webhooks/${endpointId}/deliveries?`,
  '/v1/review': () => '/v1/review?status=all&',
  '/v1/audit': () => '/v1/audit?',
};

beforeAll(async () => {
  svc = await startService('lists', 'all', { ...NO_LIMITS, ...FAST_PASSWORD_HASHES, WEBHOOK_ALLOW_PRIVATE: 'true' });
  receiver = await startReceiver();
  doc = (await call(svc.url, '/openapi.json', { key: null })).body;
  ajv.addSchema({ $id: 'decorum', components: doc.components });
  // Every creation below is also an audit entry.
  for (let i = 0; i < SEEDED; i++) {
    expect((await call(svc.url, '/v1/keys', { body: { name: `list ${i}`, scopes: ['comments:read'], site: 'lists' } })).status).toBe(201);
    expect((await call(svc.url, '/v1/moderators', { body: { email: `list-${i}@example.org`, password: PASSWORD } })).status).toBe(201);
    const ep = await call(svc.url, '/v1/webhooks', { body: { url: receiver.url, events: ['comment.held'] } });
    expect(ep.status).toBe(201);
    endpointId = ep.body.id;
    const c = await call(svc.url, '/v1/comments', { body: { id: `list-${i}`, articleId: 'a-lists', author: { id: `u-${i}` }, text: `Comment number ${i}.` } });
    expect(c.status).toBe(202);
  }
  for (let i = 0; i < SEEDED; i++) expect((await call(svc.url, `/v1/webhooks/${endpointId}/ping`, { method: 'POST' })).status).toBe(202);
  await eventually(async () => ((await call(svc.url, '/v1/review?status=queued')).body.items.length === 0 ? true : undefined), 20_000);
}, 60_000);
afterAll(async () => {
  await receiver?.close();
  await svc?.stop();
});

const resolve = (schema: any): any => (schema?.$ref ? doc.components.schemas[schema.$ref.split('/').pop()] : schema);

/** A list of objects at the top of an answer (or the answer itself): what makes an answer a list. */
function holdsList(schema: any): boolean {
  const s = resolve(schema);
  const isObjectArray = (a: any) => a?.type === 'array' && (resolve(a.items)?.type === 'object' || a.items?.$ref !== undefined);
  return isObjectArray(s) || Object.values(s?.properties ?? {}).some(isObjectArray);
}

/**
 * Every GET of a collection whose answer holds a list. A path ending in a {parameter} names one
 * resource, whose own fields may be lists (a comment's history): that is not a list to page.
 */
function listRoutes(): { path: string; op: any }[] {
  const out: { path: string; op: any }[] = [];
  for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
    const schema = ops.get?.responses?.['200']?.content?.['application/json']?.schema;
    if (schema && !/\}$/.test(path) && holdsList(schema)) out.push({ path, op: ops.get });
  }
  return out;
}

async function walk(start: string, limit: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const r: { status: number; body: any } = await call(svc.url, `${start}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(r.status).toBe(200);
    if (!envelope(r.body)) throw new Error(`${start}: ${JSON.stringify(envelope.errors)} in ${JSON.stringify(r.body).slice(0, 300)}`);
    expect(r.body.items.length).toBeLessThanOrEqual(limit);
    ids.push(...r.body.items.map((i: { id: string }) => i.id));
    cursor = r.body.nextCursor;
    pages++;
    if (pages > 100) throw new Error(`${start}: more than 100 pages`);
  } while (cursor !== null);
  return { ids, pages };
}

describe('every list', () => {
  it('is found in the document by its shape: the known lists at least, each with a way to reach it here', () => {
    const found = listRoutes().map((l) => l.path);
    expect(found).toEqual(expect.arrayContaining(Object.keys(REACH)));
    for (const path of found) if (!REACH[path]) throw new Error(`${path} answers a list: add it to REACH so it is walked`);
  });

  it('is documented as { items, nextCursor } with ?limit= and ?cursor=', () => {
    for (const { path, op } of listRoutes()) {
      const schema = resolve(op.responses['200'].content['application/json'].schema);
      expect([path, Object.keys(schema.properties).sort()]).toEqual([path, ['items', 'nextCursor']]);
      expect([path, [...schema.required].sort(), schema.additionalProperties]).toEqual([path, ['items', 'nextCursor'], false]);
      expect([path, schema.properties.nextCursor]).toEqual([path, { type: ['string', 'null'] }]);
      const query = op.parameters.filter((p: { in: string }) => p.in === 'query').map((p: { name: string }) => p.name);
      expect([path, query]).toEqual([path, expect.arrayContaining(['limit', 'cursor'])]);
    }
  });

  it.each(Object.keys(REACH))('%s answers the envelope page by page, every item once, as one big page holds them', async (path) => {
    const start = REACH[path]();
    const byOne = await walk(start, 1);
    expect(byOne.ids.length).toBeGreaterThanOrEqual(SEEDED);
    expect(byOne.pages).toBeGreaterThanOrEqual(SEEDED);
    expect(new Set(byOne.ids).size).toBe(byOne.ids.length);
    const whole = await walk(start, 100);
    expect(whole.pages).toBe(1);
    expect(byOne.ids).toEqual(whole.ids);
    // The documented schema of this route agrees with the answer, too.
    const first = await call(svc.url, `${start}limit=2`);
    const own = ajv.compile(JSON.parse(JSON.stringify(doc.paths[path].get.responses['200'].content['application/json'].schema).replaceAll('"#/components/', '"decorum#/components/')));
    expect(own(first.body)).toBe(true);
  });

  it.each(Object.keys(REACH))("%s refuses a cursor it did not issue, or another list's, with a 422 problem", async (path) => {
    const start = REACH[path]();
    const other = path === '/v1/keys' ? '/v1/moderators?' : '/v1/keys?';
    const foreign = (await call(svc.url, `${other}limit=1`)).body.nextCursor;
    expect(foreign).toEqual(expect.any(String));
    for (const cursor of [foreign, 'not-a-cursor']) {
      const r = await call(svc.url, `${start}cursor=${encodeURIComponent(cursor)}`);
      expect(r.status).toBe(422);
      expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(r.body.errors).toEqual([expect.objectContaining({ path: 'cursor' })]);
    }
  });

  it('catches an answer in another shape (the check itself can fail)', () => {
    expect(envelope({ items: [{ id: 'a' }], next: null })).toBe(false);
    expect(envelope({ entries: [], nextCursor: null })).toBe(false);
    expect(envelope({ total: 1, offset: 0, limit: 1, items: [{ id: 'a' }], nextCursor: null })).toBe(false);
    expect(holdsList({ type: 'object', properties: { moderators: { type: 'array', items: { type: 'object' } } } })).toBe(true);
    expect(holdsList({ type: 'object', properties: { scopes: { type: 'array', items: { type: 'string' } } } })).toBe(false);
  });
});
