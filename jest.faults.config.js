// `npm run test:faults`: the slow interruption matrices (sessions cut off, the service stopped and started again).
module.exports = {
  testTimeout: 180000,
  testEnvironment: 'node',
  roots: ['<rootDir>/test/faults'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
};
