import cluster, { type Worker as ClusterWorker } from 'node:cluster';
import type { Logger } from './logger';

export type ProcessRole = 'api' | 'worker';

/** What a child tells the supervisor: that its role started, or why it could not (the line to print, the exit code). */
export type ChildMessage = { decorum: 'ready' } | { decorum: 'fatal'; message: string; code: number };

/** How `all` splits over n processes: half serve the API (rounded up), the rest run the workers; one process runs both. */
export function rolesFor(processes: number): ProcessRole[] {
  const api = Math.ceil(processes / 2);
  return [...Array<ProcessRole>(api).fill('api'), ...Array<ProcessRole>(processes - api).fill('worker')];
}

/** A child that dies within this long of starting is failing, not crashing: its restarts back off. */
const QUICK_DEATH_MS = 10_000;
const MAX_BACKOFF_MS = 30_000;

/**
 * The `all` role over several processes (node:cluster): API processes share the port, worker
 * processes run the queues, so a burst of requests can't starve the workers of their core, nor a
 * backlog the API. A child that crashes after starting is restarted (backing off while it keeps
 * dying); one that can't start at all (Redis away, a bad policy) stops the whole service with its
 * one-line reason, printed once. SIGTERM and SIGINT are passed on; the supervisor exits when
 * every child has.
 */
export function supervise(processes: number, log: Logger): void {
  const roles = rolesFor(processes);
  let stopping = false;
  let startedAll = false;
  let ready = 0;
  const children = new Map<ClusterWorker, { role: ProcessRole; startedAt: number; backoffMs: number }>();

  const fork = (role: ProcessRole, backoffMs = 1000) => {
    const child = cluster.fork({ DECORUM_PROCESS_ROLE: role });
    children.set(child, { role, startedAt: Date.now(), backoffMs });
    child.on('message', (m: ChildMessage) => {
      if (m?.decorum === 'ready' && !startedAll && ++ready === roles.length) {
        startedAll = true;
        log.info({ processes: roles.length, roles }, 'all processes started');
      } else if (m?.decorum === 'fatal' && !stopping) {
        // Every child would say the same: print it once and stop the rest.
        console.error(m.message);
        stop(m.code);
      }
    });
    child.on('exit', (code, signal) => {
      const was = children.get(child)!;
      children.delete(child);
      if (stopping) {
        if (children.size === 0) process.exit(exitCode);
        return;
      }
      if (!startedAll) {
        // It failed before everything was up (its reason, if it had one, came as a message).
        stop(code ?? 1);
        return;
      }
      const quick = Date.now() - was.startedAt < QUICK_DEATH_MS;
      const delay = quick ? Math.min(MAX_BACKOFF_MS, was.backoffMs * 2) : 1000;
      log.error({ role: was.role, code, signal, restartInMs: delay }, 'a process exited; restarting it');
      setTimeout(() => {
        if (!stopping) fork(was.role, delay);
      }, delay).unref();
    });
  };

  let exitCode = 0;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    if (children.size === 0) process.exit(exitCode);
    for (const child of children.keys()) child.process.kill('SIGTERM');
  };
  const onSignal = (signal: string) => {
    if (stopping) return;
    log.info({ signal }, 'shutting down');
    stop(0);
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  for (const role of roles) fork(role);
}

/** In a child of supervise(): its role. */
export function childRole(): ProcessRole | null {
  if (!cluster.isWorker) return null;
  const role = process.env.DECORUM_PROCESS_ROLE;
  return role === 'api' || role === 'worker' ? role : null;
}

/** Tells the supervisor, if there is one; a no-op in a process of its own. */
export function tellSupervisor(message: ChildMessage, then: () => void = () => {}): void {
  if (cluster.isWorker && process.send) process.send(message, then);
  else then();
}
