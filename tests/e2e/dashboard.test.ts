import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser';
import { call, startService, type TestService } from '../helpers/service';


const EMAIL = 'mia@example.org';
const PASSWORD = 'correct horse battery staple';

let svc: TestService;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let moderatorId: string;
let moderatorKey: string;
const dialogs: string[] = [];
const pageErrors: string[] = [];
const cspViolations: string[] = [];
const notFound: string[] = [];

async function post(id: string, text: string, author = 'u-17') {
  const r = await call(svc.url, '/v1/comments?wait=5000', { body: { id, articleId: 'helsinki-summit', author: { id: author, name: 'Sam' }, text } });
  expect(r.status).toBe(200);
  return r.body;
}

const cardOf = (id: string) => page.locator(`li.card[data-id="${id}"]`);

beforeAll(async () => {
  svc = await startService('e2e');
  const created = await call(svc.url, '/v1/moderators', { body: { email: EMAIL, password: PASSWORD, role: 'moderator' } });
  expect(created.status).toBe(201);
  moderatorId = created.body.id;
  moderatorKey = created.body.secret;
  // Oldest first: this is the first item in the queue, the one the keyboard approves.
  expect((await post('e2e-moron', 'What a moron. Honestly.')).status).toBe('held');
  expect((await post('e2e-shut', 'Shut up, nobody asked.', 'u-18')).status).toBe('held');
  // Hostile text: if any of it ran, it would set window.__pwned or open a dialog.
  expect((await post('e2e-xss-img', '<img src=x onerror="window.__pwned=1;alert(1)"> what a moron')).status).toBe('held');
  expect((await post('e2e-xss-script', '<script>window.__pwned=2;alert(2)</script> shut up', 'u-19')).status).toBe('held');
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  page = await context.newPage();
  // Well inside jest's 20 s, so a missing element fails with playwright's message, not a bare timeout.
  page.setDefaultTimeout(8000);
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('response', (r) => {
    if (r.status() === 404) notFound.push(r.url());
  });
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await svc?.stop();
});

