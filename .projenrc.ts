import { awscdk, javascript, JsonFile } from 'projen';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-eks-fargate',
  description: 'Amazon EKS on AWS Fargate without the sharp edges: native resources, validated Fargate profiles, scoped pod execution roles and merged aws-auth mappings.',
  author: 'cdk-eks-fargate developers',
  authorAddress: 'dev@cdk-eks-fargate.invalid',
  repositoryUrl: 'https://github.com/cdk-eks-fargate/cdk-eks-fargate.git',
  keywords: ['aws-cdk', 'eks', 'fargate', 'kubernetes', 'aws-auth'],
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  cdkVersion: '2.276.0',
  constructsVersion: '10.8.1',
  jsiiVersion: '~6.0.0',
  // ts-jest and ts-node need TypeScript below 7; keep it on jsii's line.
  typescriptVersion: '~6.0.3',

  // No source maps in the package: under ts-node (how `cdk init` apps run) every resource's creation stack trace
  // is mapped frame by frame through them (2.5x the cost of that capture, measured with 1,000 manifests), and the
  // inline sources doubled the compiled size. Stack traces point at the compiled JavaScript, as aws-cdk-lib's do.
  tsconfig: { compilerOptions: { inlineSourceMap: false, inlineSources: false } },

  srcdir: 'lib',
  libdir: 'lib',
  testdir: 'test',

  // Offline, deterministic builds: no release machinery, no other-language packaging.
  release: false,
  depsUpgrade: false,
  github: false,
  buildWorkflow: false,
  pullRequestTemplate: false,
  docgen: true,

  deps: [
    // The default kubectl layer for manifests and Helm charts (DESIGN: KubectlV29Layer).
    '@aws-cdk/lambda-layer-kubectl-v29@^2.1.1',
  ],
  // aws-auth and eksctl configs are YAML; js-yaml is the fastest parser measured here (TOOLCHAIN).
  // jsii requires runtime dependencies of a library to be bundled.
  bundledDeps: ['js-yaml@^4.1.0'],
  devDeps: [
    // The aws-cdk CLI for the deployable examples; npm's "latest" of the v2 line matches aws-cdk-lib 2.276.
    'aws-cdk@^2.1148.1',
    // Node 20 is the machine's runtime; typings match it.
    '@types/node@^20',
    '@types/js-yaml@^4',
    // The examples pin kubectl to their cluster version (1.34), as users should.
    '@aws-cdk/lambda-layer-kubectl-v34@^2',
    // Security rules platform teams run (AwsSolutions pack) over every example.
    'cdk-nag@^3',
    // Property tests for the aws-auth merge (issue: never lose a foreign mapping).
    'fast-check@^4',
    // The aws-auth handler's AWS calls; bundled into the handler asset at build time, never needed by users.
    '@aws-sdk/client-eks@^3',
    '@aws-sdk/client-sts@^3',
    '@smithy/signature-v4@^5',
    '@smithy/protocol-http@^5',
    '@aws-crypto/sha256-js@^5',
    // The layer rules below as a build check: it reads TypeScript type-only imports as such, follows imports
    // transitively from the handler entry points, and finds runtime cycles; eslint's import rules do neither of the first two.
    'dependency-cruiser@^17',
  ],

  lambdaOptions: {
    // Pinned (the newest Node.js runtime) so templates do not vary with the aws-cdk-lib version a user has.
    runtime: awscdk.LambdaRuntime.NODEJS_24_X,
    // The runtime's own AWS SDK version is not pinned: bundling what the handler imports fixes behaviour and the
    // asset hash to this library's version.
    bundlingOptions: { externals: [], sourcemap: false },
  },

  eslintOptions: {
    dirs: ['lib'],
    devdirs: ['test', 'examples', 'bench'],
    commandOptions: { fix: false },
  },
  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // Sources first: jest's default order would load stale compiled `lib/**/*.js` beside the `.ts` being edited.
      moduleFileExtensions: ['ts', 'js', 'json', 'node'],
    },
  },
  gitignore: ['/cdk.out', '/examples/**/cdk.out', '/.tmp'],
});

