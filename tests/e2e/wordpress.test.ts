import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { launchChromium } from '../helpers/browser';
import { call, eventually, startService, storedCommentIds, type TestService } from '../helpers/service';
import { startWordPress, type WordPress, type WpComment } from '../helpers/wordpress';

/**
 * The WordPress plugin (integrations/wordpress) end to end: Debian's WordPress on PHP's built-in
 * server and MariaDB, the real service, webhooks over loopback, and both admin screens in Chromium.
 */

const PLUGIN_DIR = path.resolve(__dirname, '../../integrations/wordpress');
const SITE = 'gazette';
const MODERATOR = { email: 'mod@example.org', password: 'correct horse battery staple' };
const DECORUM_ENV = { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_SCHEDULE: '200ms,500ms,1s,2s,2s,2s' };
// Well above a verdict's time on a busy machine, so the comment form's answer carries the decision.
const WAIT_MS = 5000;

let decorum: TestService;
let wp: WordPress;
let browser: Browser;
let wpAdmin: Page;
let dashboard: Page;
const contexts: BrowserContext[] = [];
let cmsKey: string;
let webhookSecret: string;
let moderatorId: string;
let threatId: number;

const reader = (comment: string) => ({ author: 'Reader', email: 'reader@example.org', comment });

async function whenWordPress(id: number, check: (c: WpComment) => boolean, timeoutMs = 15_000): Promise<WpComment> {
  return eventually(async () => {
    const c = await wp.comment(id);
    return check(c) ? c : undefined;
  }, timeoutMs);
}

async function restartDecorum(): Promise<void> {
  const port = new URL(decorum.url).port;
  const prefix = decorum.prefix;
  await decorum.redis.quit();
  decorum = await startService('wordpress', 'all', { ...DECORUM_ENV, PORT: port, REDIS_PREFIX: prefix });
}

beforeAll(async () => {
  // Side by side (installing WordPress takes seconds), keeping whatever started so afterAll stops it.
  const started = await Promise.allSettled([startService('wordpress', 'all', DECORUM_ENV), startWordPress(), launchChromium()]);
  const [d, w, b] = started;
  if (d.status === 'fulfilled') decorum = d.value;
  if (w.status === 'fulfilled') wp = w.value;
  if (b.status === 'fulfilled') browser = b.value;
  for (const r of started) if (r.status === 'rejected') throw r.reason;
  // What the README's WordPress section has an admin do: a key for the site, a webhook endpoint.
  const key = await call(decorum.url, '/v1/keys', { body: { name: 'WordPress of the Gazette', scopes: ['comments:write'], site: SITE } });
  expect(key.status).toBe(201);
  cmsKey = key.body.secret;
  const endpoint = await call(decorum.url, '/v1/webhooks', {
    body: { url: wp.webhookUrl, events: ['comment.approved', 'comment.held', 'comment.rejected'], site: SITE, description: 'WordPress' },
  });
  expect(endpoint.status).toBe(201);
  webhookSecret = endpoint.body.secret;
  const mod = await call(decorum.url, '/v1/moderators', { body: { ...MODERATOR, role: 'moderator' } });
  expect(mod.status).toBe(201);
  moderatorId = mod.body.id;
  for (let i = 0; i < 2; i++) contexts.push(await browser.newContext({ viewport: { width: 1300, height: 900 } }));
  wpAdmin = await contexts[0].newPage();
  dashboard = await contexts[1].newPage();
  for (const p of [wpAdmin, dashboard]) p.setDefaultTimeout(10_000);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await wp?.stop();
  await decorum?.stop();
}, 60_000);

