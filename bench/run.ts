/**
 * Runs every benchmark and prints one Markdown report for the README (`npm run bench`).
 * A benchmark that throws is reported as failed and makes the exit code 1; the others still run.
 */
import * as os from 'os';
import { runAwsAuthConcurrencyBenchmark } from './aws-auth-concurrency';
import { benchAwsAuthMerge, MERGE_OPERATIONS, ratioToJsYaml } from './aws-auth-merge';
import { compareWithAwsCdkLib, comparisonTable } from './compare-aws-cdk-lib';
import { footprintTable, measureExamples } from './example-footprint';
import { handlerBundleAdvice, measureHandlerBundle } from './handler-bundle';
import { manifestScalingTable, measureManifestScaling } from './manifest-scaling';
import { formatBytes, formatMs, markdownTable } from './markdown-table';
import { measureObjectsApply } from './objects-apply';

/** Entries in the aws-auth ConfigMaps the merge engine is timed on: a large cluster and one near the 1 MiB limit. */
const MERGE_ENTRIES = [1000, 5000];

/** Each section of the report: a heading and the Markdown a benchmark produces. */
const SECTIONS: ReadonlyArray<readonly [string, () => Promise<string>]> = [
  ['Same app, two libraries: cdk-eks-fargate vs aws-cdk-lib `aws-eks` `FargateCluster`', comparison],
  ['Synth time as manifests grow: cdk-eks-fargate vs aws-cdk-lib `aws-eks`', manifestScaling],
  ['What the examples deploy', exampleFootprint],
  ['Applying 50 objects (fake Kubernetes API on 127.0.0.1)', objectsApply],
  [`aws-auth merge engine on ${MERGE_ENTRIES.map((entries) => entries.toLocaleString('en-US')).join(' and ')}-entry ConfigMaps`, awsAuthMerge],
  ['aws-auth writers racing on one ConfigMap (fake Kubernetes API on 127.0.0.1)', awsAuthConcurrency],
  ['Kubernetes handler bundle (aws-auth and objects)', handlerBundle],
];

async function comparison(): Promise<string> {
  const result = compareWithAwsCdkLib();
  return [
    `A Fargate-only cluster (Kubernetes 1.34, \`mastersRole\`, default profile) plus one profile for each of ${result.namespaces} `
      + 'namespaces; each synth in a new `App` (account 111122223333, eu-west-1) writing to a temporary folder. '
      + '"validation" is aws-cdk-lib\'s built-in CloudFormation validation (`builtinCloudFormationValidation`), on by default; '
      + `its engine starts on the first synth of a process. Ours loaded from \`${result.oursLoadedFrom}\`.`,
    '',
    comparisonTable(result),
  ].join('\n');
}

async function manifestScaling(): Promise<string> {
  return [
    'The cluster of the comparison above plus one profile, and N Deployments added with one `addManifest` each; construct '
      + 'and `app.synth()` in this process, validation off, median of 5 alternating rounds after a warm-up, each after a full '
      + 'garbage collection (else each sample pays for the garbage of the other library\'s app before it). Ours loads '
      + 'compiled `lib/*.js` when present (as users get it), else the TypeScript sources through ts-node.',
    '',
    manifestScalingTable(measureManifestScaling()),
  ].join('\n');
}

async function exampleFootprint(): Promise<string> {
  return [
    'Each example synthesized as its snapshot test does (validation on). Only Helm charts still bring aws-cdk-lib\'s kubectl '
      + 'provider (a nested stack, 2 Lambdas and the kubectl and AWS CLI layers); manifests go through the library\'s own handler.',
    '',
    footprintTable(measureExamples()),
  ].join('\n');
}

async function objectsApply(): Promise<string> {
  const numbers = await measureObjectsApply();
  return [
    `One \`KubernetesObjects\` Create of ${numbers.objects} objects (5 Namespaces, 15 ConfigMaps, 10 ServiceAccounts, 5 Roles, `
      + '5 RoleBindings, 10 Deployments) through the real handler: discovery, REST mapping and one server-side apply each.',
    '',
    markdownTable(['Objects', 'Requests', 'Median', 'Min', 'Max', 'Rounds'], [[
      String(numbers.objects), String(numbers.requestsPerCreate), formatLatency(numbers.medianMs), formatLatency(numbers.minMs),
      formatLatency(numbers.maxMs), String(numbers.rounds),
    ]]),
  ].join('\n');
}

