import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';

export interface TestCluster {
  ports: number[];
  /** REDIS_CLUSTER_NODES for the service. */
  nodes: string;
  stop(): Promise<void>;
}

/** A free TCP port, and its cluster bus port (port + 10000) free as well. */
async function freePortPair(): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 30000);
    if ((await tryListen(port)) && (await tryListen(port + 10000))) return port;
  }
}

/** Kills the servers a helper started and removes their directory. */
async function killAll(procs: ChildProcess[], dir: string): Promise<void> {
  await Promise.all(
    procs.map(
      (p) =>
        new Promise<void>((resolve) => {
          if (p.exitCode !== null) return resolve();
          p.once('exit', () => resolve());
          p.kill('SIGKILL');
        }),
    ),
  );
  rmSync(dir, { recursive: true, force: true });
}

/** Waits until a Redis on `port` answers PING. */
async function answers(port: number): Promise<void> {
  const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => 50, maxRetriesPerRequest: null });
  await probe.connect().catch(() => undefined);
  await probe.ping();
  probe.disconnect();
}

const run = (cmd: string, args: string[]) =>
  new Promise<string>((resolve, reject) =>
    execFile(cmd, args, { timeout: 30_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${cmd} ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout))),
  );

/**
 * A real Redis Cluster of `masters` masters (no replicas) on loopback ports of its own, in a
 * temporary directory, started with redis-server --cluster-enabled and joined with
 * redis-cli --cluster create. stop() kills the servers and removes the directory.
 */
export async function startCluster(masters = 3): Promise<TestCluster> {
  const dir = mkdtempSync(path.join(tmpdir(), 'decorum-cluster-'));
  const ports: number[] = [];
  const procs: ChildProcess[] = [];
  const stop = () => killAll(procs, dir);
  try {
    for (let i = 0; i < masters; i++) {
      const port = await freePortPair();
      ports.push(port);
      procs.push(
        spawn(
          'redis-server',
          ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--dir', dir,
            '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction', '--cluster-node-timeout', '2000'],
          { stdio: 'ignore' },
        ),
      );
    }
    for (const port of ports) await answers(port);
    await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes']);
    // Every node must agree the cluster is up (all slots covered) before clients are pointed at it.
    const deadline = Date.now() + 20_000;
    for (const port of ports) {
      for (;;) {
        const info = await run('redis-cli', ['-p', String(port), 'cluster', 'info']);
        if (/cluster_state:ok/.test(info)) break;
        if (Date.now() > deadline) throw new Error(`cluster on ${ports.join(',')} not ok: ${info}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    return { ports, nodes: ports.map((p) => `redis://127.0.0.1:${p}`).join(','), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

export interface TestSentinel {
  masterPort: number;
  /** REDIS_SENTINELS for the service. */
  sentinels: string;
  name: string;
  stop(): Promise<void>;
}

/** A master and one Sentinel watching it under `name`, on loopback ports of their own. */
export async function startSentinel(name = 'decorum-test'): Promise<TestSentinel> {
  const dir = mkdtempSync(path.join(tmpdir(), 'decorum-sentinel-'));
  const procs: ChildProcess[] = [];
  const stop = () => killAll(procs, dir);
  try {
    const masterPort = await freePortPair();
    const sentinelPort = await freePortPair();
    procs.push(spawn('redis-server', ['--port', String(masterPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' }));
    const conf = path.join(dir, 'sentinel.conf');
    writeFileSync(
      conf,
      [`port ${sentinelPort}`, 'bind 127.0.0.1', `dir ${dir}`, `sentinel monitor ${name} 127.0.0.1 ${masterPort} 1`, `sentinel down-after-milliseconds ${name} 2000`].join('\n'),
    );
    procs.push(spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' }));
    for (const port of [masterPort, sentinelPort]) await answers(port);
    return { masterPort, sentinels: `redis://127.0.0.1:${sentinelPort}`, name, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