describe('the WordPress plugin against a real WordPress', () => {
  it("is valid PHP, file by file (the test's own PHP too)", async () => {
    const files: string[] = [];
    const walk = async (dir: string) => {
      for (const e of await readdir(dir, { withFileTypes: true })) {
        if (e.isDirectory()) await walk(path.join(dir, e.name));
        else if (e.name.endsWith('.php')) files.push(path.join(dir, e.name));
      }
    };
    await walk(PLUGIN_DIR);
    await walk(path.join(__dirname, '../helpers/wordpress'));
    expect(files.length).toBeGreaterThanOrEqual(11);
    for (const f of files) {
      const { stdout } = await promisify(execFile)('php', ['-l', f]);
      expect(stdout).toContain('No syntax errors detected');
    }
  });

  it('is configured by an admin on Settings → Decorum, which never shows the secrets back', async () => {
    await wpAdmin.goto(`${wp.url}/wp-login.php`);
    await wpAdmin.locator('#user_login').fill(wp.admin.user);
    await wpAdmin.locator('#user_pass').fill(wp.admin.password);
    await wpAdmin.locator('#wp-submit').click();
    await wpAdmin.waitForURL(/wp-admin/);

    await wpAdmin.goto(`${wp.url}/wp-admin/options-general.php?page=decorum`);
    expect(await wpAdmin.locator('#decorum-webhook-url').textContent()).toBe(wp.webhookUrl);
    await wpAdmin.getByLabel('Service URL').fill(decorum.url);
    await wpAdmin.getByLabel('API key').fill(cmsKey);
    await wpAdmin.getByLabel('Webhook signing secret').fill(webhookSecret);
    await wpAdmin.getByLabel('Site id').fill(SITE);
    await wpAdmin.locator('input[name="decorum_settings[mode]"][value="wait"]').check();
    await wpAdmin.locator('#decorum-wait-ms').fill(String(WAIT_MS));
    await wpAdmin.locator('#decorum-on_rejected').selectOption('spam');
    await wpAdmin.getByRole('button', { name: 'Save Changes' }).click();
    await wpAdmin.getByText('Settings saved.').waitFor();

    const html = await wpAdmin.content();
    expect(html).not.toContain(cmsKey);
    expect(html).not.toContain(webhookSecret);
    expect(html).toContain(`dk_…${cmsKey.slice(-4)}`);
    expect(await wpAdmin.getByLabel('Service URL').inputValue()).toBe(decorum.url);
    expect(await wpAdmin.getByLabel('API key').inputValue()).toBe('');

    // Saving again with the secret fields left empty keeps them.
    await wpAdmin.getByRole('button', { name: 'Save Changes' }).click();
    await wpAdmin.getByText('Settings saved.').waitFor();
    expect(await wpAdmin.content()).toContain(`whsec_…${webhookSecret.slice(-4)}`);

    // The same form without its nonce changes nothing, even from the signed-in admin's browser.
    const forged = await wpAdmin.request.post(`${wp.url}/wp-admin/options.php`, {
      form: { option_page: 'decorum', action: 'update', 'decorum_settings[service_url]': 'http://evil.example', 'decorum_settings[site_id]': SITE },
    });
    expect(forged.status()).toBe(403);
    await wpAdmin.reload();
    expect(await wpAdmin.getByLabel('Service URL').inputValue()).toBe(decorum.url);
  });

  it('approves a clean comment posted through the comment form', async () => {
    const id = await wp.postComment(reader('Thank you for this careful reporting on the summit.'));
    // Decided while the form's request waited: no polling needed.
    const c = await wp.comment(id);
    expect(c).toMatchObject({ approved: '1', state: 'decided', status: 'approved' });
    const stored = await call(decorum.url, `/v1/comments/wp-${SITE}-${id}`);
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({ site: SITE, articleId: 'post-1', status: 'approved', text: 'Thank you for this careful reporting on the summit.' });
    expect(stored.body.author.name).toBe('Reader');
  });

  it('puts a threat in spam, with the rule that fired', async () => {
    const id = await wp.postComment(reader('I will find you and kill you, you traitor.'));
    threatId = id;
    const c = await wp.comment(id);
    expect(c).toMatchObject({ approved: 'spam', status: 'rejected' });
    expect(c.verdict?.flagged.violence.evidence.length).toBeGreaterThan(0);
    expect(c.verdict?.flagged.violence.evidence.map((e) => e.rule).join(' ')).toMatch(/threat\//);
  });

  it('approves a held comment in WordPress once a moderator approves it in the dashboard, and shows why', async () => {
    const id = await wp.postComment(reader('What a moron. Honestly.'));
    expect(await wp.comment(id)).toMatchObject({ approved: '0', state: 'decided', status: 'held' });

    await dashboard.goto(`${decorum.url}/dashboard`);
    await dashboard.getByLabel('Email').fill(MODERATOR.email);
    await dashboard.getByLabel('Password').fill(MODERATOR.password);
    await dashboard.getByRole('button', { name: 'Sign in' }).click();
    const card = dashboard.locator(`li.card[data-id="wp-${SITE}-${id}"]`);
    await card.getByRole('button', { name: 'Approve' }).click();
    await card.waitFor({ state: 'detached' });

    const c = await whenWordPress(id, (x) => x.approved === '1');
    expect(c.status).toBe('approved');
    expect(c.verdict?.decidedBy).toBe(moderatorId);

    // The comment list's Decorum column: the decision, who made it, the categories and evidence, a link.
    await wpAdmin.goto(`${wp.url}/wp-admin/edit-comments.php?comment_status=approved`);
    const cell = wpAdmin.locator(`#comment-${id} td.column-decorum`);
    const text = await cell.innerText();
    expect(text).toContain('approved by a moderator');
    expect(text).toContain('discourtesy');
    expect(text).toContain('“moron”');
    expect(text).toContain('phrase/discourtesy/what-a#spans');
    const link = await cell.getByRole('link', { name: 'Open in Decorum' }).getAttribute('href');
    expect(link).toBe(`${decorum.url}/dashboard#approved/wp-${SITE}-${id}`);
    // The link opens that comment alone in the dashboard.
    await dashboard.goto(link!);
    await dashboard.locator('#queue-title', { hasText: `Comment wp-${SITE}-${id}` }).waitFor();
    await dashboard.locator(`li.card[data-id="wp-${SITE}-${id}"]`).waitFor();
    expect(await dashboard.locator('li.card').count()).toBe(1);
  });

  it('refuses a forged or stale webhook with 401 and changes nothing; a replayed one is ignored', async () => {
    const before = await wp.comment(threatId);
    expect(before.approved).toBe('spam');
    const body = (msgId: string) =>
      JSON.stringify({
        type: 'comment.approved',
        timestamp: new Date().toISOString(),
        data: { commentId: `wp-${SITE}-${threatId}`, status: 'approved', decidedBy: 'intruder', automatic: false, verdict: { decision: 'approved', categories: {}, decidedBy: 'intruder', decidedAt: new Date(Date.now() + 60_000).toISOString() } },
      });
    const deliver = (headers: Record<string, string>, payload: string) =>
      fetch(wp.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payload });
    const signed = (secret: string, msgId: string, at: Date, payload: string) => ({
      'webhook-id': msgId,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(msgId, at, payload),
    });

    const forged = body('msg_forged');
    const wrongSecret = `whsec_${Buffer.from('not the secret Decorum gave us').toString('base64')}`;
    expect((await deliver(signed(wrongSecret, 'msg_forged', new Date(), forged), forged)).status).toBe(401);
    expect((await deliver({}, forged)).status).toBe(401);
    // The right secret, but the body changed after signing.
    const headers = signed(webhookSecret, 'msg_forged', new Date(), forged);
    expect((await deliver(headers, forged.replace('intruder', 'intruded'))).status).toBe(401);
    // The right secret, ten minutes ago: a captured delivery replayed later.
    const stale = body('msg_stale');
    expect((await deliver(signed(webhookSecret, 'msg_stale', new Date(Date.now() - 600_000), stale), stale)).status).toBe(401);
    expect(await wp.comment(threatId)).toEqual(before);

    // A genuine delivery applies once; replayed within the tolerance (after a WordPress moderator
    // marked the comment spam again), it is recognised by its id and changes nothing.
    const genuine = body('msg_genuine');
    const now = new Date();
    // As during a secret rotation: a signature by the old secret, then one by the current.
    const genuineHeaders = signed(webhookSecret, 'msg_genuine', now, genuine);
    genuineHeaders['webhook-signature'] = `${new Webhook(wrongSecret).sign('msg_genuine', now, genuine)} ${genuineHeaders['webhook-signature']}`;
    const first = await deliver(genuineHeaders, genuine);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ result: 'applied' });
    expect((await wp.comment(threatId)).approved).toBe('1');
    await wp.cli('set-status', { id: threatId, status: 'spam' });
    const replay = await deliver(genuineHeaders, genuine);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ result: 'duplicate' });
    expect((await wp.comment(threatId)).approved).toBe('spam');
  });

  it('holds new comments while Decorum is down, loses none, and decides them all once it is back', async () => {
    await decorum.running.stop();
    const texts = { clean: 'A fair summary of the debate, thanks.', threat: 'I will hunt you down and kill you.', held: 'What a clown you are.' };
    const ids: Record<keyof typeof texts, number> = { clean: 0, threat: 0, held: 0 };
    for (const k of Object.keys(texts) as (keyof typeof texts)[]) {
      ids[k] = await wp.postComment(reader(texts[k]));
      expect(await wp.comment(ids[k])).toMatchObject({ approved: '0', state: 'unsent' });
    }

    await wpAdmin.goto(`${wp.url}/wp-admin/edit-comments.php?comment_status=moderated`);
    const notice = wpAdmin.locator('.notice.decorum-outage');
    expect(await notice.innerText()).toMatch(/Decorum could not be reached .*3 new comments are held as pending/s);
    expect(await wpAdmin.locator(`#comment-${ids.clean} td.column-decorum`).innerText()).toContain('Not sent yet');

    await restartDecorum();
    // WP-Cron's resend, run as a system cron runs it, until every one of them is decided.
    const decided = await eventually(async () => {
      await wp.runCron();
      const all = await Promise.all(Object.values(ids).map((id) => wp.comment(id)));
      return all.every((c) => c.state === 'decided') ? all : undefined;
    }, 30_000);
    expect(decided.map((c) => [c.content, c.approved, c.status])).toEqual([
      [texts.clean, '1', 'approved'],
      [texts.threat, 'spam', 'rejected'],
      [texts.held, '0', 'held'],
    ]);
    // None lost, none twice: Decorum holds exactly the comments WordPress has sent it.
    const sent = (await wp.comments()).filter((c) => c.state !== '').map((c) => `wp-${SITE}-${c.id}`);
    expect((await storedCommentIds(decorum.redis, decorum.prefix)).sort()).toEqual(sent.sort());

    await wpAdmin.reload();
    expect(await wpAdmin.locator('.notice.decorum-outage').count()).toBe(0);
  }, 60_000);

  it("sends held-back comments from the admin notice's button", async () => {
    await decorum.running.stop();
    const id = await wp.postComment(reader('Could the council publish the full budget?'));
    expect(await wp.comment(id)).toMatchObject({ approved: '0', state: 'unsent' });
    await restartDecorum();
    await wpAdmin.goto(`${wp.url}/wp-admin/edit-comments.php`);
    await wpAdmin.locator('.notice.decorum-outage').getByRole('button', { name: 'Send them now' }).click();
    await wpAdmin.waitForURL(/edit-comments\.php/);
    expect(await wpAdmin.locator('.notice.decorum-outage').count()).toBe(0);
    expect(await whenWordPress(id, (c) => c.state === 'decided')).toMatchObject({ approved: '1', status: 'approved' });
  }, 60_000);

  it('never makes a second comment in Decorum when the hook runs again', async () => {
    const before = (await storedCommentIds(decorum.redis, decorum.prefix)).length;
    const clean = (await wp.comments()).find((c) => c.content === 'A fair summary of the debate, thanks.')!;
    await wp.cli('repeat-hook', { id: clean.id });
    expect((await storedCommentIds(decorum.redis, decorum.prefix)).length).toBe(before);
    expect(await wp.comment(clean.id)).toMatchObject({ approved: '1', state: 'decided', status: 'approved' });
  });

  it('leaves nothing of its own behind when deleted', async () => {
    expect(await wp.cli('uninstall')).toEqual({ options: [], meta: 0, cron: false });
    expect((await wp.comments()).length).toBeGreaterThan(5);
  });

  it('raised no PHP warning or error in the plugin', async () => {
    const log = await wp.debugLog();
    expect(log.split('\n').filter((line) => line.includes('plugins/decorum'))).toEqual([]);
  });
});
