// `npm run test:faults`: the slow interruption matrices (sessions cut off, the service stopped and started again), and
// the slow suites (pacing under QuickBooks' limits, volume runs, the bench, the Salesforce CLI, the production build),
// which keep `npm test` short.
module.exports = {
  testTimeout: 180000,
  testEnvironment: 'node',
  roots: ['<rootDir>/test/faults', '<rootDir>/test/slow'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
};