async function awsAuthMerge(): Promise<string> {
  const results = MERGE_ENTRIES.map((entries) => benchAwsAuthMerge({ entries }));
  const names: { readonly [operation in typeof MERGE_OPERATIONS[number]]: string } = {
    jsYamlLoad: 'baseline: `js-yaml` `load` of the same text',
    parse: '`AwsAuthMerge.parse`',
    applyOwner: '`AwsAuthMerge.applyOwner` (adds 10, adopts 1)',
    removeOwner: '`AwsAuthMerge.removeOwner`',
    renameOwner: 'owner id renamed (handler update, one write)',
  };
  const rows = results.flatMap((result) => MERGE_OPERATIONS.map((operation) => [
    result.entries.toLocaleString('en-US'), names[operation], formatLatency(result[operation].medianMs),
    formatLatency(result[operation].p95Ms), `${ratioToJsYaml(result, operation).toFixed(1)}×`,
  ]));
  return [
    `\`mapRoles\` in YAML (${results.map((result) => `${result.entries.toLocaleString('en-US')} entries: ${formatBytes(result.mapRolesBytes)}`).join(', ')}); `
      + `${results[0].rounds} timed rounds per operation after as many warm-up rounds. The ratio is the median over the `
      + 'baseline\'s median: a model of go-yaml v2 plus the read-back of every edit costs a few plain loads, and the '
      + 'ratio stays the same from 1,000 to 5,000 entries when the merge is linear.',
    '',
    markdownTable(['Entries', 'Operation', 'Median', 'p95', 'Ratio to baseline'], rows),
  ].join('\n');
}

async function awsAuthConcurrency(): Promise<string> {
  const numbers = await runAwsAuthConcurrencyBenchmark();
  if (numbers.entriesLost > 0 || numbers.entriesUnexpected > 0) {
    process.exitCode = 1;
  }
  return [
    'The handler\'s own writer (read, merge, write at the read `resourceVersion`, jittered backoff on 409) with real sleeps, '
      + 'foreign entries present and an outside writer interfering.',
    '',
    markdownTable(['Writers', 'Rounds', 'Writes', 'Attempts', 'Conflicts retried', 'Entries lost', 'Entries unexpected', 'Wall time'], [[
      numbers.writers, numbers.rounds, numbers.writers * numbers.rounds, numbers.attempts, numbers.conflictsRetried,
      numbers.entriesLost, numbers.entriesUnexpected,
    ].map(String).concat(formatMs(numbers.wallTimeMs))]),
  ].join('\n');
}

async function handlerBundle(): Promise<string> {
  const numbers = await measureHandlerBundle();
  const table = numbers.built
    ? markdownTable(['File', 'Size', 'gzip -9', 'Cold `require` (median of 9 processes)', 'Matches current sources'], [[
      `\`${numbers.file}\``, formatBytes(numbers.bytes!), formatBytes(numbers.gzipBytes!), formatLatency(numbers.coldRequireMs!),
      numbers.matchesSources ? 'yes' : 'no',
    ]])
    : '';
  return [table, handlerBundleAdvice(numbers)].filter((part) => part !== '').join('\n\n');
}

function formatLatency(ms: number): string {
  return `${ms.toFixed(1)} ms`;
}

async function main(): Promise<void> {
  // Load average and core count go in the report because every time in it depends on them.
  const [load] = os.loadavg();
  console.log('# Benchmarks\n');
  console.log(`Node.js ${process.version}, ${os.cpus().length} cores, load average ${load.toFixed(1)} at start. `
    + 'Wall times on a shared machine are noisy: compare ratios, not absolute numbers.\n');
  for (const [title, run] of SECTIONS) {
    let body: string;
    try {
      body = await run();
    } catch (error) {
      process.exitCode = 1;
      body = `Failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    console.log(`## ${title}\n\n${body}\n`);
  }
}

void main();
