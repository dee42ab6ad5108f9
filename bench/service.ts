// Starting and stopping the service (or the bare stack) in a child process, as the load benches do.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** The admin key the benches start the service with. */
export const BENCH_ADMIN_KEY = 'bench-admin-key-0123456789';

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** `node <args>` with `env` added, resolved once its output matches `ready`. */
export async function startChild(args: string[], env: Record<string, string>, ready: RegExp): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (d: Buffer) => {
      seen += d.toString();
      if (ready.test(seen)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code} before it was ready`)));
  });
  child.stdout!.resume();
  return child;
}

export async function stopChild(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/**
 * The service's settings under load: production, and no submission limits, since throughput is
 * what is measured and a few hundred authors from one address would hit them.
 */
export function benchServiceEnv(port: number, redisUrl: string, prefix: string): Record<string, string> {
  return {
    PORT: String(port),
    HOST: '127.0.0.1',
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    ADMIN_API_KEY: BENCH_ADMIN_KEY,
    LOG_LEVEL: 'info',
    NODE_ENV: 'production',
    RATE_LIMIT_KEY_PER_MIN: '0',
    RATE_LIMIT_AUTHOR_PER_MIN: '0',
    RATE_LIMIT_IP_PER_MIN: '0',
    QUEUE_MAX_WAITING: '0',
    // Capacity is measured past the point admission would refuse: every request is let in.
    QUEUE_MAX_WAIT_MS: '0',
  };
}

/** A scoped key (comments:write, the default site) as a CMS submits with: looked up in Redis on every request. */
export async function createCmsKey(url: string): Promise<string> {
  const created = await fetch(`${url}/v1/keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_ADMIN_KEY}` },
    body: JSON.stringify({ name: 'bench CMS', scopes: ['comments:write'], site: 'default' }),
  });
  if (created.status !== 201) throw new Error(`creating the CMS key answered ${created.status}`);
  return ((await created.json()) as { secret: string }).secret;
}
