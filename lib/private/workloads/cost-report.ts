import { FargatePodSize, FargateRate } from '../../fargate-pod-size';
import { fargateWorkloadOf, flattenLists, objectAt, podWorkloadOf } from '../readiness/pod-spec';
import { KubernetesManifest, ReadinessContext } from '../readiness/types';

/**
 * The billed size and on-demand price of every pod-bearing workload added to the clusters of one stack, as a
 * report for people (Markdown) and tools (JSON). Pure: the same manifests give the same report, byte for byte.
 */

/** Hours in a month, as AWS prices monthly figures. */
export const HOURS_PER_MONTH = 730;

/** Manifests added to one cluster as one construct. */
export interface ReportedManifests {
  /** Path of the construct the manifests were added as. */
  readonly construct: string;
  readonly manifests: readonly KubernetesManifest[];
}

/** One cluster of the stack with what decides which of its pods Fargate runs. */
export interface ReportedCluster {
  readonly path: string;
  readonly context: ReadinessContext;
  readonly entries: readonly ReportedManifests[];
}

/** One workload of the report; sizes and prices are per pod unless named per workload. */
export interface CostReportRow {
  /** `Kind namespace/name`. */
  readonly workload: string;
  readonly cluster: string;
  readonly construct: string;
  /** Pods running at once: `replicas`, a Job's `parallelism`; absent when not a literal count. */
  readonly replicas?: number;
  readonly requestedVcpu: number;
  readonly requestedMemoryMib: number;
  /** Absent when the pod is larger than any Fargate combination (a readiness error). */
  readonly billedVcpu?: number;
  readonly billedMemoryGb?: number;
  readonly podHourly?: number;
  readonly workloadHourly?: number;
  readonly workloadMonthly?: number;
}

/** The report of one stack. */
export interface CostReport {
  readonly stack: string;
  /** Absent when the stack is environment-agnostic. */
  readonly region?: string;
  /** Where the rate comes from: the shipped table (with its date and source) or the user. */
  readonly rate?: FargateRate & { readonly origin: string };
  readonly hoursPerMonth: number;
  readonly rows: readonly CostReportRow[];
  readonly totalHourly?: number;
  readonly totalMonthly?: number;
}

/** What the report is built from. */
export interface CostReportInput {
  readonly stack: string;
  readonly region?: string;
  /** A rate from the user, replacing the table's. */
  readonly rate?: FargateRate;
  readonly clusters: readonly ReportedCluster[];
}

/** Builds the report: one row for each workload whose pods Fargate runs (on mixed clusters, those a profile selects). */
export function buildCostReport(input: CostReportInput): CostReport {
  const tableRate = input.region === undefined ? undefined : FargatePodSize.rateOf(input.region);
  const rate = input.rate
    ? { ...input.rate, origin: 'given by the app (context cdk-eks-fargate:fargateRate)' }
    : tableRate && { ...tableRate, origin: `on-demand Linux/x86_64 price table of ${FargatePodSize.PRICE_TABLE_DATE}: ${FargatePodSize.PRICE_TABLE_SOURCE}` };
  const rows = input.clusters.flatMap((cluster) => cluster.entries.flatMap((entry) => flattenLists(entry.manifests)
    .filter((manifest) => typeof manifest === 'object' && manifest !== null && fargateWorkloadOf(manifest, cluster.context) !== undefined)
    .map((manifest) => rowOf(manifest, cluster.path, entry.construct, rate))));
  const priced = rows.every((row) => row.workloadHourly !== undefined);
  const totalHourly = priced && rows.length > 0 ? round(rows.reduce((sum, row) => sum + row.workloadHourly!, 0)) : undefined;
  return {
    stack: input.stack,
    region: input.region,
    rate,
    hoursPerMonth: HOURS_PER_MONTH,
    rows,
    totalHourly,
    totalMonthly: totalHourly === undefined ? undefined : round(totalHourly * HOURS_PER_MONTH),
  };
}

function rowOf(manifest: KubernetesManifest, cluster: string, construct: string, rate: FargateRate | undefined): CostReportRow {
  const workload = podWorkloadOf(manifest)!;
  const size = FargatePodSize.ofPodSpec(workload.spec);
  const replicas = replicasOf(manifest);
  const podHourly = rate ? size.hourlyPrice('', rate) : undefined;
  const workloadHourly = podHourly !== undefined && replicas !== undefined ? podHourly * replicas : undefined;
  return {
    workload: workload.reference,
    cluster,
    construct,
    replicas,
    requestedVcpu: size.requestedVcpu,
    requestedMemoryMib: round(size.requestedMemoryMib),
    billedVcpu: size.billedVcpu,
    billedMemoryGb: size.billedMemoryGb,
    podHourly: podHourly === undefined ? undefined : round(podHourly),
    workloadHourly: workloadHourly === undefined ? undefined : round(workloadHourly),
    workloadMonthly: workloadHourly === undefined ? undefined : round(workloadHourly * HOURS_PER_MONTH),
  };
}

/** Pods of a workload running at once, as Kubernetes defaults them; undefined when not a literal count. */
function replicasOf(manifest: KubernetesManifest): number | undefined {
  const spec = objectAt(manifest, 'spec');
  const count = manifest.kind === 'Pod' ? 1
    : manifest.kind === 'Job' ? spec?.parallelism ?? 1
      : manifest.kind === 'CronJob' ? objectAt(spec, 'jobTemplate', 'spec')?.parallelism ?? 1
        : spec?.replicas ?? 1;
  return Number.isInteger(count) && count >= 0 ? count : undefined;
}

/** Six decimals: enough for per-pod prices, and free of floating-point noise in the JSON. */
function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** The report as a Markdown page: one table row per workload, then the total. */
export function renderCostReportMarkdown(report: CostReport): string {
  const money = (value: number | undefined, digits: number) => (value === undefined ? 'n/a' : `$${value.toFixed(digits)}`);
  const lines = [
    `# Fargate size and cost: ${report.stack}`,
    '',
    report.rate
      ? `Prices in ${report.region ?? 'the given rate'}: $${report.rate.vcpuPerHour} per vCPU-hour and $${report.rate.memoryGbPerHour} per GB-hour, ${report.rate.origin}.`
      : `No price: ${report.region === undefined ? 'the stack has no region at synth' : `the price table has no rate for ${report.region}`}; `
        + 'set the context key `cdk-eks-fargate:fargateRate` to `{ "vcpuPerHour": ..., "memoryGbPerHour": ... }`.',
    `A month is ${report.hoursPerMonth} hours; Jobs and CronJobs cost this per hour while they run. Billed size = the larger of the `
      + 'containers\' sum and the largest init container, plus 256 MiB, rounded up to a Fargate combination.',
    '',
    '| Workload | Replicas | Requests (pod) | Billed size (pod) | $/hour (pod) | $/hour | $/month |',
    '|---|---:|---|---|---:|---:|---:|',
    ...report.rows.map((row) => `| ${row.workload} | ${row.replicas ?? 'n/a'} | ${row.requestedVcpu} vCPU, ${row.requestedMemoryMib} MiB | `
      + `${row.billedVcpu === undefined ? 'too large for Fargate' : `${row.billedVcpu} vCPU, ${row.billedMemoryGb} GB`} | `
      + `${money(row.podHourly, 4)} | ${money(row.workloadHourly, 4)} | ${money(row.workloadMonthly, 2)} |`),
    `| **Total** | | | | | ${money(report.totalHourly, 4)} | ${money(report.totalMonthly, 2)} |`,
    '',
  ];
  return lines.join('\n');
}
