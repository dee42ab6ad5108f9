import fc from 'fast-check';
import { hostileGenerators } from '../../bench/hostile-texts';
import { coralSignature } from '../../src/integrations/coral';
import { VerdictSchema } from '../../src/engine/verdict';
import { ADMIN_KEY, call, eventually, startService, type TestService } from '../helpers/service';
import { defaultPolicy } from '../helpers/policy';

/**
 * Random and adversarial requests at every route the OpenAPI document lists (seeded, bounded):
 * no answer is a 5xx, every 4xx is problem+json that says what was wrong, the process stays up,
 * and a valid comment sent afterwards still gets its verdict.
 */
const CORAL_SECRET = 'empsec_fuzz_0123456789abcdef0123456789abcdef0123456789abcdef0123';
let svc: TestService;
let paths: { method: string; path: string }[] = [];

beforeAll(async () => {
  svc = await startService('fuzz', 'all', { WEBHOOK_ALLOW_PRIVATE: 'false', CORAL_SIGNING_SECRET: CORAL_SECRET });
  const doc = (await call(svc.url, '/openapi.json', { key: null })).body;
  for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
    for (const method of Object.keys(ops)) paths.push({ method: method.toUpperCase(), path });
  }
});
afterAll(async () => {
  await svc.stop();
});

const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '\ud800', '../../etc/passwd', '%00', '%E0%A4%A', '<script>alert(1)</script>', "' OR 1=1 --", '{{7*7}}', '__proto__', 'constructor', 'a'.repeat(5000)),
);
const jsonValue = fc.jsonValue({ maxDepth: 4 });
const body = fc.oneof(
  jsonValue.map((v) => ({ raw: JSON.stringify(v), type: 'application/json' })),
  fc.record({ __proto__: jsonValue, text: hostileString, articleId: hostileString, author: jsonValue }).map((v) => ({ raw: JSON.stringify(v), type: 'application/json' })),
  hostileString.map((s) => ({ raw: s, type: 'application/json' })),
  hostileString.map((s) => ({ raw: s, type: 'text/plain' })),
  fc.constant({ raw: '{"a":'.repeat(2000), type: 'application/json' }),
  fc.constant(undefined),
);

/** Percent-encodes every UTF-8 byte (a lone surrogate becomes U+FFFD, as any client would send it). */
const pct = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
/** Or sends it nearly raw, so malformed escapes such as %E0%A4%A reach the router. */
const raw = (s: string) => s.replace(/[^\x21-\x7e]|[#?/]/g, (c) => pct(c));

function fill(path: string, seg: string, encode: (s: string) => string): string {
  return path.replace(/\{[^}]+\}/g, () => encode(seg));
}

it("answers random and hostile requests on every route with no 5xx, and every 4xx as problem+json (the compatible endpoints: their clients' error shape)", async () => {
  expect(paths.length).toBeGreaterThan(20);
  const seen = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...paths),
      fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'same'),
      hostileString,
      body,
      fc.constantFrom<'admin' | 'none' | 'bad' | 'malformed'>('admin', 'none', 'bad', 'malformed'),
      fc.string({ maxLength: 20 }),
      fc.boolean(),
      async (route, m, seg, b, auth, query, rawPath) => {
        const method = m === 'same' ? route.method : m;
        // The live-update stream answers 200 and stays open; that is not what this test is about.
        if (route.path.endsWith('/stream') && method === 'GET') return;
        const headers: Record<string, string> = {};
        if (auth === 'admin') headers.authorization = `Bearer ${ADMIN_KEY}`;
        if (auth === 'bad') headers.authorization = `Bearer ${seg.replace(/[^\x21-\x7e]/g, 'x') || 'x'}`;
        if (auth === 'malformed') headers.authorization = 'Basic Zm9vOmJhcg==';
        if (b) headers['content-type'] = b.type;
        const url = `${svc.url}${fill(route.path, seg, rawPath ? raw : pct)}?${pct(query)}=${rawPath ? raw(seg) : pct(seg)}`;
        const res = await fetch(url, {
          method,
          headers,
          body: method === 'GET' || method === 'HEAD' ? undefined : b?.raw,
          signal: AbortSignal.timeout(10_000),
        });
        const text = await res.text();
        seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
        expect([res.status, method, route.path]).toEqual([expect.any(Number), method, route.path]);
        if (res.status >= 500) throw new Error(`${method} ${url} → ${res.status}: ${text.slice(0, 300)}`);
        // A request line and headers past the server's limit (431) are refused by the HTTP parser
        // before any route is known, so every route answers it the same way, as problem+json.
        const routed = res.status !== 431;
        if (res.status >= 400 && routed && route.path.startsWith('/v1/moderations')) {
          // OpenAI's clients read OpenAI's error object.
          expect(res.headers.get('content-type')).toMatch(/^application\/json/);
          expect(JSON.parse(text).error).toMatchObject({ message: expect.stringMatching(/./), type: expect.any(String) });
        } else if (res.status >= 400 && routed && route.path.startsWith('/v1alpha1')) {
          // Perspective's clients read Google's.
          expect(res.headers.get('content-type')).toMatch(/^application\/json/);
          expect(JSON.parse(text).error).toMatchObject({ code: res.status, message: expect.stringMatching(/./), status: expect.stringMatching(/^[A-Z_]+$/) });
        } else if (res.status >= 400) {
          expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
          const p = JSON.parse(text);
          expect(p).toMatchObject({ status: res.status, title: expect.any(String), detail: expect.any(String) });
          expect(p.detail.length).toBeGreaterThan(0);
        }
        // No stack traces or internals, whatever the shape.
        if (res.status >= 400) expect(text).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\/src\//);
      },
    ),
    { numRuns: 1500, seed: 20261123, endOnFailure: true },
  );
  // Many kinds of answers, not one refusal repeated: the fuzz reached past authentication.
  expect([...seen.keys()].filter((s) => s >= 400).length).toBeGreaterThan(3);
  expect([...seen.keys()].some((s) => s < 300)).toBe(true);

  // Still up, still moderating.
  expect((await call(svc.url, '/healthz', { key: null })).status).toBe(200);
  const r = await call(svc.url, '/v1/comments', { body: { id: 'after-fuzz', articleId: 'a', author: { id: 'u' }, text: 'You are an idiot.' } });
  expect(r.status).toBe(202);
  const c = await eventually(async () => {
    const g = await call(svc.url, '/v1/comments/after-fuzz');
    return g.body?.status !== 'queued' ? g.body : undefined;
  });
  expect(c.status).toBe('rejected');
}, 120_000);

