import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser';
import { call, startService, type TestService } from '../helpers/service';

/** /docs is a real API reference: Swagger UI, from this origin, rendering /openapi.json under the page's CSP. */

let svc: TestService;
let browser: Browser;
let page: Page;
let doc: any;
const pageErrors: string[] = [];
const cspViolations: string[] = [];
/** Every request the page made that left the service's origin. */
const elsewhere: string[] = [];

beforeAll(async () => {
  svc = await startService('docs', 'api');
  doc = (await call(svc.url, '/openapi.json', { key: null })).body;
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
  page.setDefaultTimeout(8000);
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(svc.url) && !r.url().startsWith('data:')) elsewhere.push(r.url());
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await svc?.stop();
});

describe('GET /docs', () => {
  it('is a page that loads its renderer from this origin only, under a CSP that allows no inline script', async () => {
    const r = await fetch(`${svc.url}/docs`);
    expect(r.status).toBe(200);
    const csp = r.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    const html = await r.text();
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(sources).toEqual(expect.arrayContaining(['/docs/assets/swagger-ui-bundle.js', '/docs/assets/swagger-ui.css', '/docs/page.js']));
    for (const s of sources) expect(s).toMatch(/^\//);
    expect(html).not.toMatch(/<script>/);
    const bundle = await fetch(`${svc.url}/docs/assets/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    // Only the renderer's two files: the package's other files (its own index.html, maps) are not served.
    expect((await fetch(`${svc.url}/docs/assets/index.html`)).status).toBe(404);
    expect((await fetch(`${svc.url}/docs/assets/package.json`)).status).toBe(404);
  });

  it('renders every operation of /openapi.json in Chromium, with no script error, CSP violation or request elsewhere', async () => {
    await page.goto(`${svc.url}/docs`);
    const operations = Object.values(doc.paths as Record<string, Record<string, unknown>>).reduce((n, ops) => n + Object.keys(ops).length, 0);
    // The renderer is a 1.5 MB bundle: on a busy machine it takes a while to parse and draw.
    await page.locator('.opblock').nth(operations - 1).waitFor({ state: 'attached', timeout: 20_000 });
    expect(await page.locator('.opblock').count()).toBe(operations);
    await page.locator('.info .title', { hasText: 'Decorum' }).waitFor();
    // An operation opens to its parameters and responses, rendered from the document.
    await page.locator('#operations-keys-getV1Keys .opblock-summary').click();
    await page.locator('#operations-keys-getV1Keys .parameters').getByText('cursor', { exact: true }).waitFor();
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
    expect(elsewhere).toEqual([]);
  }, 40_000);
});
