// `npm run screenshot`: docs/dashboard.png, the review queue as a moderator sees it. Starts the
// service in this process on a throwaway key prefix of the local Redis, posts the demo comments
// in seeds/ (plus two hostile ones), signs in with Debian's Chromium and photographs the queue.
import path from 'node:path';
import { launchChromium } from '../tests/helpers/browser';
import commentsJson from '../seeds/comments.json';
import { projectRoot } from '../src/config';
import { call, startService } from '../tests/helpers/service';

const OUT = path.join(projectRoot(), 'docs', 'dashboard.png');
const EMAIL = 'editor@example.org';
const PASSWORD = 'a long screenshot password';

async function main(): Promise<void> {
  const svc = await startService('screenshot');
  const browser = await launchChromium();
  try {
    await call(svc.url, '/v1/moderators', { body: { email: EMAIL, password: PASSWORD, role: 'moderator' } });
    const hostile = [
      { id: 'probe-img', articleId: 'art-hamburg-g20-meeting', author: { id: 'u-probe', name: 'Probe' }, text: '<img src=x onerror=alert(1)> what a moron' },
      { id: 'probe-script', articleId: 'art-hamburg-g20-meeting', author: { id: 'u-probe', name: 'Probe' }, text: '<script>alert(2)</script> Shut up, all of you.' },
    ];
    for (const c of [...commentsJson, ...hostile]) {
      const { parentId: _, ...body } = c as typeof c & { parentId?: string };
      await call(svc.url, '/v1/comments?wait=5000', { body });
    }
    const page = await browser.newPage({ viewport: { width: 1240, height: 1000 }, deviceScaleFactor: 1 });
    await page.goto(`${svc.url}/dashboard`);
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('li.card').first().waitFor();
    await page.keyboard.press('j');
    await page.waitForTimeout(300);
    await page.screenshot({ path: OUT });
    console.log(`wrote ${path.relative(process.cwd(), OUT)}`);
  } finally {
    await browser.close();
    await svc.stop();
  }
}

main().catch((err) => {
  console.error(`screenshot: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
