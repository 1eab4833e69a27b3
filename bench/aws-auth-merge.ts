import { AwsAuthMerge, AwsAuthMappings, AwsAuthState } from '../lib/aws-auth-merge';

/** Median and 95th percentile of one operation, in milliseconds. */
export interface LatencySummary {
  readonly medianMs: number;
  readonly p95Ms: number;
}

/** Options of `benchAwsAuthMerge`. */
export interface AwsAuthMergeBenchOptions {
  /** Entries in the ConfigMap's `mapRoles`. @default 5000 */
  readonly entries?: number;
  /** Timed rounds per operation, after as many untimed warm-up rounds. @default 50 */
  readonly rounds?: number;
}

/** Latency of the merge engine on one large aws-auth ConfigMap. */
export interface AwsAuthMergeBenchResult {
  readonly entries: number;
  readonly rounds: number;
  /** Size of the `mapRoles` value in bytes. */
  readonly mapRolesBytes: number;
  readonly parse: LatencySummary;
  /** An owner that adds ten roles and adopts the existing pod execution role mapping (rewrites `mapRoles`). */
  readonly applyOwner: LatencySummary;
  /** The same owner leaving (rewrites `mapRoles`). */
  readonly removeOwner: LatencySummary;
}

/**
 * Times `parse`, `applyOwner` and `removeOwner` on a ConfigMap whose `mapRoles` has `entries` entries written as
 * EKS and eksctl write them (YAML), the node role mapping first.
 */
export function benchAwsAuthMerge(options: AwsAuthMergeBenchOptions = {}): AwsAuthMergeBenchResult {
  const entries = options.entries ?? 5000;
  const rounds = options.rounds ?? 50;
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
    parse: time(rounds, () => AwsAuthMerge.parse(applied)),
    applyOwner: time(rounds, () => AwsAuthMerge.applyOwner(base, 'bench/Owner', desired)),
    removeOwner: time(rounds, () => AwsAuthMerge.removeOwner(applied, 'bench/Owner')),
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

if (require.main === module) {
  const result = benchAwsAuthMerge();
  console.log(`aws-auth merge, ${result.entries}-entry mapRoles (${Math.round(result.mapRolesBytes / 1024)} KiB), ${result.rounds} rounds:`);
  for (const operation of ['parse', 'applyOwner', 'removeOwner'] as const) {
    const { medianMs, p95Ms } = result[operation];
    console.log(`  ${operation.padEnd(12)} median ${medianMs.toFixed(2)} ms   p95 ${p95Ms.toFixed(2)} ms`);
  }
}
