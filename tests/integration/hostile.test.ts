import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hostileGenerators } from '../../bench/hostile-texts';
import { moderate } from '../../src/engine';
import { coralSignature } from '../../src/integrations/coral';
import { DEFAULT_POLICY, loadPolicy, PolicyLoadError } from '../../src/policies';
import { meter } from '../helpers/work-meter';
import { call, startService, type TestService } from '../helpers/service';

const SECRET = 'empsec_hostile_0123456789abcdef0123456789abcdef0123456789abcdef01';
/** The most text any endpoint accepts: a Coral comment body. */
const LARGEST = 100_000;

describe('the service start', () => {
  it("refuses a site's policy with a pattern that can backtrack super-linearly", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'decorum-site-'));
    const { classifier: _, spans: _spans, ...doc } = loadPolicy().doc;
    const shipped = doc.lexicons.map((rel) => path.resolve(path.dirname(DEFAULT_POLICY), rel));
    writeFileSync(
      path.join(dir, 'own.json'),
      JSON.stringify({ lang: 'en', phrases: [{ id: 'overlap', category: 'discourtesy', severity: 'medium', pattern: 'you (?:(?:fat|ugly|fat) )*troll' }] }),
    );
    writeFileSync(path.join(dir, 'policy.json'), JSON.stringify({ ...doc, lexicons: [...shipped, 'own.json'] }));
    const started = startService('unsafe-policy', 'api', { POLICY: path.join(dir, 'policy.json') });
    await expect(started).rejects.toThrow(PolicyLoadError);
    await expect(started).rejects.toThrow(/phrase\/overlap/);
  }, 60_000);
});

describe('while the worst text is moderated', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startService('hostile', 'api', { CORAL_SIGNING_SECRET: SECRET });
  });
  afterAll(() => svc.stop());

  it('/healthz still answers, after at most one cut comment', async () => {
    const policy = loadPolicy();
    // The worst text is the one that costs the engine the most work at the largest length.
    const gens = hostileGenerators(policy);
    const costs = gens.map((g) => meter(() => moderate(g.make(LARGEST), policy)).work);
    const worst = gens[costs.indexOf(Math.max(...costs))].make(LARGEST);
    expect(moderate(worst, policy).cut).toEqual({ at: expect.any(Number), length: LARGEST });

    const payload = JSON.stringify({
      action: 'NEW',
      comment: { body: worst, parentID: null },
      author: { id: 'a' },
      story: { id: 's' },
      tenantID: 't',
    });
    const coral = () =>
      call(svc.url, '/v1/integrations/coral', {
        rawBody: payload,
        headers: { 'content-type': 'application/json', 'x-coral-signature': coralSignature([SECRET], payload) },
        key: null,
      });
    expect((await coral()).status).toBe(200); // and the JIT has seen the engine

    // One worst comment at a time, and /healthz asked while it is in flight. CPU time of this
    // process from asking to answer: what the event loop did before it could answer, without
    // the waits for a core that other processes on the machine cause.
    const pings: { status: number; cpuMs: number }[] = [];
    for (let i = 0; i < 6; i++) {
      const inFlight = coral();
      const before = process.cpuUsage();
      const res = await call(svc.url, '/healthz', { key: null });
      const used = process.cpuUsage(before);
      pings.push({ status: res.status, cpuMs: (used.user + used.system) / 1000 });
      expect((await inFlight).status).toBe(200);
    }
    expect(pings.map((p) => p.status)).toEqual(Array(6).fill(200));
    // On a quiet machine one cut worst comment holds the loop ~20 ms (npm run bench:hostile); the
    // bound here is loose because other processes sharing the cores slow this one's CPU time
    // too. Uncut, these texts held it for seconds, and Coral's HTML stripping for a minute.
    expect(Math.max(...pings.map((p) => p.cpuMs))).toBeLessThan(250);
  }, 60_000);
});
