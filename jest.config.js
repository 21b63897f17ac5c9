// NestJS 12, octokit and a few of their dependencies ship ESM only: jest transforms them with swc.
const ESM_PACKAGES = ['@nestjs', 'octokit', '@octokit', 'universal-user-agent', 'before-after-hook', 'bottleneck', 'uid', 'file-type', 'strtok3', 'token-types', '@tokenizer', 'uint8array-extras', '@borewit', 'content-disposition', 'cookie', 'fast-content-type-parse', 'toad-cache', 'json-with-bigint', 'content-type', 'universal-github-app-jwt'];

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const common = {
  testEnvironment: 'node',
  rootDir: __dirname,
  transform: { '^.+\\.(t|j|mj|cj)s$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
  resolver: '<rootDir>/test/support/jest-resolver.js',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
};

module.exports = {
  testTimeout: 60000,
  // Tests run in a random order within each file, so a test that leans on another's state fails in CI; the seed
  // is printed in the summary ("Seed: …"): replay an order with `npx jest <file> --seed=<seed>`.
  randomize: true,
  showSeed: true,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/tools/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
