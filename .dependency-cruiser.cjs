/**
 * Import boundaries between the workspaces (CONTRIBUTING.md, "Who may import
 * what"), checked by dependency-cruiser in `npm run lint`. A workspace is
 * reached only through its package name, which resolves to its public entry
 * point (`src/index.ts`, or a module `@coursegraph/devkit` exports).
 */
const production = '^(packages/(runtime|domain|client)/|subgraphs/[^/]+/src/|gateway/src/)';
/** A workspace's folder; group 1 is the folder, so `$1` in `to` is the importer's own workspace. */
const workspace = '^((?:packages|subgraphs)/[^/]+|gateway)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-relative-import-into-another-workspace',
      comment: 'Import another workspace by its package name (@coursegraph/<name>), never by a relative path into it.',
      severity: 'error',
      from: { path: workspace },
      to: { path: workspace, pathNot: '^$1/', dependencyTypes: ['local'], dependencyTypesNot: ['aliased'] },
    },
    {
      name: 'no-relative-import-of-a-workspace-from-the-root',
      comment: 'scripts/, bench/ and tests/ import workspaces by package name.',
      severity: 'error',
      from: { path: '^(scripts|bench|tests)/' },
      to: { path: '^(packages|subgraphs|gateway)/', dependencyTypes: ['local'], dependencyTypesNot: ['aliased'] },
    },
    {
      name: 'only-public-entry-points',
      comment:
        "Another workspace's internals are not part of its API: use what its src/index.ts exports (and @coursegraph/runtime/tracing, which a service loads before anything else).",
      severity: 'error',
      from: { path: workspace },
      to: {
        path: '^((?:packages|subgraphs)/[^/]+|gateway)/src/',
        pathNot: ['^((?:packages|subgraphs)/[^/]+|gateway)/src/index\\.ts$', '^packages/runtime/src/tracing\\.ts$', '^packages/devkit/src/', '^$1/'],
      },
    },
    {
      name: 'only-public-entry-points-from-the-root',
      severity: 'error',
      from: { path: '^(scripts|bench|tests)/' },
      to: {
        path: '^((?:packages|subgraphs)/[^/]+|gateway)/src/',
        pathNot: ['^((?:packages|subgraphs)/[^/]+|gateway)/src/index\\.ts$', '^packages/runtime/src/tracing\\.ts$', '^packages/devkit/src/'],
      },
    },
    {
      name: 'runtime-is-infrastructure-only',
      comment: '@coursegraph/runtime imports no other workspace.',
      severity: 'error',
      from: { path: '^packages/runtime/' },
      to: { path: '^(packages/(?!runtime/)|subgraphs/|gateway/)' },
    },
    {
      name: 'domain-imports-only-runtime',
      severity: 'error',
      from: { path: '^packages/domain/' },
      to: { path: '^(packages/(?!(domain|runtime)/)|subgraphs/|gateway/)' },
    },
    {
      name: 'services-do-not-import-each-other',
      comment: 'A subgraph or the gateway reaches another service through the federated schema or its generated internal operations, never its code.',
      severity: 'error',
      from: { path: '^(subgraphs/[^/]+|gateway)/src/' },
      to: { path: '^(subgraphs/|gateway/)', pathNot: '^$1/' },
    },
    {
      name: 'gateway-imports-only-runtime',
      comment: 'The gateway knows the subgraphs only through the supergraph; its shared code is @coursegraph/runtime.',
      severity: 'error',
      from: { path: '^gateway/src/' },
      to: { path: '^packages/(?!runtime/)' },
    },
    {
      name: 'subgraphs-import-only-runtime-and-domain',
      comment: "@coursegraph/client is the public API's client side; a subgraph's own contract is its schema.",
      severity: 'error',
      from: { path: '^subgraphs/[^/]+/src/' },
      to: { path: '^packages/(?!(runtime|domain)/)' },
    },
    {
      name: 'client-imports-no-workspace',
      severity: 'error',
      from: { path: '^packages/client/' },
      to: { path: '^(packages/(?!client/)|subgraphs/|gateway/)' },
    },
    {
      name: 'storefront-uses-only-the-public-api',
      comment: 'examples/storefront is what a frontend team would write: the public schema and its generated client, no workspace code.',
      severity: 'error',
      from: { path: '^examples/' },
      to: { path: '^(packages|subgraphs|gateway)/' },
    },
    {
      name: 'declared-packages-only',
      comment:
        "Every package a file imports is listed in its workspace's package.json (dependencies, or devDependencies for tests); nothing works only because npm hoisted it.",
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'production-code-uses-production-dependencies',
      comment: 'What the service code imports must be installed with --omit=dev.',
      severity: 'error',
      from: { path: production },
      to: { dependencyTypes: ['npm-dev'] },
    },
    {
      name: 'no-devkit-in-production',
      comment: '@coursegraph/devkit is for npm start, tests and benchmarks.',
      severity: 'error',
      from: { path: production },
      to: { path: '^packages/devkit/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: production },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(__generated__|dist|reports|\\.stryker-tmp)/|^bench/hive/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
    preserveSymlinks: false,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], mainFields: ['main'] },
  },
};
