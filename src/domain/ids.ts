import { randomFillSync } from 'node:crypto';

// A generated comment id: 96 random bits, base64url. As unguessable as needed, and short, because
// an id is stored once per index a comment is in. The random bytes are drawn 128 ids at a time
// (as Node's randomUUID does): one call to the CSPRNG per id cost more than the rest of the id.
const ID_BYTES = 12;
const BATCH = 128;
const pool = Buffer.alloc(ID_BYTES * BATCH);
let next = BATCH;

export function newCommentId(): string {
  if (next === BATCH) {
    randomFillSync(pool);
    next = 0;
  }
  const start = next++ * ID_BYTES;
  return `cmt_${pool.toString('base64url', start, start + ID_BYTES)}`;
}
