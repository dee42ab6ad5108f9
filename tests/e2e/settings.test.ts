import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser';
import { type Receiver, startReceiver, verified } from '../helpers/receiver';
import { call, eventually, startService, type TestService } from '../helpers/service';

/**
 * The dashboard's Settings page in Chromium: webhook endpoints and their delivery logs, against
 * real HTTP receivers on loopback and a retry schedule of milliseconds.
 */

const ADMIN = { email: 'ada@example.org', password: 'correct horse battery staple' };
const MODERATOR = { email: 'max@example.org', password: 'another long enough password' };
/** Three attempts, well inside WEBHOOK_DISABLE_AFTER, so only the endpoint pinged on purpose twice is disabled. */
const DISABLE_AFTER_MS = 2000;
const HOSTILE_DESCRIPTION = '<img src=x onerror="window.__pwned=1;alert(1)">CMS';
const HOSTILE_BODY = '<script>window.__pwned=3;alert(3)</script><img src=x onerror="alert(4)">down for maintenance';

let svc: TestService;
let browser: Browser;
let page: Page;
let ok: Receiver;
let flaky: Receiver;
let broken: Receiver;
let moderatorKey: string;
const dialogs: string[] = [];
const pageErrors: string[] = [];
const cspViolations: string[] = [];

