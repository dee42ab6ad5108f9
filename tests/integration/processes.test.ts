import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { Redis } from 'ioredis';
import { rolesFor } from '../../src/supervisor';
import { deletePrefix, eventually, TEST_REDIS_URL, uniquePrefix } from '../helpers/service';

// `npm start` (the `all` role) over several processes: the API in some, the workers in the
// others, a crashed process restarted, and one SIGTERM stopping them all.

const ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

it('splits the processes between the API and the workers, one process running both', () => {
  expect(rolesFor(1)).toEqual(['api']);
  expect(rolesFor(2)).toEqual(['api', 'worker']);
  expect(rolesFor(3)).toEqual(['api', 'api', 'worker']);
  expect(rolesFor(4)).toEqual(['api', 'api', 'worker', 'worker']);
});

it('says once, in one line, that Redis is unreachable when every process fails alike', async () => {
  const child = spawn(TSX, ['src/main.ts', 'all'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', REDIS_URL: 'redis://127.0.0.1:1', PORT: '0', PROCESSES: '2' },
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const code = await new Promise((resolve) => child.on('exit', resolve));
  expect(code).toBe(1);
  expect(stderr.split('\n').filter((l) => l.trim() !== '')).toEqual([expect.stringMatching(/^decorum: cannot reach Redis at redis:\/\/127\.0\.0\.1:1/)]);
}, 90_000);

describe('the all role in two processes', () => {
  const prefix = uniquePrefix('processes');
  const redis = new Redis(TEST_REDIS_URL);
  let child: ChildProcess;
  let out = '';
  let exited: Promise<number | null>;
  const logs = () => out.split('\n').flatMap((l) => (l.startsWith('{') ? [JSON.parse(l) as Record<string, unknown>] : []));
  const pidsOf = (msg: string) => logs().filter((l) => l.msg === msg).map((l) => l.pid as number);

  beforeAll(async () => {
    child = spawn(TSX, ['src/main.ts', 'all'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1', REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, PROCESSES: '2' },
    });
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    // Each process writes its own log lines: they can reach the pipe after the supervisor's.
    const up = () => ['all processes started', 'api listening', 'moderation worker started'].every((m) => pidsOf(m).length > 0);
    await eventually(async () => (up() ? true : undefined), 60_000);
  }, 90_000);
  afterAll(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await deletePrefix(redis, prefix);
    await redis.quit();
  });

  const port = () => logs().find((l) => l.msg === 'api listening')!.port as number;
  const submit = async (id: string, text: string) => {
    const r = await fetch(`http://127.0.0.1:${port()}/v1/comments?wait=10000`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer dev-admin-key' },
      body: JSON.stringify({ id, articleId: 'a-1', author: { id: `u-${id}` }, text }),
    });
    return (await r.json()) as { status: string };
  };

  it('serves the API in one process and decides in the other', async () => {
    const [api] = pidsOf('api listening');
    const [worker] = pidsOf('moderation worker started');
    expect(api).toBeDefined();
    expect(worker).toBeDefined();
    expect(api).not.toBe(worker);
    expect(pidsOf('moderation worker started')).not.toContain(api);
    expect((await submit('p-1', 'You are an idiot.')).status).toBe('rejected');
  });

  it('restarts a worker process that dies, and comments are decided again', async () => {
    const [worker] = pidsOf('moderation worker started');
    process.kill(worker, 'SIGKILL');
    await eventually(async () => (pidsOf('moderation worker started').length >= 2 ? true : undefined), 60_000);
    expect(logs().some((l) => l.msg === 'a process exited; restarting it' && l.role === 'worker')).toBe(true);
    expect((await submit('p-2', 'Thanks for the careful reporting.')).status).toBe('approved');
  }, 90_000);

  it('stops every process on SIGTERM and exits 0', async () => {
    const pids = [...pidsOf('api listening'), ...pidsOf('moderation worker started')];
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const alive = pids.filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    expect(alive).toEqual([]);
  }, 30_000);
});
