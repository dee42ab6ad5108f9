/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  // The fault test kills and restarts processes for a minute: `npm run test:faults` (CI runs both).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/tests/faults/'],
  transform: { '^.+\\.(t|j)s$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }] },
  // bad-words loads its list from an ES module; Node requires it natively, jest needs it compiled.
  transformIgnorePatterns: ['/node_modules/(?!badwords-list/)'],
  // Integration suites share one Redis; each uses its own prefix, so files may run in parallel.
  maxWorkers: 2,
  testTimeout: 20000,
};
