/**
 * A deterministic measure of how much work a piece of code does, for tests that must show the
 * engine's cost grows linearly without timing anything: while `meter` runs, the string, array
 * and regular-expression primitives the engine builds its work from are counted, one per call
 * plus one per character or element they produce, and every `new RegExp` counts its source's
 * length. A loop that rescans the text from each position calls these primitives a number of
 * times that grows with the square of the length, and so does the count; a regular
 * expression built from the comment shows up as its size.
 *
 * Regular-expression matching itself counts once per call: its own backtracking is what the
 * policy's recheck proof rules out (src/pattern-safety.ts).
 */
type Method = (this: unknown, ...args: unknown[]) => unknown;

const COUNTED: [object, string][] = [
  [String.prototype, 'charCodeAt'],
  [String.prototype, 'codePointAt'],
  [String.prototype, 'slice'],
  [String.prototype, 'substring'],
  [String.prototype, 'indexOf'],
  [String.prototype, 'lastIndexOf'],
  [String.prototype, 'includes'],
  [String.prototype, 'startsWith'],
  [String.prototype, 'endsWith'],
  [String.prototype, 'replace'],
  [String.prototype, 'split'],
  [String.prototype, 'toLowerCase'],
  [String.prototype, 'normalize'],
  [Array.prototype, 'slice'],
  [Array.prototype, 'map'],
  [Array.prototype, 'join'],
  [Array.prototype, 'some'],
  [Array.prototype, 'includes'],
  [Array.prototype, 'indexOf'],
  [Array.prototype, 'filter'],
  [Array.prototype, 'reduce'],
  [RegExp.prototype, 'test'],
  [RegExp.prototype, 'exec'],
];

function sizeOf(value: unknown): number {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  return 0;
}

/** Runs fn and returns its result with the work it did (see above). Not reentrant. */
export function meter<T>(fn: () => T): { result: T; work: number } {
  let work = 0;
  const saved: [object, string, Method][] = [];
  const NativeRegExp = RegExp;
  try {
    for (const [proto, name] of COUNTED) {
      const original = (proto as Record<string, Method>)[name];
      saved.push([proto, name, original]);
      Object.defineProperty(proto, name, {
        configurable: true,
        writable: true,
        value: function (this: unknown, ...args: unknown[]) {
          const out = original.apply(this, args);
          work += 1 + sizeOf(out);
          return out;
        },
      });
    }
    globalThis.RegExp = new Proxy(NativeRegExp, {
      construct(target, args: [string | RegExp, string?]) {
        const source = args[0];
        work += 1 + (typeof source === 'string' ? source.length : source.source.length);
        return new target(...args);
      },
    });
    const result = fn();
    return { result, work };
  } finally {
    globalThis.RegExp = NativeRegExp;
    for (const [proto, name, original] of saved) Object.defineProperty(proto, name, { configurable: true, writable: true, value: original });
  }
}
