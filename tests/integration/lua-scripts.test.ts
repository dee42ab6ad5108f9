import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { allScripts, LUA_DIR } from '../../src/store/lua';
import { TEST_REDIS_URL } from '../helpers/service';

// The Redis scripts as files: each states its contract in a header, uses only the keys it is
// given, compiles in a real Redis, and is defined by the code that calls it.

const redis = new Redis(TEST_REDIS_URL);
afterAll(async () => {
  await redis.quit();
});

const files = readdirSync(LUA_DIR).filter((f) => f.endsWith('.lua'));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

describe('Redis scripts', () => {
  it('are found', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
    expect(allScripts().size).toBe(files.length);
  });

  it.each(files)('%s opens with a header naming every key it uses, its ARGV and its replies', (file) => {
    const source = readFileSync(path.join(LUA_DIR, file), 'utf8');
    const header = /^--\[\[\n([\s\S]*?)\n\]\]\n/.exec(source)?.[1];
    expect(header).toBeDefined();
    expect(header).toMatch(/^ {2}Returns /m);
    const script = allScripts().get(file.replace(/(-\d+)?\.lua$/, ''))!;
    const body = script.lua.slice(script.lua.indexOf(']]') + 2);
    const used = new Set([...body.matchAll(/KEYS\[(\d+)\]/g)].map((m) => Number(m[1])));
    const declared = [...header!.matchAll(/^ {2}KEYS\[(\d+)\] \S/gm)].map((m) => Number(m[1]));
    if (script.numberOfKeys !== undefined) {
      // Exactly KEYS[1..n] for a script of n keys, each described, and none beyond.
      expect(declared).toEqual(Array.from({ length: script.numberOfKeys }, (_, i) => i + 1));
      for (const k of used) expect(k).toBeLessThanOrEqual(script.numberOfKeys);
    } else {
      expect(header).toMatch(/^ {2}KEYS\[1\.\.n\] \S/m);
    }
    for (const m of body.matchAll(/ARGV\[(\d+)\]/g)) expect(header).toMatch(new RegExp(`ARGV\\[(${m[1]}|\\d+\\.\\.(\\w+[+-]?\\d*)?)\\]`));
  });

  it.each(files)('%s compiles in Redis, its includes expanded', async (file) => {
    const script = allScripts().get(file.replace(/(-\d+)?\.lua$/, ''))!;
    expect(script.lua).not.toMatch(/@include/);
    await expect(redis.script('LOAD', script.lua)).resolves.toMatch(/^[0-9a-f]{40}$/);
  });

  it('are each defined by the code that calls them, and the code names no script that is not there', () => {
    const root = path.join(LUA_DIR, '..', '..');
    const defined = new Set<string>();
    for (const file of sourceFiles(root)) {
      for (const call of readFileSync(file, 'utf8').matchAll(/defineScripts\(\w+, \[([^\]]*)\]\)/g)) {
        for (const name of call[1].matchAll(/'(\w+)'/g)) defined.add(name[1]);
      }
    }
    expect([...defined].sort()).toEqual([...allScripts().keys()].sort());
  });
});