describe('the review dashboard in Chromium', () => {
  it('refuses a wrong password', async () => {
    const res = await page.goto(`${svc.url}/dashboard`);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#login-error', { hasText: 'Wrong email or password' }).waitFor();
    expect(await page.locator('#app-view').isHidden()).toBe(true);
  });

  it('signs in and shows held comments with their flagged spans highlighted and labelled', async () => {
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await cardOf('e2e-moron').waitFor();
    const marks = await cardOf('e2e-moron').locator('.text mark').allTextContents();
    // The phrase's evidence is narrowed to the word people mark.
    expect(marks.join('')).toBe('moron');
    expect(await cardOf('e2e-moron').locator('.text .tag').first().textContent()).toBe('discourtesy');
    expect(await page.locator('[data-count="held"]').textContent()).toBe('4');
  });

  it('says in words what each rule found, keeping the rule id for support', async () => {
    const rule = cardOf('e2e-moron').locator('.reasons .rule[data-rule="phrase/discourtesy/what-a#spans"]');
    expect(await rule.textContent()).toBe('"What a ..." with an insult ("what a moron"), narrowed to the words people mark in such comments on “moron”');
    expect(await rule.getAttribute('title')).toBe('rule id: phrase/discourtesy/what-a#spans');
    const word = cardOf('e2e-moron').locator('.reasons .rule[data-rule="lexicon/en/moron"]');
    expect(await word.textContent()).toBe('An insult word on “moron”');
    // The highlighted span's hover names the category, the description and the id.
    expect(await cardOf('e2e-moron').locator('.text mark').first().getAttribute('title')).toContain('discourtesy · An insult word (lexicon/en/moron)');
  });

  it('ranks a flag by its severity in words, and says per category what an unflagged score means', async () => {
    const flagged = cardOf('e2e-moron').locator('.reasons li.flagged');
    expect(await flagged.locator('.sev').textContent()).toBe('medium severity');
    // A constant per severity is no ranking: no bar or number stands for it.
    expect(await flagged.locator('meter, .score').count()).toBe(0);
    const vulgarity = cardOf('e2e-moron').locator('.scores li[data-category="vulgarity"]');
    expect(await vulgarity.textContent()).toMatch(/^vulgarity 0\.\d\d — the classifier's probability that the comment is vulgar; it never flags vulgarity by itself/);
    const racism = cardOf('e2e-moron').locator('.scores li[data-category="racism"]');
    expect(await racism.textContent()).toMatch(/^racism 0\.\d\d — .*; it flags racism by itself from 0\.80\.$/);
    expect(await cardOf('e2e-moron').locator('.why .scores-head').textContent()).toBe('Not flagged:');
  });

  it('shows hostile comment text as text and runs none of it', async () => {
    expect(await cardOf('e2e-xss-img').locator('.text').textContent()).toContain('<img src=x onerror="window.__pwned=1;alert(1)">');
    expect(await cardOf('e2e-xss-script').locator('.text').textContent()).toContain('<script>window.__pwned=2;alert(2)</script>');
    expect(await page.locator('#items img, #items script').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
  });

  it('approves with the keyboard and rejects with the mouse', async () => {
    // The first card has keyboard focus when the queue loads; `a` approves it.
    await page.locator('li.card.focused[data-id="e2e-moron"]').waitFor();
    await page.keyboard.press('a');
    await cardOf('e2e-moron').waitFor({ state: 'detached' });
    // The next card has focus straight away, ready for the next key.
    await page.locator('li.card.focused[data-id="e2e-shut"]').waitFor();

    await cardOf('e2e-shut').getByLabel('Reason').fill('told another reader to shut up');
    await cardOf('e2e-shut').getByRole('button', { name: 'Reject' }).click();
    await cardOf('e2e-shut').waitFor({ state: 'detached' });
    await page.locator('[data-count="held"]', { hasText: '2' }).waitFor();

    const approved = await call(svc.url, '/v1/comments/e2e-moron', { key: moderatorKey });
    expect(approved.body.status).toBe('approved');
    expect(approved.body.verdict.decidedBy).toBe(moderatorId);
    expect(approved.body.history.map((v: { decidedBy: string; decision: string }) => [v.decidedBy, v.decision])).toEqual([['auto', 'held']]);
    const rejected = await call(svc.url, '/v1/comments/e2e-shut', { key: moderatorKey });
    expect(rejected.body.status).toBe('rejected');
    expect(rejected.body.verdict.decidedBy).toBe(moderatorId);
    expect(rejected.body.verdict.reason).toBe('told another reader to shut up');
    const list = await call(svc.url, '/v1/review?status=approved', { key: moderatorKey });
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual(['e2e-moron']);
  });

  it('shows a newly held comment without a reload', async () => {
    await post('e2e-live', 'What a clown you are.', 'u-20');
    await cardOf('e2e-live').waitFor({ timeout: 5000 });
    await page.locator('[data-count="held"]', { hasText: '3' }).waitFor();
  });

  it('has a help overlay, search, an author panel, bulk decisions and reversal from the approved list', async () => {
    await page.keyboard.press('?');
    await page.locator('#help').waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    await page.locator('#help').waitFor({ state: 'hidden' });

    await page.getByLabel('Search').fill('clown');
    await cardOf('e2e-xss-img').waitFor({ state: 'detached' });
    expect(await page.locator('li.card').count()).toBe(1);
    await page.getByLabel('Search').fill('');
    await cardOf('e2e-xss-img').waitFor();

    await cardOf('e2e-live').locator('button.author').click();
    await page.locator('#author-items li', { hasText: 'What a clown you are.' }).waitFor();
    expect(await page.locator('#author-summary').textContent()).toBe('1 comment: 1 held');
    await page.locator('#author-close').click();

    await cardOf('e2e-xss-img').getByLabel('Select comment').check();
    await cardOf('e2e-xss-script').getByLabel('Select comment').check();
    await page.getByRole('button', { name: 'Reject selected' }).click();
    await cardOf('e2e-xss-script').waitFor({ state: 'detached' });
    await cardOf('e2e-xss-img').waitFor({ state: 'detached' });
    await page.locator('[data-count="held"]', { hasText: '1' }).waitFor();

    await page.keyboard.press('2');
    // The decision names its moderator by email, as the audit log does.
    expect(await cardOf('e2e-moron').locator('.decided-by').textContent()).toBe(`by ${EMAIL}`);
    await cardOf('e2e-moron').getByRole('button', { name: 'Reject' }).click();
    await cardOf('e2e-moron').waitFor({ state: 'detached' });
    // The card leaves as soon as the key is pressed; the count changes once the API has answered.
    await page.locator('[data-count="approved"]', { hasText: '0' }).waitFor();
    const reversed = await call(svc.url, '/v1/comments/e2e-moron', { key: moderatorKey });
    expect(reversed.body.status).toBe('rejected');
    expect(reversed.body.history.map((v: { decision: string }) => v.decision)).toEqual(['held', 'approved']);
    await page.keyboard.press('1');
  });

  it('draws the activity chart as a picture and lists decisions in the audit log', async () => {
    await page.keyboard.press('Escape');
    await page.locator('nav a[data-view="activity"]').click();
    await page.locator('#chart-decision svg rect[data-series="rejected"]').first().waitFor();
    await page.locator('nav a[data-view="audit"]').click();
    await page.locator('#audit-rows tr', { hasText: 'told another reader to shut up' }).waitFor();
    expect(await page.locator('#audit-rows tr.decision').count()).toBe(5);
    // The moderator account the suite created is in the log too, as an account change.
    expect(await page.locator('#audit-rows tr.account').count()).toBe(1);
    expect(await page.locator('#audit-rows tr.account').textContent()).toContain('moderator.created mod_');
  });

  it('fits a 390 px wide phone without sideways scrolling, on every view', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const view of ['held', 'approved', 'rejected', 'audit', 'activity']) {
      await page.locator(`nav a[data-view="${view}"]`).click();
      await page.locator(`nav a[data-view="${view}"][aria-current="page"]`).waitFor();
      if (view === 'rejected') await page.locator('li.card').first().waitFor();
      if (view === 'audit') await page.locator('#audit-rows tr').first().waitFor();
      const { scrollWidth, clientWidth } = await page.locator('html').evaluate((n: { scrollWidth: number; clientWidth: number }) => ({ scrollWidth: n.scrollWidth, clientWidth: n.clientWidth }));
      expect({ view, overflow: scrollWidth - clientWidth }).toEqual({ view, overflow: expect.any(Number) });
      expect({ view, fits: scrollWidth <= clientWidth }).toEqual({ view, fits: true });
    }
    await page.setViewportSize({ width: 1200, height: 900 });
  });

  it('has a favicon, where the page says and where browsers look by default', async () => {
    const href = await page.locator('link[rel="icon"]').getAttribute('href');
    expect(href).toBe('/dashboard/favicon.svg');
    const declared = await page.request.get(`${svc.url}${href}`);
    expect(declared.status()).toBe(200);
    expect(declared.headers()['content-type']).toMatch(/^image\/svg\+xml/);
    const byDefault = await page.request.get(`${svc.url}/favicon.ico`);
    expect(byDefault.status()).toBe(200);
    expect(byDefault.url()).toBe(`${svc.url}/dashboard/favicon.svg`);
  });

  it('caused no script error, no Content-Security-Policy violation and no 404 (the favicon is there)', async () => {
    expect(notFound).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
    expect(dialogs).toEqual([]);
  });
});
