import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser';
import { call, NO_LIMITS, startService, TEST_REDIS_URL, type TestService } from '../helpers/service';

/**
 * The README's quick start, line by line as written: every line of its shell block is either run
 * (in a shell, from the repository, like a new user's second terminal) or is a step this test
 * knows how to take (start the service, sign in through Chromium); a line it doesn't know fails
 * the test, so the quick start can't grow a step nobody checks.
 */
const ROOT = path.join(__dirname, '..', '..');
const PASSWORD = 'a quick start password';

/** The commands of the quick start's shell block, with `\` continuations joined. */
function quickStartLines(readme: string): string[] {
  const section = readme.split(/^## /m).find((s) => s.startsWith('Quick start\n'));
  if (!section) throw new Error('README has no "## Quick start" section');
  const block = /```sh\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error('the quick start has no sh block');
  return block[1]
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

function sh(command: string, env: NodeJS.ProcessEnv, stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile('/bin/sh', ['-c', command], { cwd: ROOT, env, timeout: 90_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    child.stdin?.end(stdin);
  });
}

/** The accounts in a listing, whatever its envelope. */
function accountsIn(body: unknown): { id: string; email: string }[] {
  if (Array.isArray(body)) return body.flatMap(accountsIn);
  if (typeof body !== 'object' || body === null) return [];
  const o = body as Record<string, unknown>;
  if (typeof o.id === 'string' && typeof o.email === 'string') return [{ id: o.id, email: o.email }];
  return Object.values(o).flatMap(accountsIn);
}

let svc: TestService | undefined;
let browser: Browser | undefined;

afterAll(async () => {
  await browser?.close();
  await svc?.stop();
});

it('works top to bottom as written: start, add an admin, sign in, seed (twice), see comments held, decide them', async () => {
  const lines = quickStartLines(readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
  let port = 0;
  let email = '';
  let page: Page | undefined;
  let childEnv: NodeJS.ProcessEnv = {};
  const local = (command: string) => command.replaceAll('localhost:3000', `127.0.0.1:${port}`);
  const steps: string[] = [];

  for (const line of lines) {
    if (line.startsWith('npm install && npm start')) {
      // `npm start` is the build and then `main.js all`; the build and the install are CI's own
      // steps, so the same `all` role starts here, in this process, with the settings a fresh
      // install has: the default admin key and the default rate limits (the seed must live with them).
      expect(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.start).toMatch(/node dist\/src\/main\.js all$/);
      const defaults = Object.fromEntries(Object.keys(NO_LIMITS).map((k) => [k, undefined])) as unknown as Record<string, string>;
      svc = await startService('quickstart', 'all', { ...defaults, ADMIN_API_KEY: 'dev-admin-key' });
      port = Number(new URL(svc.url).port);
      // A second terminal: the user's shell, where the service's own settings are defaults, except
      // where this test must differ from a fresh machine (its port, its Redis prefix).
      childEnv = { ...process.env, PORT: String(port), REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: svc.prefix };
      for (const name of ['ADMIN_API_KEY', 'DECORUM_URL', 'DECORUM_API_KEY', 'NODE_ENV']) delete childEnv[name];
      steps.push('start');
    } else if (line.startsWith('npx decorum moderator add ')) {
      email = /--email (\S+)/.exec(line)?.[1] ?? '';
      const r = await sh(line, childEnv, `${PASSWORD}\n`);
      expect(r.stderr.replace(/^Password.*\n?/m, '')).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^created admin ${email} `));
      steps.push('moderator');
    } else if (/^# Open http:\/\/localhost:3000\/dashboard and sign in/.test(line)) {
      browser = await launchChromium();
      page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
      page.setDefaultTimeout(15_000);
      await page.goto(local('http://localhost:3000/dashboard'));
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('#empty').waitFor(); // nothing held yet
      steps.push('sign in');
    } else if (line.startsWith('#')) {
      continue; // prose
    } else if (line.startsWith('npm run seed')) {
      const first = await sh(line, childEnv);
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      const posted = /^posted (\d+), already there 0, failed 0$/m.exec(first.stdout);
      expect(Number(posted?.[1])).toBeGreaterThan(0);
      const held = Number(/\bheld (\d+)/.exec(first.stdout)?.[1]);
      expect(held).toBeGreaterThan(0);
      // The held comments reach the open dashboard by themselves.
      await page!.locator('[data-count="held"]', { hasText: String(held) }).waitFor();
      expect(await page!.locator('li.card').count()).toBeGreaterThan(0);
      // Run again within the minute: nothing is posted twice, and no per-author limit is hit.
      const again = await sh(line, childEnv);
      expect(again.stderr).toBe('');
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(new RegExp(`^posted 0, already there ${posted?.[1]}, failed 0$`, 'm'));
      steps.push('seed');
    } else if (line.startsWith('curl ') && line.includes('/v1/review?status=held')) {
      const r = await sh(local(line), childEnv);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('"id":"seed-005"');
      expect(r.stdout).not.toMatch(/"status":"(approved|rejected|queued)"/);
      steps.push('list held');
    } else if (line.startsWith('curl ') && line.includes('/decision')) {
      const id = /\/v1\/comments\/([^/]+)\/decision/.exec(line)?.[1] ?? '';
      const before = await call(svc!.url, `/v1/comments/${id}`, { key: 'dev-admin-key' });
      expect(before.body.status).toBe('held');
      const r = await sh(local(line), childEnv);
      expect(r.code).toBe(0);
      const decided = JSON.parse(r.stdout);
      expect(decided.status).toBe('rejected');
      const after = await call(svc!.url, `/v1/comments/${id}`, { key: 'dev-admin-key' });
      expect(after.body.history.map((v: { decidedBy: string; decision: string }) => [v.decidedBy, v.decision])).toEqual([['auto', 'held']]);
      // The dashboard follows the decision made elsewhere.
      await page!.locator(`li.card[data-id="${id}"]`).waitFor({ state: 'detached' });
      steps.push('decide by API');
    } else {
      throw new Error(`the quick start has a line this test doesn't drive: ${line}`);
    }
  }
  expect(steps).toEqual(['start', 'moderator', 'sign in', 'seed', 'list held', 'decide by API']);

  // "Decide the others in the dashboard": approve the first held one with the mouse.
  const card = page!.locator('li.card').first();
  const id = (await card.getAttribute('data-id')) ?? '';
  await card.getByRole('button', { name: 'Approve' }).click();
  await page!.locator(`li.card[data-id="${id}"]`).waitFor({ state: 'detached' });
  const approved = await call(svc!.url, `/v1/comments/${id}`, { key: 'dev-admin-key' });
  expect(approved.body.status).toBe('approved');
  const accounts = await call(svc!.url, '/v1/moderators', { key: 'dev-admin-key' });
  expect(accountsIn(accounts.body).find((a) => a.email === email)?.id).toBe(approved.body.verdict.decidedBy);
}, 180_000);
