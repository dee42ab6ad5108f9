import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { Redis } from 'ioredis';
import { deletePrefix, eventually, TEST_REDIS_URL, uniquePrefix } from '../helpers/service';

const ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

function run(env: Record<string, string>, args: string[] = []): { child: ChildProcess; done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(TSX, ['src/main.ts', ...args], {
    cwd: ROOT,
    // One process: what it says and how it stops; tests/integration/processes.test.ts covers several.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'info', PROCESSES: '1', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done };
}

const lines = (s: string) => s.split('\n').filter((l) => l.trim() !== '');

describe('starting the service', () => {
  it('says in one line that Redis is unreachable, how to start one, and exits 1', async () => {
    const { done } = run({ REDIS_URL: 'redis://127.0.0.1:1', PORT: '0' });
    const { code, stderr } = await done;
    expect(code).toBe(1);
    expect(lines(stderr)).toHaveLength(1);
    expect(stderr).toMatch(/cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
    expect(stderr).toMatch(/redis-server/);
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it('names a bad configuration value in one line and exits 2', async () => {
    const { code, stderr } = await run({ PORT: 'eighty' }).done;
    expect(code).toBe(2);
    expect(lines(stderr)).toEqual([expect.stringMatching(/^decorum: invalid configuration: PORT: /)]);
  });

  it('refuses to serve the API in production without ADMIN_API_KEY', async () => {
    const prefix = uniquePrefix('startup-prod');
    const { code, stderr } = await run({ NODE_ENV: 'production', PORT: '0', REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix }, ['api']).done;
    expect(code).toBe(2);
    expect(stderr).toMatch(/ADMIN_API_KEY: required/);
  });

  it('refuses, in one line, a prefix holding comments in the layout before 6 December 2026', async () => {
    const prefix = uniquePrefix('startup-layout');
    const redis = new Redis(TEST_REDIS_URL);
    try {
      await redis.zadd(`${prefix}:idx:all`, 1, 'cmt_old');
      const { code, stderr } = await run({ PORT: '0', REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix }).done;
      expect(code).toBe(1);
      expect(lines(stderr)).toEqual([expect.stringMatching(/^decorum: Redis prefix ".*" holds comments stored in an earlier layout .*new REDIS_PREFIX/)]);
    } finally {
      await deletePrefix(redis, prefix);
      await redis.quit();
    }
  });

  it('starts, serves, and shuts down cleanly on SIGTERM', async () => {
    const prefix = uniquePrefix('startup');
    const redis = new Redis(TEST_REDIS_URL);
    const { child, done } = run({ PORT: '0', HOST: '127.0.0.1', REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix });
    try {
      let out = '';
      child.stdout!.on('data', (d) => (out += d));
      const port = await eventually(async () => {
        const m = /"port":(\d+)/.exec(out);
        return m ? Number(m[1]) : undefined;
      }, 20_000);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);
      child.kill('SIGTERM');
      const { code, stdout } = await done;
      expect(code).toBe(0);
      expect(stdout).toMatch(/shutting down/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await deletePrefix(redis, prefix);
      await redis.quit();
    }
  });
});
