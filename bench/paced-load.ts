// An open-loop load generator at a constant rate, for the fixed-rate steps of the pipeline bench.
//
// autocannon's rate option lets each connection send as fast as it can until it has made its
// share of the second, then waits for the next second: at "1,000/s" the service takes a second's
// worth of comments in a burst at full speed, then idles. Submit-to-verdict latency measured that
// way is the time to drain the burst, not the latency of a comment section posting 1,000
// comments a second. Here request i is due at start + i / rate whatever happened to the ones
// before (as wrk2 does), and its latency counts from when it was due, so a stall on the server's
// side counts against the server instead of delaying the requests that would have seen it.
import http from 'node:http';

export interface PacedOptions {
  url: string;
  path: string;
  headers: Record<string, string>;
  body: () => string;
  /** Requests per second. */
  rate: number;
  seconds: number;
  /** Connections kept open; a request waits for a free one (still timed from when it was due). */
  connections?: number;
}

export interface PacedResult {
  /** Requests answered per second over the run. */
  rps: number;
  ok: number;
  errors: number;
  /** Milliseconds from when each answered request was due to its last byte, sorted. */
  latencies: number[];
  startedAt: number;
  endedAt: number;
}

export async function pacedLoad(o: PacedOptions): Promise<PacedResult> {
  const target = new URL(o.path, o.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.connections ?? 64 });
  const latencies: number[] = [];
  let ok = 0;
  let errors = 0;
  let answered = 0;
  const total = Math.round(o.rate * o.seconds);
  const startedAt = Date.now();
  const t0 = performance.now();

  const send = (due: number) =>
    new Promise<void>((resolve) => {
      const payload = o.body();
      const req = http.request(
        target,
        { method: 'POST', agent, headers: { ...o.headers, 'content-length': Buffer.byteLength(payload) }, timeout: 10_000 },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - due);
            if (res.statusCode! >= 200 && res.statusCode! < 300) ok++;
            else errors++;
            answered++;
            resolve();
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        errors++;
        answered++;
        resolve();
      });
      req.end(payload);
    });

  const inflight: Promise<void>[] = [];
  let sent = 0;
  await new Promise<void>((resolve) => {
    // A 1 ms timer: each tick sends every request that has come due (about one at 1,000/s).
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - t0) * o.rate) / 1000) + 1);
      for (; sent < due; sent++) inflight.push(send(t0 + (sent * 1000) / o.rate));
      if (sent < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  await Promise.all(inflight);
  const elapsed = (performance.now() - t0) / 1000;
  agent.destroy();
  return { rps: answered / elapsed, ok, errors, latencies: latencies.sort((a, b) => a - b), startedAt, endedAt: Date.now() };
}
