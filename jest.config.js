// One runner, two projects: the TypeScript service/emulators and the LWC components.
const { jestConfig: lwcConfig } = require('@salesforce/sfdx-lwc-jest/config');

module.exports = {
  testTimeout: 60000,
  projects: [
    {
      displayName: 'service',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      // The interruption matrices and the slow suites run with `npm run test:faults`.
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/faults/', '<rootDir>/test/slow/'],
      transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
    },
    {
      ...lwcConfig,
      displayName: 'lwc',
      roots: ['<rootDir>/force-app'],
      modulePathIgnorePatterns: ['<rootDir>/.localdevserver'],
      // Only the platform modules a test needs to look into get a stand-in (lwc-recipes' jest-mocks).
      moduleNameMapper: {
        ...lwcConfig.moduleNameMapper,
        '^lightning/navigation$': '<rootDir>/force-app/test/jest-mocks/lightning/navigation',
        '^lightning/datatable$': '<rootDir>/force-app/test/jest-mocks/lightning/datatable/datatable',
        '^lightning/progressBar$': '<rootDir>/force-app/test/jest-mocks/lightning/progressBar/progressBar',
      },
      setupFilesAfterEnv: [...(lwcConfig.setupFilesAfterEnv || []), '<rootDir>/force-app/test/jest-setup.js'],
    },
  ],
};
