import * as yaml from 'js-yaml';
import { AwsAuthMerge, AwsAuthMappings, AwsAuthState } from '../lib/aws-auth-merge';
import { replaceOwner } from '../lib/private/aws-auth/merge/merge-state';

/** Median and 95th percentile of one operation, in milliseconds. */
export interface LatencySummary {
  readonly medianMs: number;
  readonly p95Ms: number;
}

/** Options of `benchAwsAuthMerge`. */
export interface AwsAuthMergeBenchOptions {
  /** Entries in the ConfigMap's `mapRoles`. @default 5000 */
  readonly entries?: number;
  /** Timed rounds per operation, after as many untimed warm-up rounds. @default 20 */
  readonly rounds?: number;
}

/** Latency of the merge engine on one large aws-auth ConfigMap. */
export interface AwsAuthMergeBenchResult {
  readonly entries: number;
  readonly rounds: number;
  /** Size of the `mapRoles` value in bytes. */
  readonly mapRolesBytes: number;
  /** The baseline: a plain `js-yaml` load of the same `mapRoles` text (no model, no checks). */
  readonly jsYamlLoad: LatencySummary;
  readonly parse: LatencySummary;
  /** An owner that adds ten roles and adopts the existing pod execution role mapping (rewrites `mapRoles`). */
  readonly applyOwner: LatencySummary;
  /** The same owner leaving (rewrites `mapRoles`). */
  readonly removeOwner: LatencySummary;
  /** The same owner renamed (the handler's update when the owner id changes), in one write. */
  readonly renameOwner: LatencySummary;
}

/** The operations timed, in report order. */
export const MERGE_OPERATIONS = ['jsYamlLoad', 'parse', 'applyOwner', 'removeOwner', 'renameOwner'] as const;

/**
 * Times `parse`, `applyOwner` and `removeOwner` on a ConfigMap whose `mapRoles` has `entries` entries written as
 * EKS and eksctl write them (YAML), the node role mapping first.
 */
export function benchAwsAuthMerge(options: AwsAuthMergeBenchOptions = {}): AwsAuthMergeBenchResult {
  const entries = options.entries ?? 5000;
  const rounds = options.rounds ?? 20;
  const base = largeConfigMap(entries);
  const desired: AwsAuthMappings = {
    mapRoles: [
      // Identical to an existing foreign entry: adopted.
      { rolearn: roleArn(1), username: 'system:node:{{SessionName}}', groups: ['system:bootstrappers', 'system:nodes', 'system:node-proxier'] },
      ...Array.from({ length: 10 }, (_, index) => ({ rolearn: `arn:aws:iam::111122223333:role/bench-owner-${index}`, groups: ['bench-readers'] })),
    ],
  };
  const applied = AwsAuthMerge.applyOwner(base, 'bench/Owner', desired);
  return {
    entries,
    rounds,
    mapRolesBytes: Buffer.byteLength(base.data.mapRoles, 'utf8'),
    jsYamlLoad: time(rounds, () => yaml.load(applied.data.mapRoles)),
    parse: time(rounds, () => AwsAuthMerge.parse(applied)),
    applyOwner: time(rounds, () => AwsAuthMerge.applyOwner(base, 'bench/Owner', desired)),
    removeOwner: time(rounds, () => AwsAuthMerge.removeOwner(applied, 'bench/Owner')),
    renameOwner: time(rounds, () => replaceOwner(applied, 'bench/Owner', 'bench-stack:bench/Owner', desired)),
  };
}

function largeConfigMap(entries: number): AwsAuthState {
  let mapRoles = '- rolearn: arn:aws:iam::111122223333:role/eks-node-instance-role\n'
    + '  username: system:node:{{EC2PrivateDNSName}}\n'
    + '  groups:\n    - system:bootstrappers\n    - system:nodes\n';
  for (let index = 1; index < entries; index++) {
    mapRoles += `- rolearn: ${roleArn(index)}\n`
      + '  username: system:node:{{SessionName}}\n'
      + '  groups:\n    - system:bootstrappers\n    - system:nodes\n    - system:node-proxier\n';
  }
  return { data: { mapRoles } };
}

function roleArn(index: number): string {
  return `arn:aws:iam::111122223333:role/fargate-pod-execution-role-${String(index).padStart(5, '0')}`;
}

function time(rounds: number, operation: () => unknown): LatencySummary {
  for (let round = 0; round < rounds; round++) {
    operation();
  }
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = process.hrtime.bigint();
    operation();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return {
    medianMs: round2(samples[Math.floor((samples.length - 1) / 2)]),
    p95Ms: round2(samples[Math.min(samples.length - 1, Math.ceil(samples.length * 0.95) - 1)]),
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** How many times slower than the plain js-yaml load of the same text an operation's median is. */
export function ratioToJsYaml(result: AwsAuthMergeBenchResult, operation: typeof MERGE_OPERATIONS[number]): number {
  return result[operation].medianMs / Math.max(result.jsYamlLoad.medianMs, 0.01);
}

if (require.main === module) {
  for (const entries of [1000, 5000]) {
    const result = benchAwsAuthMerge({ entries });
    console.log(`aws-auth merge, ${result.entries}-entry mapRoles (${Math.round(result.mapRolesBytes / 1024)} KiB), ${result.rounds} rounds:`);
    for (const operation of MERGE_OPERATIONS) {
      const { medianMs, p95Ms } = result[operation];
      console.log(`  ${operation.padEnd(12)} median ${medianMs.toFixed(2)} ms   p95 ${p95Ms.toFixed(2)} ms   `
        + `${ratioToJsYaml(result, operation).toFixed(1)}x js-yaml load`);
    }
  }
}
