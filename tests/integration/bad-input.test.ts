import { call, startService, storedCommentIds, type TestService } from '../helpers/service';

let svc: TestService;
beforeAll(async () => {
  svc = await startService('bad-input', 'api');
});
afterAll(async () => {
  await svc.stop();
});

const valid = { articleId: 'a1', author: { id: 'u1' }, text: 'fine' };

function expectProblem(r: { status: number; headers: Headers; body: any }, status: number, detail?: RegExp) {
  expect(r.status).toBe(status);
  expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(r.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
  if (detail) expect(r.body.detail).toMatch(detail);
}

describe('authentication', () => {
  it('401s without a key, with a bad scheme, and with an unknown key', async () => {
    expectProblem(await call(svc.url, '/v1/comments', { body: valid, key: null }), 401, /Authorization/);
    expectProblem(await call(svc.url, '/v1/comments', { body: valid, key: null, headers: { authorization: 'Basic abc' } }), 401);
    const unknown = await call(svc.url, '/v1/comments', { body: valid, key: 'not-the-key' });
    expectProblem(unknown, 401, /unknown API key/);
    expect(unknown.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });
});

describe('validation', () => {
  const cases: [string, unknown, RegExp][] = [
    ['a missing field', { articleId: 'a1', text: 'x' }, /author/],
    ['a wrong type', { ...valid, text: 42 }, /text/],
    ['an empty text', { ...valid, text: '' }, /empty/],
    ['a blank text', { ...valid, text: '   \n ' }, /blank/],
    ['an oversized text', { ...valid, text: 'a'.repeat(10_001) }, /at most 10000/],
    ['a NUL character', { ...valid, text: 'bad\u0000byte' }, /control character/],
    ['an unknown field', { ...valid, colour: 'red' }, /colour|Unrecognized/i],
    ['an id with unsafe characters', { ...valid, id: 'has space' }, /id/],
    ['a nested author field', { ...valid, author: { id: 'u1', admin: true } }, /admin|Unrecognized/i],
    ['too much metadata', { ...valid, metadata: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i])) }, /32 keys/],
    ['a JSON array', [valid], /object/i],
  ];
  it.each(cases)('422s on %s, naming the field', async (_what, body, detail) => {
    const r = await call(svc.url, '/v1/comments', { body });
    expectProblem(r, 422, detail);
    expect(Array.isArray(r.body.errors)).toBe(true);
  });

  it('accepts exactly 10,000 characters, counting an emoji as one', async () => {
    const r = await call(svc.url, '/v1/comments', { body: { ...valid, text: '😀' + 'a'.repeat(9_999) } });
    expect(r.status).toBe(202);
  });

  it('422s on an unpaired surrogate sent as a JSON escape', async () => {
    const raw = JSON.stringify({ ...valid, text: 'PLACEHOLDER' }).replace('PLACEHOLDER', 'half \\ud83d a smiley');
    expectProblem(await call(svc.url, '/v1/comments', { rawBody: raw }), 422, /surrogate/);
  });

  it('400s on malformed JSON', async () => {
    expectProblem(await call(svc.url, '/v1/comments', { rawBody: '{"articleId": ' }), 400, /not valid JSON/);
  });

  it('413s on a 5 MB body', async () => {
    const r = await call(svc.url, '/v1/comments', { body: { ...valid, text: 'x'.repeat(5 * 1024 * 1024) } });
    expectProblem(r, 413, /limit/);
  });

  it('415s on a body that is not JSON', async () => {
    const r = await call(svc.url, '/v1/comments', { rawBody: 'text=hi', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expectProblem(r, 415);
  });

  it('400s on a POST with no body', async () => {
    expectProblem(await call(svc.url, '/v1/comments', { method: 'POST' }), 400, /body/);
  });

  it('422s on a bad ?wait', async () => {
    expectProblem(await call(svc.url, '/v1/comments?wait=20000', { body: valid }), 422, /wait/);
    expectProblem(await call(svc.url, '/v1/comments?wait=soon', { body: valid }), 422, /wait/);
  });

  it('422s on /v1/moderate without text', async () => {
    expectProblem(await call(svc.url, '/v1/moderate', { body: { lang: 'en' } }), 422, /text/);
  });

  it('404s with a problem body on an unknown route', async () => {
    expectProblem(await call(svc.url, '/v1/nothing-here'), 404, /no route/);
  });

  it('stored nothing for any refused request', async () => {
    const ids = await storedCommentIds(svc.redis, svc.prefix);
    expect(ids).toHaveLength(1); // only the 10,000-character comment was accepted
  });
});

describe('text normalisation', () => {
  let full: TestService;
  beforeAll(async () => {
    full = await startService('nfc', 'all');
  });
  afterAll(async () => {
    await full.stop();
  });

  it('stores comment text in NFC, so the same words typed two ways are one comment with offsets into what the API returns', async () => {
    const svc = full;
    const decomposed = 'Cafe\u0301 owners are idiots.';
    const composed = 'Caf\u00e9 owners are idiots.';
    const first = await call(svc.url, '/v1/comments?wait=5000', { body: { id: 'nfc-1', articleId: 'a', author: { id: 'u' }, text: decomposed } });
    expect(first.status).toBe(200);
    expect(first.body.text).toBe(composed);
    const ev = first.body.verdict.categories.discourtesy.evidence[0];
    expect(first.body.text.slice(ev.start, ev.end)).toBe(ev.text);
    // The composed spelling is the same content: an idempotent replay, not a conflict.
    const again = await call(svc.url, '/v1/comments', { body: { id: 'nfc-1', articleId: 'a', author: { id: 'u' }, text: composed } });
    expect(again.status).not.toBe(409);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });
});

describe('security headers', () => {
  it('are on every answer, and API answers are not to be cached', async () => {
    const r = await call(svc.url, '/v1/comments/none');
    for (const [h, v] of [
      ['x-content-type-options', 'nosniff'],
      ['x-frame-options', 'DENY'],
      ['referrer-policy', 'no-referrer'],
      ['cross-origin-resource-policy', 'same-origin'],
      ['cache-control', 'no-store'],
    ]) expect([h, r.headers.get(h)]).toEqual([h, v]);
    expect(r.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(r.headers.get('x-powered-by')).toBeNull();
    const health = await call(svc.url, '/healthz', { key: null });
    expect(health.headers.get('x-frame-options')).toBe('DENY');
  });
});

describe('slow clients', () => {
  it('get a 408 problem+json when their headers do not arrive in time, and the connection is closed', async () => {
    const slow = await startService('slow', 'api', { HTTP_HEADERS_TIMEOUT_MS: '300', HTTP_REQUEST_TIMEOUT_MS: '300' });
    try {
      const { connect } = await import('node:net');
      const url = new URL(slow.url);
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(url.port), url.hostname, () => socket.write('POST /v1/comments HTTP/1.1\r\nHost: x\r\nContent-Type: appl'));
        let got = '';
        socket.on('data', (d) => (got += d.toString()));
        socket.on('close', () => resolve(got));
        socket.on('error', reject);
        setTimeout(() => reject(new Error(`no answer; got ${JSON.stringify(got)}`)), 8000).unref();
      });
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
      expect(answer).toMatch(/content-type: application\/problem\+json/i);
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 408, title: 'Request timeout' });
    } finally {
      await slow.stop();
    }
  });
});

describe('body bounds', () => {
  it('refuses JSON nested deeper than any request shape, and honours BODY_LIMIT_BYTES', async () => {
    const deep = '['.repeat(40) + ']'.repeat(40);
    const r = await call(svc.url, '/v1/moderate', { rawBody: deep });
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(r.body.detail).toMatch(/nested more than 32 levels/);
    const small = await startService('body-limit', 'api', { BODY_LIMIT_BYTES: '2048' });
    try {
      const big = await call(small.url, '/v1/moderate', { body: { text: 'x'.repeat(3000) } });
      expect(big.status).toBe(413);
      expect(big.body.detail).toMatch(/2048 bytes/);
      expect((await call(small.url, '/v1/moderate', { body: { text: 'fine' } })).status).toBe(200);
    } finally {
      await small.stop();
    }
  });
});
