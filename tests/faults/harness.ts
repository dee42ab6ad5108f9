/**
 * Real processes for tests that break things: a throwaway redis-server and the service run as
 * child processes, all on 127.0.0.1. Every child is registered so that a test that fails halfway
 * (or a jest worker that exits) still kills what it started.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** Submission limits off: the fault runs post thousands of comments from one address. */
const NO_LIMITS = { RATE_LIMIT_KEY_PER_MIN: '0', RATE_LIMIT_AUTHOR_PER_MIN: '0', RATE_LIMIT_IP_PER_MIN: '0', QUEUE_MAX_WAITING: '0', QUEUE_MAX_WAIT_MS: '0' };

export const ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

const children = new Set<ChildProcess>();
/** Service processes run in process groups of their own (see ServiceProcess): their pids. */
const groups = new Set<number>();
process.once('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const pid of groups) killGroup(pid, 'SIGKILL');
});

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Signals every process in the group led by `pid` (ours: we started it detached). */
function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is gone already
  }
}

/** A port nothing listens on right now (the OS picks it; a tiny window remains before we use it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Whether a process exists (and is not a zombie waiting to be reaped). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

export function tmpDir(label: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `decorum-${label}-`));
}

/** Polls `check` every 25 ms until it returns a value, the deadline passes, or `abort` says why to stop. */
export async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs: number, abort?: () => string | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    const reason = abort?.();
    if (reason) throw new Error(`${what}: ${reason}`);
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** One raw PING: true on +PONG (not while loading the AOF, when Redis answers -LOADING). */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    let data = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      data += d;
      if (data.includes('\r\n')) done(data.startsWith('+PONG'));
    });
  });
}

/**
 * A redis-server of the test's own, on a free port, with its files in a temporary directory.
 * `stop` and `start` again keep the port and the directory, so an AOF survives the restart.
 */
export class RedisServer {
  private child?: ChildProcess;
  private output = '';

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly args: string[],
  ) {}

  /** `args` are extra redis-server options, e.g. ['--appendonly', 'yes']. */
  static async start(args: string[] = []): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), tmpDir('redis'), args);
    try {
      await server.start();
    } catch (err) {
      await server.cleanup();
      throw err;
    }
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(): Promise<void> {
    if (this.running) throw new Error('redis-server is already running');
    this.output = '';
    const child = track(
      spawn(
        'redis-server',
        ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--daemonize', 'no', '--save', '', ...this.args],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      ),
    );
    child.stdout!.on('data', (d) => (this.output += d));
    child.stderr!.on('data', (d) => (this.output += d));
    this.child = child;
    await until(
      `redis-server on port ${this.port} ready`,
      async () => ((await ping(this.port)) ? true : undefined),
      10_000,
      () => (this.running ? undefined : `exited early:\n${this.output}`),
    );
  }

  /** SIGTERM lets Redis write out and fsync its AOF; SIGKILL is a crash. Resolves once it is gone. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const gone = exited(child);
    child.kill(signal);
    await gone;
  }

  /** Freezes the process: connections stay open but nothing answers (a hung or partitioned Redis). */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }

  async cleanup(): Promise<void> {
    if (this.running) {
      this.resume();
      await this.stop('SIGKILL');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface LogLine {
  msg?: string;
  level?: number;
  [field: string]: unknown;
}

/** The service (`tsx src/main.ts <role>`) as a child process, with its JSON log lines at hand. */
export class ServiceProcess {
  readonly lines: LogLine[] = [];
  stderr = '';
  private readonly child: ChildProcess;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(
    readonly role: 'all' | 'api' | 'worker',
    env: Record<string, string>,
  ) {
    // tsx runs the service in a child node process of its own. It relays SIGTERM, but a SIGKILL
    // of tsx would orphan the real service, so each one gets its own process group and a crash is
    // simulated by killing the whole group.
    this.child = track(
      spawn(TSX, ['src/main.ts', role], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'info', ...NO_LIMITS, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      }),
    );
    const pid = this.child.pid;
    if (pid !== undefined) {
      groups.add(pid);
      // Whatever way the tsx process ends, nothing of the group may outlive it.
      this.child.once('exit', () => {
        killGroup(pid, 'SIGKILL');
        groups.delete(pid);
      });
    }
    let partial = '';
    this.child.stdout!.on('data', (d) => {
      partial += d;
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        if (!line.trim()) continue;
        try {
          this.lines.push(JSON.parse(line) as LogLine);
        } catch {
          this.lines.push({ msg: line });
        }
      }
    });
    this.child.stderr!.on('data', (d) => (this.stderr += d));
    this.exit = exited(this.child);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The pid of the service itself (tsx's child), as its log lines give it. */
  get servicePid(): number | undefined {
    const pid = this.lines.find((l) => typeof l.pid === 'number')?.pid;
    return typeof pid === 'number' ? pid : undefined;
  }

  /** Waits for a log line whose msg is `msg`; fails at once if the process exits first. */
  waitForLog(msg: string, timeoutMs = 20_000): Promise<LogLine> {
    return until(
      `${this.role} process logs "${msg}"`,
      () => this.lines.find((l) => l.msg === msg),
      timeoutMs,
      () => (this.running ? undefined : `exited (${this.child.exitCode ?? this.child.signalCode}) first: ${this.stderr.trim()}`),
    );
  }

  /** SIGTERM goes to tsx, which passes it on and exits as the service does; SIGKILL kills the group. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.running) {
      if (signal === 'SIGKILL' && this.child.pid !== undefined) killGroup(this.child.pid, 'SIGKILL');
      else this.child.kill(signal);
    }
    return this.exit;
  }
}
