import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

// Debian's `wordpress` package (apt-get install wordpress php-cli php-mysql; .ci/run installs them).
const WORDPRESS = process.env.WORDPRESS_PATH ?? '/usr/share/wordpress';
const PLUGIN = path.resolve(__dirname, '../../integrations/wordpress');
const CLI = path.join(__dirname, 'wordpress/cli.php');
const TEST_SETUP = path.join(__dirname, 'wordpress/test-setup.php');
// MariaDB on loopback; the test creates and drops a database of its own on it.
const DB = {
  host: process.env.WP_TEST_DB_HOST ?? '127.0.0.1:3306',
  user: process.env.WP_TEST_DB_USER ?? 'root',
  password: process.env.WP_TEST_DB_PASSWORD ?? '',
};

export interface WpComment {
  id: number;
  /** WordPress's comment_approved: '1' approved, '0' pending, 'spam', 'trash'. */
  approved: string;
  content: string;
  state: string;
  status: string;
  verdict: { decision: string; decidedBy: string; flagged: Record<string, { evidence: { text: string; rule: string }[] }> } | null;
  error: string;
}

export interface WordPress {
  url: string;
  /** The plugin's REST route, in the form a site without pretty permalinks serves. */
  webhookUrl: string;
  admin: { user: string; password: string };
  /** The comment form's submission (wp-comments-post.php), as a reader's browser sends it; the new comment's id. */
  postComment(fields: { author: string; email: string; comment: string }): Promise<number>;
  comments(): Promise<WpComment[]>;
  comment(id: number): Promise<WpComment>;
  cli(command: string, args?: unknown): Promise<any>;
  /** What a system cron does on a site that runs WP-Cron from it: request wp-cron.php. */
  runCron(): Promise<void>;
  /** PHP's warnings and errors so far (WP_DEBUG_LOG). */
  debugLog(): Promise<string>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function wpConfig(dir: string, url: string, dbName: string): { db: string; main: string } {
  const php = (s: string) => `'${s.replace(/[\\']/g, (c) => `\\${c}`)}'`;
  const salts = ['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT']
    .map((k) => `define('${k}', '${randomBytes(32).toString('hex')}');`)
    .join('\n');
  const db = `<?php
define('DB_NAME', ${php(dbName)});
define('DB_USER', ${php(DB.user)});
define('DB_PASSWORD', ${php(DB.password)});
define('DB_HOST', ${php(DB.host)});
define('WP_HOME', ${php(url)});
`;
  const main = `<?php
require __DIR__ . '/wp-config-db.php';
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
${salts}
$table_prefix = 'wp_';
define('WP_SITEURL', WP_HOME);
define('ABSPATH', ${php(`${dir}/`)});
define('WP_CONTENT_DIR', ${php(`${dir}/wp-content`)});
// The test requests wp-cron.php itself, as a system cron would, rather than WordPress spawning it.
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
// No calls home (wordpress.org): this machine's network is closed. Loopback stays reachable.
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('WP_DEBUG', true);
define('WP_DEBUG_DISPLAY', false);
define('WP_DEBUG_LOG', ${php(`${dir}/debug.log`)});
require_once ABSPATH . 'wp-settings.php';
`;
  return { db, main };
}

/**
 * A WordPress of its own: a copy of Debian's package in a temporary folder with its own
 * wp-config.php (Debian's reads /etc/wordpress), its own database, the plugin copied in as a site
 * owner installs it and activated, served by PHP's built-in server on loopback.
 */
export async function startWordPress(): Promise<WordPress> {
  const dir = await mkdtemp(path.join(tmpdir(), 'decorum-wp-'));
  for (const entry of await readdir(WORDPRESS)) {
    if (entry === 'wp-config.php' || entry === 'wp-content' || entry === '.htaccess') continue;
    await cp(path.join(WORDPRESS, entry), path.join(dir, entry), { recursive: true, verbatimSymlinks: true });
  }
  for (const sub of ['plugins', 'mu-plugins', 'themes', 'uploads']) await mkdir(path.join(dir, 'wp-content', sub), { recursive: true });
  await cp(PLUGIN, path.join(dir, 'wp-content/plugins/decorum'), { recursive: true });
  await cp(TEST_SETUP, path.join(dir, 'wp-content/mu-plugins/decorum-test-setup.php'));

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dbName = `decorum_wp_test_${process.pid}_${randomBytes(3).toString('hex')}`;
  const config = wpConfig(dir, url, dbName);
  await writeFile(path.join(dir, 'wp-config-db.php'), config.db);
  await writeFile(path.join(dir, 'wp-config.php'), config.main);

  const cli = async (command: string, args: unknown = {}) => {
    const { stdout } = await run('php', [CLI, command, dir, JSON.stringify(args)], { maxBuffer: 16 << 20 });
    return JSON.parse(stdout.trim().split('\n').pop() ?? 'null');
  };

  let server: ChildProcess | undefined;
  let dbCreated = false;
  const stop = async () => {
    if (server?.pid && server.exitCode === null && server.signalCode === null) {
      const pid = server.pid;
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      // Its own process group: the built-in server's workers go with it (they outlive their parent otherwise).
      process.kill(-pid, 'SIGTERM');
      const late = setTimeout(() => process.kill(-pid, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(late);
    }
    if (dbCreated) await cli('dropdb');
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await cli('createdb');
    dbCreated = true;
    const admin = { user: 'admin', password: randomBytes(12).toString('hex') };
    await cli('install', { ...admin, email: 'admin@example.org' });
    // Several workers: Decorum's webhooks arrive while a comment's submission is still waiting for its verdict.
    server = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', dir], {
      env: { ...process.env, PHP_CLI_SERVER_WORKERS: '4' },
      stdio: 'ignore',
      detached: true,
    });
    const deadline = Date.now() + 15_000;
    for (;;) {
      const up = await fetch(`${url}/wp-login.php`).then((r) => r.ok, () => false);
      if (up) break;
      if (Date.now() > deadline || server.exitCode !== null) throw new Error(`PHP's built-in server did not serve ${url}`);
      await new Promise((r) => setTimeout(r, 50));
    }

    const comments = (): Promise<WpComment[]> => cli('comments');
    return {
      url,
      webhookUrl: `${url}/index.php?rest_route=/decorum/v1/webhooks`,
      admin,
      cli,
      comments,
      async comment(id) {
        const found = (await comments()).find((c) => c.id === id);
        if (!found) throw new Error(`WordPress has no comment ${id}`);
        return found;
      },
      async postComment(fields) {
        const res = await fetch(`${url}/wp-comments-post.php`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ comment_post_ID: '1', comment_parent: '0', url: '', ...fields }).toString(),
        });
        const location = res.headers.get('location') ?? '';
        const id = /#comment-(\d+)$/.exec(location)?.[1];
        if (res.status !== 302 || !id) throw new Error(`the comment form answered ${res.status}: ${(await res.text()).slice(0, 500)}`);
        return Number(id);
      },
      async runCron() {
        const res = await fetch(`${url}/wp-cron.php`);
        if (!res.ok) throw new Error(`wp-cron.php answered ${res.status}`);
      },
      debugLog: () => readFile(path.join(dir, 'debug.log'), 'utf8').catch(() => ''),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
