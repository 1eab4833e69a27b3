/**
 * The same Fargate-only cluster with 15 namespaces built with this library and with aws-cdk-lib's `aws-eks`
 * `FargateCluster`, side by side: synth wall time and what the cloud assembly deploys.
 * Run: `npx ts-node --transpile-only --project bench/tsconfig.json bench/compare-aws-cdk-lib.ts`
 * Rounds: `BENCH_ROUNDS` (in-process synths, default 5), `BENCH_FRESH_ROUNDS` (fresh processes, default 3).
 */
import * as path from 'path';
import { AssemblyMetrics } from './assembly-metrics';
import { COMPARISON_VARIANTS, ComparisonVariant, NAMESPACE_COUNT } from './comparison-apps';
import { formatBytes, formatMs, markdownTable, median } from './markdown-table';
import { SynthTiming, timeAndMeasureSynth, timeSynth, timeSynthInFreshProcess } from './synth-timing';

/** Median wall times of one variant, in milliseconds. */
export interface VariantTimes {
  /** First `app.synth()` in a new process, built-in CloudFormation validation on (what `cdk synth` pays). */
  readonly firstSynthValidationOn: number;
  /** First `app.synth()` in a new process, validation off. */
  readonly firstSynthValidationOff: number;
  /** `app.synth()` after warm-up, validation on. */
  readonly synthValidationOn: number;
  /** `app.synth()` after warm-up, validation off. */
  readonly synthValidationOff: number;
  /** Constructing the app after warm-up (all in-process rounds). */
  readonly construct: number;
}

/** Numbers of one variant. */
export interface VariantNumbers {
  readonly times: VariantTimes;
  readonly assembly: AssemblyMetrics;
}

/** Options of `compareWithAwsCdkLib`. */
export interface ComparisonOptions {
  /** In-process synths per variant and validation setting, after one untimed warm-up. @default BENCH_ROUNDS or 5 */
  readonly rounds?: number;
  /** New processes per variant and validation setting. @default BENCH_FRESH_ROUNDS or 3 */
  readonly freshRounds?: number;
}

/** Result of `compareWithAwsCdkLib`. */
export interface ComparisonResult {
  readonly rounds: number;
  readonly freshRounds: number;
  readonly namespaces: number;
  /** File our constructs were loaded from, relative to the repository (stale compiled `lib/*.js` would win over `.ts`). */
  readonly oursLoadedFrom: string;
  readonly ours: VariantNumbers;
  readonly awsCdkLib: VariantNumbers;
}

/** Builds and synthesizes both variants, alternating them every round so that background load hits both alike. */
export function compareWithAwsCdkLib(options: ComparisonOptions = {}): ComparisonResult {
  const rounds = options.rounds ?? positiveIntegerFromEnv('BENCH_ROUNDS', 5);
  const freshRounds = options.freshRounds ?? positiveIntegerFromEnv('BENCH_FRESH_ROUNDS', 3);
  const samples = new Map<string, SynthTiming[]>();
  const record = (key: string, timing: SynthTiming) => samples.set(key, [...(samples.get(key) ?? []), timing]);

  for (let round = 0; round < freshRounds; round++) {
    for (const variant of alternate(round)) {
      for (const validation of [true, false]) {
        record(`${variant}/fresh/${validation}`, timeSynthInFreshProcess(variant, validation));
      }
    }
  }
  // Warm-up: the first synth here starts the validation engine and loads lazily required modules; it also gives the
  // assembly numbers, which do not change between rounds.
  const assemblies = new Map(COMPARISON_VARIANTS.map((variant) => [variant, timeAndMeasureSynth(variant, true).metrics]));
  for (let round = 0; round < rounds; round++) {
    for (const variant of alternate(round)) {
      for (const validation of [true, false]) {
        record(`${variant}/warm/${validation}`, timeSynth(variant, validation));
      }
    }
  }

  const synthMedian = (key: string) => median(samples.get(key)!.map((timing) => timing.synthMs));
  const numbers = (variant: ComparisonVariant): VariantNumbers => ({
    times: {
      firstSynthValidationOn: synthMedian(`${variant}/fresh/true`),
      firstSynthValidationOff: synthMedian(`${variant}/fresh/false`),
      synthValidationOn: synthMedian(`${variant}/warm/true`),
      synthValidationOff: synthMedian(`${variant}/warm/false`),
      construct: median([true, false].flatMap((validation) => samples.get(`${variant}/warm/${validation}`)!.map((timing) => timing.constructMs))),
    },
    assembly: assemblies.get(variant)!,
  });
  return {
    rounds,
    freshRounds,
    namespaces: NAMESPACE_COUNT,
    oursLoadedFrom: path.relative(path.resolve(__dirname, '..'), require.resolve('../lib')),
    ours: numbers('ours'),
    awsCdkLib: numbers('aws-cdk-lib'),
  };
}

/** The comparison as a Markdown table: one row per number, ours, aws-cdk-lib and their ratio. */
export function comparisonTable(result: ComparisonResult): string {
  const row = (label: string, pick: (numbers: VariantNumbers) => number, format: (value: number) => string = String) => {
    const ours = pick(result.ours);
    const theirs = pick(result.awsCdkLib);
    return [label, format(ours), format(theirs), ours === 0 ? '–' : `${(theirs / ours).toFixed(1)}×`];
  };
  const fresh = `median of ${result.freshRounds} new processes`;
  const warm = `median of ${result.rounds}, after warm-up`;
  return markdownTable(['', 'cdk-eks-fargate', 'aws-cdk-lib `aws-eks`', 'aws-cdk-lib / ours'], [
    row(`\`app.synth()\`, first in a process, validation on (${fresh})`, (n) => n.times.firstSynthValidationOn, formatMs),
    row(`\`app.synth()\`, first in a process, validation off (${fresh})`, (n) => n.times.firstSynthValidationOff, formatMs),
    row(`\`app.synth()\`, validation on (${warm})`, (n) => n.times.synthValidationOn, formatMs),
    row(`\`app.synth()\`, validation off (${warm})`, (n) => n.times.synthValidationOff, formatMs),
    row(`Constructing the app (${warm})`, (n) => n.times.construct, formatMs),
    row('Resources (all templates)', (n) => n.assembly.resources),
    row('Templates', (n) => n.assembly.templates),
    row('Lambda functions', (n) => n.assembly.lambdaFunctions),
    row('IAM roles', (n) => n.assembly.iamRoles),
    row('Asset bytes', (n) => n.assembly.assetBytes, formatBytes),
    row('Serialized profile operations on the deploy critical path', (n) => n.assembly.serializedProfileOperations),
  ]);
}

/** Even rounds start with ours, odd rounds with aws-cdk-lib. */
function alternate(round: number): readonly ComparisonVariant[] {
  return round % 2 === 0 ? COMPARISON_VARIANTS : [...COMPARISON_VARIANTS].reverse();
}

/** A whole number of at least 1 from the environment variable `name`, else `fallback`; anything else throws. */
export function positiveIntegerFromEnv(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') {
    return fallback;
  }
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`\`${name}\` is "${text}"; it must be a whole number of at least 1`);
  }
  return value;
}

if (require.main === module) {
  const result = compareWithAwsCdkLib();
  console.log(`Fargate cluster, admin role, default profile + ${result.namespaces} namespaces (ours from \`${result.oursLoadedFrom}\`):\n`);
  console.log(comparisonTable(result));
}
