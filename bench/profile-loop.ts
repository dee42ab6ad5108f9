/**
 * Profiling driver: moderate() on the 500-character comments of bench/engine.ts in a loop.
 *   npx tsc -p tsconfig.bench.json && node --cpu-prof dist/bench/profile-loop.js
 * then summarise the .cpuprofile with node dist/bench/profile-summary.js <file>.
 */
import { moderate } from '../src/engine';
import { loadPolicy } from '../src/policies';
import { corpus } from './corpus';

const policy = loadPolicy();
const texts = corpus(Number(process.env.SIZE ?? 500), 200);
const rounds = Number(process.env.ROUNDS ?? 50);
const t0 = performance.now();
for (let r = 0; r < rounds; r++) for (const t of texts) moderate(t, policy);
console.log('µs/comment', (((performance.now() - t0) * 1000) / (rounds * texts.length)).toFixed(1));
