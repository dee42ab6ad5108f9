import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../config';
import type { RedisClient } from '../redis';

/**
 * Redis scripts are Lua files in `src/store/lua/`, one per command, named
 * `<name>-<number of keys>.lua` (no number: the caller passes the count, as the rate limiter's
 * varying number of counters needs). Each opens with a header stating its KEYS, ARGV and
 * replies, and names its reply codes. A line `--- @include "x"` is replaced by
 * `lua/includes/x.lua`, so scripts share functions without sharing a round trip.
 * Every script runs atomically in Redis, which is what makes a retried or duplicated job harmless.
 */
export const LUA_DIR = path.join(projectRoot(), 'src', 'store', 'lua');

const INCLUDE = /^--- @include "([\w-]+)"$/gm;

export interface Script {
  /** The file's name without its key count: also the ioredis command `decorum<Name>`. */
  name: string;
  numberOfKeys?: number;
  lua: string;
}

function expand(source: string, seen: Set<string>): string {
  return source.replace(INCLUDE, (_, name: string) => {
    // Each include defines local functions once; a second copy would only shadow the first.
    if (seen.has(name)) return '';
    seen.add(name);
    return expand(readFileSync(path.join(LUA_DIR, 'includes', `${name}.lua`), 'utf8'), seen);
  });
}

let scripts: Map<string, Script> | null = null;

/** Every script, read and expanded once per process. */
export function allScripts(): Map<string, Script> {
  if (scripts) return scripts;
  scripts = new Map();
  for (const file of readdirSync(LUA_DIR)) {
    const m = /^(\w+?)(?:-(\d+))?\.lua$/.exec(file);
    if (!m) continue;
    const lua = expand(readFileSync(path.join(LUA_DIR, file), 'utf8'), new Set());
    scripts.set(m[1], { name: m[1], ...(m[2] !== undefined && { numberOfKeys: Number(m[2]) }), lua });
  }
  return scripts;
}

/** Defines the named scripts as commands on the client: `createComment` becomes `redis.decorumCreateComment(...)`. */
export function defineScripts(redis: RedisClient, names: readonly string[]): void {
  const all = allScripts();
  for (const name of names) {
    const script = all.get(name);
    if (!script) throw new Error(`no Redis script ${name} in ${LUA_DIR}`);
    redis.defineCommand(`decorum${name[0].toUpperCase()}${name.slice(1)}`, {
      lua: script.lua,
      ...(script.numberOfKeys !== undefined && { numberOfKeys: script.numberOfKeys }),
    });
  }
}
