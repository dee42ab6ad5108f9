// Redis memory per decided comment (issue 8: at most 1 KB, the text excluded), shared by the
// pipeline bench and the quicker bench/memory.ts.
import type { Redis } from 'ioredis';

export interface RedisMemory {
  comments: number;
  /** Every key under the prefix, less the comment texts, per comment. */
  perCommentBytes: number;
  /** Mean UTF-8 bytes of a comment's text. */
  textBytes: number;
  bullKeys: number;
  bullBytes: number;
  /** Bytes by kind of key: "comment", "idx:status", "events", "bull", ... */
  byKind: Record<string, number>;
}

export async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 2000);
    cursor = next;
    out.push(...found);
  } while (cursor !== '0');
  return out;
}

export async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  const keys = await scanKeys(redis, `${prefix}:*`);
  for (let i = 0; i < keys.length; i += 1000) await redis.unlink(...keys.slice(i, i + 1000));
}

/** MEMORY USAGE of every key under `prefix`, by kind, less the comment texts. */
export async function redisMemory(redis: Redis, prefix: string): Promise<RedisMemory> {
  const all = await scanKeys(redis, `${prefix}:*`);
  let total = 0;
  let bullBytes = 0;
  let bullKeys = 0;
  const byKind: Record<string, number> = {};
  const kind = (key: string) => {
    const rest = key.slice(prefix.length + 1).split(':');
    return rest[0] === 'idx' ? `idx:${rest[1]}` : rest[0] === 'body' ? 'body and verdict (text included)' : rest[0];
  };
  for (let i = 0; i < all.length; i += 500) {
    const pipe = redis.pipeline();
    for (const k of all.slice(i, i + 500)) pipe.memory('USAGE', k, 'SAMPLES', 0);
    const res = (await pipe.exec()) ?? [];
    res.forEach(([, v], j) => {
      total += Number(v ?? 0);
      const kd = kind(all[i + j]);
      byKind[kd] = (byKind[kd] ?? 0) + Number(v ?? 0);
      if (all[i + j].startsWith(`${prefix}:bull:`)) {
        bullBytes += Number(v ?? 0);
        bullKeys++;
      }
    });
  }
  const bodies = all.filter((k) => k.startsWith(`${prefix}:body:`));
  let textBytes = 0;
  for (let i = 0; i < bodies.length; i += 500) {
    const pipe = redis.pipeline();
    for (const k of bodies.slice(i, i + 500)) pipe.get(k);
    // The body string: the body JSON, then a newline and the packed verdict (src/store/keys.ts).
    for (const [, v] of (await pipe.exec()) ?? []) textBytes += Buffer.byteLength((JSON.parse((v as string).split('\n')[0]) as { text: string }).text);
  }
  const n = bodies.length;
  return { comments: n, perCommentBytes: (total - textBytes) / n, textBytes: textBytes / n, bullKeys, bullBytes, byKind };
}
