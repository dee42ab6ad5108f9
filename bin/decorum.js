#!/usr/bin/env node
// The `decorum` command (package.json "bin"). Runs the compiled CLI when `npm run build` has
// made one, else the TypeScript source through tsx, so `npx decorum` works in a fresh checkout.
const path = require('node:path');
const fs = require('node:fs');

const compiled = path.join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
const source = path.join(__dirname, '..', 'src', 'cli', 'main.ts');
// The source when there is no build, or when it changed since (and tsx, a dev dependency, is there).
const canRunSource = () => {
  try {
    require.resolve('tsx/cjs');
    return fs.existsSync(source);
  } catch {
    return false;
  }
};
const useSource = !fs.existsSync(compiled) || (fs.existsSync(source) && fs.statSync(source).mtimeMs > fs.statSync(compiled).mtimeMs && canRunSource());
if (useSource) require('tsx/cjs');
const { main } = require(useSource ? source : compiled);
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`decorum: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