beforeAll(async () => {
  svc = await startService('e2e-settings', 'all', {
    WEBHOOK_ALLOW_PRIVATE: 'true',
    WEBHOOK_RETRY_SCHEDULE: '50ms,100ms',
    WEBHOOK_TIMEOUT_MS: '2000',
    WEBHOOK_DISABLE_AFTER: `${DISABLE_AFTER_MS}ms`,
  });
  const admin = await call(svc.url, '/v1/moderators', { body: { ...ADMIN, role: 'admin' } });
  expect(admin.status).toBe(201);
  const moderator = await call(svc.url, '/v1/moderators', { body: { ...MODERATOR, role: 'moderator' } });
  expect(moderator.status).toBe(201);
  moderatorKey = moderator.body.secret;
  ok = await startReceiver(() => ({ status: 200, body: 'thanks' }));
  flaky = await startReceiver(() => ({ status: 500, body: HOSTILE_BODY }));
  broken = await startReceiver(() => ({ status: 503, body: 'no' }));
  browser = await launchChromium();
  page = await newPage();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([ok, flaky, broken].map((r) => r?.close()));
  await svc?.stop();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const p = await context.newPage();
  p.setDefaultTimeout(8000);
  p.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  p.on('pageerror', (e) => pageErrors.push(e.message));
  p.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  return p;
}

async function signIn(p: Page, who: { email: string; password: string }) {
  await p.goto(`${svc.url}/dashboard`);
  await p.getByLabel('Email').fill(who.email);
  await p.getByLabel('Password').fill(who.password);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.locator('#who', { hasText: who.email }).waitFor();
}

/** The endpoint with this URL, as the API lists it (the admin key reads what the page wrote). */
async function endpointByUrl(url: string): Promise<{ id: string; enabled: boolean; events: string[]; failingSince?: string; disabledReason?: string }> {
  const list = await call(svc.url, '/v1/webhooks');
  const found = list.body.items.find((e: { url: string }) => e.url === url);
  if (!found) throw new Error(`no endpoint for ${url}`);
  return found;
}

/** Whether the element has keyboard focus (the tests' TypeScript has no DOM library). */
const focused = (l: Locator): Promise<boolean> => l.evaluate((n) => n === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement);
const card = (id: string): Locator => page.locator(`li.endpoint[data-id="${id}"]`);
const rows = (id: string): Locator => card(id).locator('table.log tbody tr');

/** Adds an endpoint through the form; returns the secret the page showed. */
async function addEndpoint(url: string, events: string[], description?: string): Promise<string> {
  await page.getByLabel('URL', { exact: true }).fill(url);
  for (const t of ['comment.held', 'comment.approved', 'comment.rejected']) {
    await page.locator('#webhook-form').getByLabel(t).setChecked(events.includes(t));
  }
  if (description) await page.getByLabel(/^Description/).fill(description);
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  await page.locator('#secret-box').waitFor({ state: 'visible' });
  expect(await page.locator('#secret-url').textContent()).toBe(url);
  return page.locator('#secret-value').inputValue();
}

describe('the Settings page in Chromium', () => {
  it('is in the navigation for an admin and starts empty', async () => {
    await signIn(page, ADMIN);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.locator('#settings-view').waitFor({ state: 'visible' });
    expect(await page.locator('#queue-view').isHidden()).toBe(true);
    await page.locator('#endpoints-empty').waitFor({ state: 'visible' });
    expect(await page.locator('li.endpoint').count()).toBe(0);
  });

  it('refuses an endpoint with no events, with the reason, and creates nothing', async () => {
    await page.getByLabel('URL', { exact: true }).fill(ok.url);
    for (const t of ['comment.held', 'comment.approved', 'comment.rejected']) await page.locator('#webhook-form').getByLabel(t).uncheck();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.locator('#webhook-form-error', { hasText: 'at least one event' }).waitFor();
    expect((await call(svc.url, '/v1/webhooks')).body.items).toEqual([]);
  });

  let okId: string;
  let okSecret: string;

  it('adds an endpoint and shows its secret once', async () => {
    okSecret = await addEndpoint(ok.url, ['comment.held', 'comment.rejected'], HOSTILE_DESCRIPTION);
    expect(okSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const created = await endpointByUrl(ok.url);
    okId = created.id;
    expect(created.events).toEqual(['comment.held', 'comment.rejected']);
    await card(okId).waitFor();
    expect(await card(okId).locator('.url').textContent()).toBe(ok.url);
    expect(await card(okId).locator('.status').textContent()).toBe('enabled');
    expect(await card(okId).locator('.description').textContent()).toBe(HOSTILE_DESCRIPTION);
    expect(await card(okId).locator('.endpoint-meta').textContent()).toContain('comment.held, comment.rejected');

    await page.getByRole('button', { name: 'I have copied it' }).click();
    await page.locator('#secret-box').waitFor({ state: 'hidden' });
    // Gone from the page, and not shown again after a reload: the API never returns it twice.
    await page.reload();
    await card(okId).waitFor();
    expect(await page.locator('#secret-box').isHidden()).toBe(true);
    expect(await page.locator('#secret-value').inputValue()).toBe('');
    expect(await page.content()).not.toContain('whsec_');
  });

  it('pings it and shows the delivery in the log with its status and response code', async () => {
    await card(okId).getByRole('button', { name: 'Send ping' }).click();
    // The log opens by itself and follows the delivery until it is done.
    const row = rows(okId).first();
    await card(okId).locator('tr[data-status="succeeded"]').waitFor();
    expect(await rows(okId).count()).toBe(1);
    const cells = await row.locator('td').allTextContents();
    expect(cells[1]).toBe('ping');
    expect(cells[2]).toBe('succeeded');
    expect(cells[3]).toBe('1');
    expect(cells[4]).toBe('200');
    expect(cells[5]).toMatch(/^\d+ ms$/);
    expect(await card(okId).getByRole('button', { name: 'Deliveries', exact: true }).count()).toBe(0);
    expect(await card(okId).getByRole('button', { name: 'Hide deliveries' }).getAttribute('aria-expanded')).toBe('true');
    // What the receiver got is signed with the secret the page showed.
    expect(ok.requests).toHaveLength(1);
    expect(verified(okSecret, ok.requests[0])).toMatchObject({ type: 'ping', data: { endpointId: okId } });
  });

  it('pages the delivery log, newest first', async () => {
    for (let i = 0; i < 20; i++) expect((await call(svc.url, `/v1/webhooks/${okId}/ping`, { method: 'POST' })).status).toBe(202);
    await card(okId).getByRole('button', { name: 'Refresh' }).click();
    await card(okId).locator('.pager', { hasText: '1–20' }).waitFor();
    expect(await rows(okId).count()).toBe(20);
    expect(await card(okId).getByRole('button', { name: 'Newer' }).isDisabled()).toBe(true);
    await card(okId).getByRole('button', { name: 'Older' }).click();
    await card(okId).locator('.pager', { hasText: '21–21' }).waitFor();
    // The last page holds the first delivery: the ping sent from the page, long since succeeded.
    expect(await rows(okId).count()).toBe(1);
    expect(await rows(okId).first().getAttribute('data-status')).toBe('succeeded');
    expect(await card(okId).getByRole('button', { name: 'Older' }).isDisabled()).toBe(true);
    await card(okId).getByRole('button', { name: 'Newer' }).click();
    await card(okId).locator('.pager', { hasText: '1–20' }).waitFor();
  });

  it('fits a 390 px wide phone with the delivery log open, without sideways scrolling', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await rows(okId).first().waitFor();
      const { scrollWidth, clientWidth } = await page.locator('html').evaluate((n: { scrollWidth: number; clientWidth: number }) => ({ scrollWidth: n.scrollWidth, clientWidth: n.clientWidth }));
      expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
    } finally {
      await page.setViewportSize({ width: 1200, height: 900 });
    }
  });

  it('shows a failing delivery, then re-sends it from the page once the receiver is back', async () => {
    await addEndpoint(flaky.url, ['comment.approved']);
    await page.getByRole('button', { name: 'I have copied it' }).click();
    const { id } = await endpointByUrl(flaky.url);
    // No description: nothing shown for it.
    expect(await card(id).locator('.endpoint-head').textContent()).toBe(`${flaky.url}enabled`);
    await card(id).getByRole('button', { name: 'Send ping' }).click();

    // 500, retried on the schedule, failed for good after three attempts.
    const failed = card(id).locator('tr[data-status="failed"]');
    await failed.waitFor();
    const cells = await failed.locator('td').allTextContents();
    expect(cells.slice(1, 5)).toEqual(['ping', 'failed', '3', '500']);
    expect(cells[6]).toContain('HTTP 500');
    expect(flaky.requests).toHaveLength(3);
    // The receiver's body is shown, as text.
    await failed.locator('summary').click();
    expect(await failed.locator('pre.body').textContent()).toBe(HOSTILE_BODY);
    expect(await card(id).locator('pre.body script, pre.body img').count()).toBe(0);
    await card(id).locator('dd.warn', { hasText: 'ago' }).waitFor();
    expect(await card(id).locator('.endpoint-meta').textContent()).toContain('Failing since');

    flaky.answer(() => ({ status: 200 }));
    await failed.getByRole('button', { name: 'Re-send' }).click();
    const succeeded = card(id).locator('tr[data-status="succeeded"]');
    await succeeded.waitFor();
    expect((await succeeded.locator('td').allTextContents()).slice(2, 5)).toEqual(['succeeded', '4', '200']);
    expect(await succeeded.locator('td').nth(1).textContent()).toContain('re-sent 1×');
    // Same message (webhook-id) each time, so a receiver that did get it drops the repeat.
    expect(flaky.requests).toHaveLength(4);
    expect(new Set(flaky.requests.map((r) => r.headers['webhook-id'])).size).toBe(1);
    // A success ends the failing streak.
    await eventually(async () => ((await card(id).locator('.endpoint-meta').textContent())?.includes('Failing since') ? undefined : true));
    expect((await endpointByUrl(flaky.url)).failingSince).toBeUndefined();
  });

  it('shows an endpoint that failed for longer than WEBHOOK_DISABLE_AFTER as disabled, with the reason', async () => {
    await addEndpoint(broken.url, ['comment.held']);
    await page.getByRole('button', { name: 'I have copied it' }).click();
    const { id } = await endpointByUrl(broken.url);
    await card(id).getByRole('button', { name: 'Send ping' }).click();
    await card(id).locator('tr[data-status="failed"]').waitFor();
    const after = await endpointByUrl(broken.url);
    expect(after.failingSince).toBeDefined();
    // Three attempts normally take far less than the limit; on a very slow machine the last may
    // already be past it, and then the endpoint is disabled without a second ping.
    if (after.enabled) {
      const since = Date.parse(after.failingSince!);
      // Waiting for the clock, not for the page: the next failure is past the limit.
      await eventually(async () => (Date.now() > since + DISABLE_AFTER_MS + 50 ? true : undefined), 5000);
      await card(id).getByRole('button', { name: 'Send ping' }).click();
    }
    await card(id).locator('.status', { hasText: 'disabled' }).first().waitFor();
    const meta = await card(id).locator('.endpoint-meta').textContent();
    expect(meta).toMatch(/Disabled.*failing continuously since the first failure at least 2 s ago \(last: HTTP 503\)/);
    expect(await card(id).getByRole('button', { name: 'Send ping' }).isDisabled()).toBe(true);
    expect(await card(id).getByRole('button', { name: 'Re-send' }).first().isDisabled()).toBe(true);
    expect((await endpointByUrl(broken.url)).enabled).toBe(false);
  });

  it('disables, enables, edits events, rotates the secret and deletes, with the keyboard', async () => {
    const c = card(okId);
    await c.getByRole('button', { name: 'Disable', exact: true }).click();
    await c.locator('.endpoint-head .status', { hasText: 'disabled' }).waitFor();
    expect((await endpointByUrl(ok.url)).enabled).toBe(false);
    await c.getByRole('button', { name: 'Enable', exact: true }).click();
    await c.locator('.endpoint-head .status', { hasText: 'enabled' }).waitFor();
    expect((await endpointByUrl(ok.url)).enabled).toBe(true);

    // Edit events: the panel takes focus; Space toggles a box, Enter saves.
    await c.getByRole('button', { name: 'Edit events' }).focus();
    await page.keyboard.press('Enter');
    const approved = c.locator('.events-editor').getByLabel('comment.approved');
    expect(await focused(approved)).toBe(true);
    await page.keyboard.press('Space');
    await c.getByRole('button', { name: 'Save events' }).press('Enter');
    await c.locator('.events-editor').waitFor({ state: 'detached' });
    await c.locator('.endpoint-meta', { hasText: 'comment.approved, comment.held, comment.rejected' }).waitFor();
    expect((await endpointByUrl(ok.url)).events.sort()).toEqual(['comment.approved', 'comment.held', 'comment.rejected']);

    await c.getByRole('button', { name: 'Rotate secret' }).click();
    await page.locator('#secret-box').waitFor({ state: 'visible' });
    const rotated = await page.locator('#secret-value').inputValue();
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(okSecret);
    expect(await page.locator('#secret-note').textContent()).toMatch(/previous secret keeps signing .* until /);
    await c.locator('.endpoint-meta', { hasText: 'Old secret' }).waitFor();
    await page.getByRole('button', { name: 'I have copied it' }).click();

    // Delete asks first, with focus on Cancel; Escape backs out.
    await c.getByRole('button', { name: 'Delete', exact: true }).focus();
    await page.keyboard.press('Enter');
    expect(await focused(c.getByRole('button', { name: 'Cancel' }))).toBe(true);
    await page.keyboard.press('Escape');
    await c.locator('.confirm').waitFor({ state: 'detached' });
    expect((await call(svc.url, `/v1/webhooks/${okId}`)).status).toBe(200);
    await c.getByRole('button', { name: 'Delete', exact: true }).click();
    await c.getByRole('button', { name: 'Yes, delete' }).click();
    await c.waitFor({ state: 'detached' });
    expect((await call(svc.url, `/v1/webhooks/${okId}`)).status).toBe(404);
  });

  it('ran none of the hostile text and caused no script error or CSP violation', async () => {
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('#settings-view img, #settings-view script').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
  });

  it('is not offered to a moderator, and the API refuses one', async () => {
    const mod = await newPage();
    await signIn(mod, MODERATOR);
    await mod.locator('#queue-view').waitFor({ state: 'visible' });
    expect(await mod.locator('nav a[data-view="settings"]').isHidden()).toBe(true);
    expect(await mod.getByRole('link', { name: 'Settings' }).count()).toBe(0);
    // Typing the address shows the queue, not the page.
    await mod.goto(`${svc.url}/dashboard#settings`);
    await mod.locator('#queue-view').waitFor({ state: 'visible' });
    expect(await mod.locator('#settings-view').isHidden()).toBe(true);
    // The session cookie (from the page) and the moderator's API key both get 403.
    const fromPage = await mod.evaluate(async () => (await fetch('/v1/webhooks', { credentials: 'same-origin' })).status);
    expect(fromPage).toBe(403);
    expect((await call(svc.url, '/v1/webhooks', { key: moderatorKey })).status).toBe(403);
    expect(pageErrors).toEqual([]);
    await mod.context().close();
  });
});