/** Pieces of the tricks the engine reads through: masks, separators, leet, look-alikes, markup. */
const TRICKS = ['f', 'u', 'c', 'k', 'a', 'i', ' ', '*', '#', '@', '$', '!', '1', '0', '.', '-', '—', '_', '~', '|', "'", 'а', 'с', 'ё', 'й', '\u200b', '\u00ad', '💩', '<', '>', '&#', '&amp;', 'http://', 'www.', '.com', '\n', 'Ы', 'ß', 'İ'];

/** Texts aimed at the engine: the hostile generators at any length, and random runs of tricks repeated. */
const engineText = fc.oneof(
  fc.tuple(fc.constantFrom(...hostileGenerators(defaultPolicy())), fc.integer({ min: 1, max: 100_000 })).map(([g, n]) => g.make(n)),
  fc
    .tuple(fc.array(fc.constantFrom(...TRICKS), { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 20_000 }))
    .map(([parts, times]) => parts.join('').repeat(times).slice(0, 100_000)),
);

/** Every endpoint that moderates text, with the request each sends (some too long for it: a 4xx). */
const ENGINE_ROUTES: { name: string; send: (text: string) => Promise<{ status: number; body: any }> }[] = [
  { name: 'moderate', send: (text) => call(svc.url, '/v1/moderate', { body: { text } }) },
  { name: 'moderations', send: (text) => call(svc.url, '/v1/moderations', { body: { input: [text, text.slice(0, 500)] } }) },
  { name: 'perspective', send: (text) => call(svc.url, '/v1alpha1/comments:analyze', { body: { comment: { text }, requestedAttributes: { TOXICITY: {} } } }) },
  {
    name: 'coral',
    send: (text) => {
      const payload = JSON.stringify({ action: 'NEW', comment: { body: text, parentID: null }, author: { id: 'a' }, story: { id: 's' }, tenantID: 't' });
      return call(svc.url, '/v1/integrations/coral', { rawBody: payload, headers: { 'content-type': 'application/json', 'x-coral-signature': coralSignature([CORAL_SECRET], payload) }, key: null });
    },
  },
  { name: 'comments', send: (text) => call(svc.url, '/v1/comments', { body: { id: `fuzz-${Math.random().toString(36).slice(2)}`, articleId: 'a', author: { id: 'u' }, text } }) },
];

it('answers hostile texts aimed at the engine on every endpoint that moderates, with no 5xx and short failures', async () => {
  const seen = new Map<string, number>();
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...ENGINE_ROUTES), engineText, async (route, text) => {
      const res = await route.send(text);
      seen.set(`${route.name} ${res.status}`, (seen.get(`${route.name} ${res.status}`) ?? 0) + 1);
      if (res.status >= 500) throw new Error(`${route.name} → ${res.status} on ${JSON.stringify(text.slice(0, 80))}… (${text.length})`);
      if (route.name === 'moderate' && res.status === 200) {
        const verdict = VerdictSchema.parse(res.body);
        for (const f of verdict.failures) expect(f.message.length).toBeLessThanOrEqual(200);
        if (verdict.cut) expect(verdict.cut.length).toBe(text.length);
      }
    }),
    { numRuns: 200, seed: 20261207, endOnFailure: true },
  );
  // The texts got past the edge to the engine, not only refused.
  for (const name of ['moderate', 'moderations', 'perspective', 'coral', 'comments']) {
    expect([...seen.keys()].some((k) => k.startsWith(`${name} 2`))).toBe(true);
  }
  expect((await call(svc.url, '/healthz', { key: null })).status).toBe(200);
}, 180_000);
