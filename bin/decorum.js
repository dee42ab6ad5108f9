#!/usr/bin/env node
// The `decorum` command (package.json "bin"). In a checkout with the dev dependencies (tsx), it
// runs the TypeScript source, so it never runs a build older than the code next to it; where
// there is no tsx (a production image), it runs the build (`npm run build`).
const path = require('node:path');

const compiled = path.join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
const source = path.join(__dirname, '..', 'src', 'cli', 'main.ts');
let entry = compiled;
try {
  require.resolve('tsx/cjs');
  require('node:fs').accessSync(source);
  require('tsx/cjs');
  entry = source;
} catch {
  // no tsx or no source: the build
}
const { main } = require(entry);
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`decorum: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