// The registry reachable here lacks the non-linux bindings of unrs-resolver 1.13 (pulled in by eslint's
// import resolver); without this `npm ci` on a fresh clone fails with "not in sync".
project.package.addField('overrides', { 'unrs-resolver': '1.12.2' });

// Runtime import cycles make load order matter; a cycle through `import type` only is fine (types are erased).
project.eslint?.addRules({ 'import/no-cycle': ['error', { ignoreExternal: true }] });

// The handler's AWS SDK imports are devDependencies on purpose: esbuild bundles them into the handler asset.
project.eslint?.addOverride({
  files: ['lib/private/handler/**/*.ts', 'lib/private/aws-auth/handler/**/*.ts', 'lib/private/manifests/handler/**/*.ts'],
  rules: { 'import/no-extraneous-dependencies': ['error', { devDependencies: true, optionalDependencies: false, peerDependencies: true }] },
});

// The npm package is the library: no synth output, CI scratch space, examples or benchmarks.
for (const ignored of ['/.tmp', '/cdk.out', '/examples', '/bench', '/.ci', '/API.md']) {
  project.addPackageIgnore(ignored);
}
// Compiled files only: with `.ts` sources beside the `.d.ts`, a consumer's `ts-node --prefer-ts-exts` loads the
// sources (ES module syntax fails under CommonJS) and its `tsc` type-checks them with its own settings.
project.addPackageIgnore('/lib/**/*.ts');
project.addPackageIgnore('!/lib/**/*.d.ts');

// The consumer check's app (test/consumer/app) imports the packed library by name: it is built, type-checked and
// tested only inside the fresh app that test/consumer/run.sh installs, never with the repo's own settings.
project.jest?.addIgnorePattern('/test/consumer/');
project.tsconfigDev.addExclude('consumer/app');
project.eslint?.addIgnorePattern('test/consumer/app/');

// ts-jest only transpiles: type errors in tests, examples and benchmarks are caught here instead.
const typecheck = project.addTask('typecheck', {
  description: 'Type-check tests, examples and benchmarks',
  steps: [
    { exec: 'tsc --noEmit -p test/tsconfig.json' },
    { exec: 'tsc --noEmit -p examples/tsconfig.json' },
    { exec: 'tsc --noEmit -p bench/tsconfig.json' },
  ],
});
project.testTask.prependSpawn(typecheck);

/**
 * Files of lib/private that build constructs (they import aws-cdk-lib or constructs). Every other private file is
 * pure logic that the handler and the constructs share and tests exercise without CDK; a new wiring file is added
 * here on purpose.
 */
