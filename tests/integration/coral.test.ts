import { coralSignature } from '../../src/integrations/coral';
import { call, startService, type TestService } from '../helpers/service';

/**
 * The endpoint Coral Talk's external moderation phase calls. Requests are built the way Coral
 * builds them (services/fetch: JSON.stringify(request, null, 2), "X-Coral-Signature:
 * sha256=<hex>" per active secret, comma-separated), and answers are checked against what
 * Coral's response schema accepts.
 */
const SECRET = 'empsec_4b1d1e0c2f3a5b6c7d8e9f00112233445566778899aabbccddeeff0011223344';
const OLD_SECRET = 'empsec_00000000000000000000000000000000000000000000000000000000000000';
let svc: TestService;

beforeAll(async () => {
  svc = await startService('coral', 'api', { CORAL_SIGNING_SECRET: SECRET });
});
afterAll(() => svc.stop());

function coralRequest(body: string, action: 'NEW' | 'EDIT' = 'NEW') {
  return {
    action,
    comment: { body, parentID: null },
    author: { id: 'coral-user-1', role: 'COMMENTER' },
    story: { id: 'story-1', url: 'https://news.example.com/2026/summit' },
    site: { id: 'site-1' },
    tenantID: 'tenant-1',
    tenantDomain: 'comments.news.example.com',
  };
}

async function post(payload: string, signature: string | undefined) {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Coral Moderation/9.0.0' };
  if (signature !== undefined) headers['x-coral-signature'] = signature;
  return call(svc.url, '/v1/integrations/coral', { method: 'POST', rawBody: payload, headers, key: null });
}

const COMMENT_STATUSES = ['NONE', 'APPROVED', 'REJECTED', 'PREMOD', 'SYSTEM_WITHHELD'];

/** What Coral's validateResponse accepts (a FLAG with a detected reason; a known status; no empty tag list). */
function expectCoralAccepts(body: any) {
  expect(Object.keys(body).every((k) => ['actions', 'status', 'tags', 'moderationAction'].includes(k))).toBe(true);
  if (body.status !== undefined) expect(COMMENT_STATUSES).toContain(body.status);
  for (const a of body.actions ?? []) {
    expect(a.actionType).toBe('FLAG');
    expect(['COMMENT_DETECTED_TOXIC', 'COMMENT_DETECTED_SPAM']).toContain(a.reason);
  }
  if (body.tags !== undefined) expect(body.tags.length).toBeGreaterThan(0);
}

describe('Coral external moderation phase', () => {
  // How fast it answers (Coral gives up after 200 ms) is measured by bench/pipeline.ts, not here.
  it('rejects an insult in a correctly signed request, with a FLAG', async () => {
    const payload = JSON.stringify(coralRequest('You are an idiot.'), null, 2);
    const res = await post(payload, coralSignature([SECRET], payload));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'REJECTED', actions: [{ actionType: 'FLAG', reason: 'COMMENT_DETECTED_TOXIC' }] });
    expectCoralAccepts(res.body);
  });

  it('sets no status for a comment it approves, so Coral\'s own pre-moderation still applies', async () => {
    const payload = JSON.stringify(coralRequest('<p>Great reporting, thank you.</p>', 'EDIT'), null, 2);
    const res = await post(payload, coralSignature([SECRET], payload));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ actions: [] });
    expectCoralAccepts(res.body);
  });

  it('reads the HTML Coral sends by default', async () => {
    const payload = JSON.stringify(coralRequest('<p>You are an <b>id</b>iot&#46;</p>'), null, 2);
    const res = await post(payload, coralSignature([SECRET], payload));
    expect(res.body.status).toBe('REJECTED');
  });

  it('accepts the pair of signatures Coral sends while it rotates its secret', async () => {
    const payload = JSON.stringify(coralRequest('Great reporting, thank you.'));
    expect((await post(payload, coralSignature([OLD_SECRET, SECRET], payload))).status).toBe(200);
  });

  it('refuses a forged, tampered or unsigned request with 401 problem+json', async () => {
    const payload = JSON.stringify(coralRequest('Great reporting, thank you.'), null, 2);
    const tampered = payload.replace('Great reporting', 'Awful reporting');
    for (const [body, sig] of [
      [payload, coralSignature([OLD_SECRET], payload)],
      [tampered, coralSignature([SECRET], payload)],
      [payload, undefined],
      [payload, `sha256=${'0'.repeat(64)}`],
      [payload, coralSignature([SECRET], payload).replace('sha256=', 'sha1=')],
    ] as [string, string | undefined][]) {
      const res = await post(body, sig);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('answers 422 to a signed request that is not Coral\'s shape', async () => {
    const payload = JSON.stringify({ action: 'NEW', comment: {} });
    const res = await post(payload, coralSignature([SECRET], payload));
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});
