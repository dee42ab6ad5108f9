import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser';
import { call, startService, type TestService } from '../helpers/service';

/**
 * Account management on the dashboard's Settings page, in Chromium: each change made in the
 * page is checked through the API, with the account's own key and password.
 */
const ADMIN = { email: 'root@example.org', password: 'correct horse battery staple' };
const MODERATOR = { email: 'mia@example.org', password: 'another long enough password' };

let svc: TestService;
let browser: Browser;
let page: Page;
let moderatorId: string;
let moderatorKey: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  svc = await startService('e2e-accounts', 'api');
  expect((await call(svc.url, '/v1/moderators', { body: { ...ADMIN, role: 'admin' } })).status).toBe(201);
  const m = await call(svc.url, '/v1/moderators', { body: { ...MODERATOR, role: 'moderator' } });
  expect(m.status).toBe(201);
  moderatorId = m.body.id;
  moderatorKey = m.body.secret;
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1300, height: 900 } });
  page = await context.newPage();
  page.setDefaultTimeout(8000);
  page.on('pageerror', (e) => pageErrors.push(e.message));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await svc?.stop();
});

const row = (id: string): Locator => page.locator(`#account-rows tr[data-id="${id}"]`);
const moderator = async () => (await call(svc.url, '/v1/moderators')).body.items.find((m: { id: string }) => m.id === moderatorId);
const signInStatus = async (password: string) => (await call(svc.url, '/v1/session', { key: null, body: { email: MODERATOR.email, password } })).status;

describe('accounts on the Settings page', () => {
  it("lists the accounts, the admin's own marked", async () => {
    await page.goto(`${svc.url}/dashboard`);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#who', { hasText: ADMIN.email }).waitFor();
    await page.getByRole('link', { name: 'Settings' }).click();
    await row(moderatorId).waitFor();
    expect(await page.locator('#account-rows tr').count()).toBe(2);
    expect(await row(moderatorId).locator('td').first().textContent()).toBe(MODERATOR.email);
    expect(await row(moderatorId).locator('.account-status').textContent()).toBe('active');
    expect(await page.locator('#account-rows tr', { hasText: ADMIN.email }).textContent()).toContain('(you)');
  });

  it('disables and enables an account: its key is refused, then accepted', async () => {
    await row(moderatorId).getByRole('button', { name: 'Disable' }).click();
    await row(moderatorId).locator('.account-status', { hasText: 'disabled' }).waitFor();
    expect((await moderator()).disabled).toBe(true);
    expect((await call(svc.url, '/v1/review', { key: moderatorKey })).status).toBe(401);
    await row(moderatorId).getByRole('button', { name: 'Enable' }).click();
    await row(moderatorId).locator('.account-status', { hasText: 'active' }).waitFor();
    expect((await call(svc.url, '/v1/review', { key: moderatorKey })).status).toBe(200);
  });

  it('changes the role', async () => {
    await row(moderatorId).getByLabel(`Role of ${MODERATOR.email}`).selectOption('admin');
    await page.locator('#toast', { hasText: 'is now an admin' }).waitFor();
    expect((await moderator()).role).toBe('admin');
    expect((await call(svc.url, '/v1/keys', { key: moderatorKey })).status).toBe(200);
  });

  it('sets a password: the old one stops working, the new one signs in', async () => {
    const NEW = 'a brand new pass phrase';
    await row(moderatorId).getByLabel(`New pass phrase for ${MODERATOR.email}`).fill(NEW);
    await row(moderatorId).getByRole('button', { name: 'Set pass phrase' }).click();
    await page.locator('#toast', { hasText: 'Password set' }).waitFor();
    expect(await signInStatus(MODERATOR.password)).toBe(401);
    expect(await signInStatus(NEW)).toBe(201);
  }, 60_000);

  it('rotates the personal key and shows the new one once', async () => {
    await row(moderatorId).getByRole('button', { name: 'New API key' }).click();
    await page.locator('#account-key-box').waitFor({ state: 'visible' });
    const shown = await page.locator('#account-key-value').inputValue();
    expect(shown).toMatch(/^dk_/);
    expect((await call(svc.url, '/v1/review', { key: moderatorKey })).status).toBe(401);
    expect((await call(svc.url, '/v1/review', { key: shown })).status).toBe(200);
    await page.getByRole('button', { name: 'Hide the key' }).click();
    await page.locator('#account-key-box').waitFor({ state: 'hidden' });
    expect(await page.locator('#account-key-value').inputValue()).toBe('');
  });

  it("shows the API's refusal when the admin tries to disable itself, and changes nothing", async () => {
    const own = page.locator('#account-rows tr', { hasText: ADMIN.email });
    await own.getByRole('button', { name: 'Disable' }).click();
    await page.locator('#toast.error', { hasText: 'cannot disable itself' }).waitFor();
    expect(await own.locator('.account-status').textContent()).toBe('active');
    expect(pageErrors).toEqual([]);
  });
});