const WIRING_FILES = [
  'access-entries/cluster-access-entries',
  'aws-auth/backends/(access-entry|config-map|mapping)-backend',
  'aws-auth/reconcile/(aws-auth-guard|aws-auth-reconcile-function|outside-write-watch)',
  'cluster/(cluster-checks|cluster-state|cluster-vpc|cluster-workloads|core-dns-on-fargate|endpoint-placement|kubectl-access|vpc-subnets)',
  'handler/kubernetes-handler-(function|provider)',
  'load-balancer-controller/subnet-tags',
  'manifests/(cluster-objects|manifests-text|number-tokens|objects-access)',
  'profiles/(addon-profiles|cluster-profiles|subnets)',
  'shared/(at-synth|fargate-regions|nag-acknowledgements|role-trust|validation-report)',
  'workloads/(cost-report-writer|efs-validation)',
];
const CDK_MODULES = '^node_modules/(aws-cdk-lib|constructs|@aws-cdk)/';
/** Public files of pure logic, shared with the handler. */
const PUBLIC_PURE_FILES = ['aws-auth-merge', 'fargate-pod-size'];
/** Public files that define no construct: the pure ones and the cluster's props and enums. */
const PUBLIC_NON_CONSTRUCT_FILES = [...PUBLIC_PURE_FILES, 'fargate-cluster-props'];
// No projen marker key: dependency-cruiser refuses unknown top-level keys (the file is listed as generated in .projen/files.json).
new JsonFile(project, '.dependency-cruiser.json', {
  marker: false,
  obj: {
    forbidden: [
      {
        name: 'pure-files-import-no-cdk',
        comment: 'Pure files of lib/private (all but the wiring files listed in .projenrc.ts) import neither aws-cdk-lib nor constructs.',
        severity: 'error',
        from: { path: '^lib/private/', pathNot: `^lib/private/(${WIRING_FILES.join('|')})\\.ts$` },
        to: { path: CDK_MODULES },
      },
      {
        name: 'handler-code-imports-no-cdk',
        comment: 'Nothing the Lambda entry points reach (what esbuild bundles) imports aws-cdk-lib or constructs.',
        severity: 'error',
        from: { path: '\\.lambda\\.ts$' },
        to: { path: CDK_MODULES, reachable: true },
      },
      {
        name: 'private-uses-public-constructs-as-types-only',
        comment: 'lib/private builds on the public construct files only through their types (import type), never their values; '
          + 'the public files that define no construct (pure classes, props and enums) may be used as values.',
        severity: 'error',
        from: { path: '^lib/private/' },
        to: { path: '^lib/[^/]+\\.ts$', pathNot: `^lib/(${PUBLIC_NON_CONSTRUCT_FILES.join('|')})\\.ts$`, dependencyTypesNot: ['type-only'] },
      },
      {
        name: 'public-pure-files-import-no-cdk',
        comment: 'The public pure classes are used by the handler too, so they import neither aws-cdk-lib nor constructs.',
        severity: 'error',
        from: { path: `^lib/(${PUBLIC_PURE_FILES.join('|')})\\.ts$` },
        to: { path: CDK_MODULES },
      },
      {
        name: 'no-runtime-cycles',
        comment: 'No cycle of value imports; a cycle through type-only imports is fine (types are erased).',
        severity: 'error',
        from: { path: '^lib/' },
        to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
      },
    ],
    options: {
      tsPreCompilationDeps: true,
      tsConfig: { fileName: 'tsconfig.json' },
      doNotFollow: { path: 'node_modules' },
      // The sources are the modules: jsii's compiled files beside them are left out, and imports resolve to `.ts` first.
      exclude: { path: '^lib/.*\\.(js|d\\.ts)$' },
      enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
    },
  },
});
const layers = project.addTask('layers', {
  description: 'Check the layer rules of lib/ (dependency-cruiser, rules in .projenrc.ts)',
  exec: 'depcruise lib --config .dependency-cruiser.json --output-type err',
});
project.testTask.prependSpawn(layers);

// Python names for the bindings smoke check in .ci/run (`jsii-pacmak --target python --code-only`); no Python
// package is built or published (PyPI is unreachable here), so projen's publishToPypi stays off.
project.package.file.addOverride('jsii.targets.python', { distName: 'cdk-eks-fargate', module: 'cdk_eks_fargate' });

// `npm test` is the full build: synth, jsii, API.md, jest, eslint (README quick start).
project.package.setScript('test', 'npx projen build');

const example = project.addTask('example', {
  description: 'Build what the example needs, synthesize examples/etl-on-fargate into cdk.out/ and summarize it',
});
example.spawn(project.tasks.tryFind('pre-compile')!);
example.exec('ts-node --transpile-only --project examples/tsconfig.json examples/etl-on-fargate/app.ts');
example.exec('ts-node --transpile-only --project examples/tsconfig.json examples/summarize.ts cdk.out');
project.package.setScript('example', 'npx projen example');

// Benchmarks print numbers; they stay outside the build and CI.
project.addTask('bench', {
  description: 'Compare with aws-cdk-lib eks.FargateCluster and measure the aws-auth merge, writers and handler bundle',
  exec: 'ts-node --transpile-only --project bench/tsconfig.json bench/run.ts',
});
project.package.setScript('bench', 'npx projen bench');

// Examples and benchmarks are type-checked and linted with the test settings, outside jsii's rootDir.
for (const dir of ['examples', 'bench']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: {
      extends: '../tsconfig.json',
      compilerOptions: { noEmit: true, rootDir: '..' },
      include: ['**/*.ts'],
      exclude: ['node_modules', '**/cdk.out'],
    },
  });
}

project.synth();
