import type { Response } from 'express';
import type { RedisClient } from '../redis';
import type { Logger } from '../logger';

const BLOCK_MS = 5000;
const HEARTBEAT_MS = 20_000;

/** An entry of the events stream, as the dashboard receives it. */
export interface DecisionEvent {
  id: string;
  type: string;
  commentId: string;
  decidedBy: string;
  previousStatus: string;
  at: string;
  reason?: string;
}

function toEvent(id: string, fields: string[]): DecisionEvent {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]] = fields[i + 1];
  return {
    id,
    type: f.type,
    commentId: f.commentId,
    decidedBy: f.decidedBy,
    previousStatus: f.previousStatus,
    at: new Date(Number(f.at)).toISOString(),
    ...(f.reason !== undefined && { reason: f.reason }),
  };
}

/**
 * Server-sent events for open dashboards. One reader per API process blocks on the events stream
 * (XREAD on a connection of its own, as a blocked connection can do nothing else) and writes each
 * new entry to every client, however many dashboards are open. It reads only while someone listens.
 */
export class ReviewStream {
  private readonly clients = new Set<Response>();
  private reading = false;
  private stopped = false;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly conn: RedisClient,
    private readonly streamKey: string,
    private readonly log: Logger,
  ) {}

  get listeners(): number {
    return this.clients.size;
  }

  attach(res: Response): void {
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no', // a proxy that buffers would hold events back
    });
    res.flushHeaders();
    res.write('retry: 3000\n\n');
    if (this.stopped) return void res.end();
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
    this.heartbeat ??= setInterval(() => this.broadcast(': keep-alive\n\n'), HEARTBEAT_MS);
    if (!this.reading) void this.read();
  }

  private broadcast(chunk: string): void {
    for (const res of this.clients) res.write(chunk);
  }

  private async read(): Promise<void> {
    this.reading = true;
    try {
      // Start after the newest entry now present: a dashboard loads the queue itself, then wants
      // what changes. An explicit id rather than '$', so nothing slips between two reads.
      let last: string | undefined;
      while (!this.stopped && this.clients.size > 0) {
        try {
          last ??= (await this.conn.xrevrange(this.streamKey, '+', '-', 'COUNT', 1))[0]?.[0] ?? '0-0';
          const res = (await this.conn.xread('COUNT', 100, 'BLOCK', BLOCK_MS, 'STREAMS', this.streamKey, last)) as [string, [string, string[]][]][] | null;
          for (const [, entries] of res ?? []) {
            for (const [id, fields] of entries) {
              last = id;
              this.broadcast(`id: ${id}\nevent: decision\ndata: ${JSON.stringify(toEvent(id, fields))}\n\n`);
            }
          }
        } catch (err) {
          if (this.stopped) return;
          this.log.warn({ err: String(err) }, 'review stream: reading events failed; retrying');
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    } finally {
      this.reading = false;
      if (this.clients.size === 0 && this.heartbeat) {
        clearInterval(this.heartbeat);
        this.heartbeat = undefined;
      }
    }
  }

  /** Ends every open stream (browsers reconnect to another instance) and releases the blocked read. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeat);
    for (const res of this.clients) res.end();
    this.clients.clear();
    // A blocked XREAD can't be cancelled by QUIT (it queues behind the read): drop the socket.
    this.conn.disconnect();
  }
}
