import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const BIN = path.join(__dirname, '..', '..', 'bin', 'decorum.js');
const dir = mkdtempSync(path.join(tmpdir(), 'decorum-cli-'));

/** Runs the real `decorum` command in its own process. */
function decorum(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, timeout: 170_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('decorum moderate', () => {
  it('prints the verdict on one text, with evidence spans', async () => {
    const r = await decorum(['moderate', 'I will kill you.']);
    expect(r.code).toBe(0);
    const v = JSON.parse(r.stdout);
    expect(v.decision).toBe('rejected');
    const ev = v.categories.violence.evidence[0];
    expect('I will kill you.'.slice(ev.start, ev.end)).toBe(ev.text);
  });

  it('turns a JSONL file into JSONL verdicts in order, reports bad lines, and sums up on stderr', async () => {
    const file = path.join(dir, 'comments.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ id: 'a', text: 'You are an idiot.' }),
        JSON.stringify('Thanks for the careful reporting.'),
        '',
        JSON.stringify({ id: 'b', text: '' }),
        'not json',
        JSON.stringify({ id: 'c', text: 'What a load of shit.' }),
        JSON.stringify({ id: 'x' }),
      ].join('\n'),
    );
    const r = await decorum(['moderate', '--file', file]);
    expect(r.code).toBe(1); // three lines were invalid
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(out.map((o) => [o.line, o.id ?? null, o.decision ?? null, o.flagged ?? null, o.error ?? null])).toEqual([
      [1, 'a', 'rejected', ['discourtesy'], null],
      [2, null, 'approved', [], null],
      [4, null, null, null, 'text: text must not be empty'],
      [5, null, null, null, '(line): not JSON'],
      [6, 'c', expect.any(String), ['profanity'], null],
      // The missing field is named, as the API names it.
      [7, null, null, null, 'text: Invalid input: expected string, received undefined'],
    ]);
    expect(out[5].errors).toEqual([{ path: 'text', message: 'Invalid input: expected string, received undefined' }]);
    expect(out[0].verdict.categories.discourtesy.evidence.map((e: { rule: string }) => e.rule)).toContainEqual(expect.stringMatching(/discourtesy/));
    expect(r.stderr).toMatch(/^6 lines in [\d.]+ s \(\d+\/s\); 3 invalid$/m);
    expect(r.stderr).toMatch(/^decisions: approved 1, held \d, rejected \d$/m);
    expect(r.stderr).toMatch(/^flagged: .*discourtesy 1/m);
    // No progress bar when stderr is not a terminal.
    expect(r.stderr).not.toMatch(/\r/);
  });

  it('refuses wrong usage with exit code 2', async () => {
    expect((await decorum(['moderate'])).code).toBe(2);
    expect((await decorum(['frobnicate'])).code).toBe(2);
  });
});

describe('decorum policy check', () => {
  it('accepts the default policy and says what it holds', async () => {
    const r = await decorum(['policy', 'check', 'policies/default.json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok: /);
    expect(r.stdout).toMatch(/violence\s+high→rejected/);
    expect(r.stdout).toMatch(/^patterns: \d+, each proven free of super-linear backtracking$/m);
  }, 180_000);

  it('refuses a policy with a pattern that backtracks exponentially, naming the phrase', async () => {
    const lexicon = path.join(dir, 'own.json');
    writeFileSync(
      lexicon,
      JSON.stringify({
        lang: 'en',
        phrases: [{ id: 'nested', category: 'discourtesy', severity: 'medium', pattern: 'what a (?:(?:stupid|dumb|stupid) )*idiot' }],
      }),
    );
    const file = path.join(dir, 'own-policy.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync('policies/default.json', 'utf8')), lexicons: [lexicon], classifier: undefined, spans: undefined }));
    const r = await decorum(['policy', 'check', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/phrase\/nested: exponential backtracking/);
  }, 60_000);

  it('refuses a broken policy, naming the field', async () => {
    const file = path.join(dir, 'broken.json');
    writeFileSync(file, JSON.stringify({ name: 'x', lexicons: [] }));
    const r = await decorum(['policy', 'check', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^invalid: .*broken\.json: version/);
  });
});
