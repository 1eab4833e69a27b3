import * as fs from 'fs';
import * as path from 'path';
import { attachCustomSynthesis, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { buildCostReport, renderCostReportMarkdown } from './cost-report';
import type { IFargateCluster } from '../../fargate-cluster-interface';
import { FargateRate } from '../../fargate-pod-size';
import { stateOf } from '../cluster/cluster-state';

/** Context key that turns the report off when `false`. */
export const COST_REPORT_CONTEXT_KEY = 'cdk-eks-fargate:costReport';

/** Context key of a rate (`{ "vcpuPerHour": n, "memoryGbPerHour": n }`) that replaces the shipped price table. */
export const FARGATE_RATE_CONTEXT_KEY = 'cdk-eks-fargate:fargateRate';

const WRITER_ID = 'CdkEksFargateCostReport';

/**
 * Writes `<stack artifact id>.fargate-cost.json` and `.md` into the cloud assembly when the app synthesizes, for
 * the clusters of the stack that have manifests. A construct without resources: templates stay as they are.
 */
class CostReportWriter extends Construct {
  public readonly clusters = new Set<IFargateCluster>();

  constructor(private readonly stack: Stack, id: string) {
    super(stack, id);
    attachCustomSynthesis(this, { onSynthesize: (session) => this.write(session.outdir) });
  }

  private write(outdir: string): void {
    const region = Token.isUnresolved(this.stack.region) ? undefined : this.stack.region;
    const report = buildCostReport({
      stack: this.stack.stackName,
      region,
      rate: rateFromContext(this.stack),
      clusters: [...this.clusters].map((cluster) => ({
        path: cluster.node.path,
        context: { fargateOnly: cluster.fargateOnly, profileSelectors: stateOf(cluster).profiles.profiles.flatMap((profile) => profile.selectors) },
        entries: stateOf(cluster).manifests.map((entry) => ({ construct: entry.construct.node.path, manifests: entry.manifests })),
      })),
    });
    const base = path.join(outdir, `${this.stack.artifactId}.fargate-cost`);
    fs.writeFileSync(`${base}.json`, `${JSON.stringify(report, undefined, 2)}\n`);
    fs.writeFileSync(`${base}.md`, renderCostReportMarkdown(report));
  }
}

/** Makes sure the report of the cluster's stack covers the cluster (unless the app turned reports off). */
export function reportCostsOf(cluster: IFargateCluster): void {
  const stack = Stack.of(cluster);
  const setting = stack.node.tryGetContext(COST_REPORT_CONTEXT_KEY);
  if (setting === false || setting === 'false') {
    return;
  }
  rateFromContext(stack);
  const existing = stack.node.tryFindChild(WRITER_ID);
  const writer = existing instanceof CostReportWriter ? existing : new CostReportWriter(stack, WRITER_ID);
  writer.clusters.add(cluster);
}

/** The rate in the app's context, checked; undefined when none is set. */
function rateFromContext(stack: Stack): FargateRate | undefined {
  const raw = stack.node.tryGetContext(FARGATE_RATE_CONTEXT_KEY);
  if (raw === undefined) {
    return undefined;
  }
  let value: any = raw;
  try {
    value = typeof raw === 'string' ? JSON.parse(raw) : raw;
  } catch {
    // Reported below with the value as given.
  }
  const valid = (field: unknown) => typeof field === 'number' && Number.isFinite(field) && field >= 0;
  if (typeof value !== 'object' || value === null || !valid(value.vcpuPerHour) || !valid(value.memoryGbPerHour)) {
    throw new Error(`${stack.node.path}: context \`${FARGATE_RATE_CONTEXT_KEY}\` is ${JSON.stringify(raw)}; give the Fargate rate as `
      + '`{ "vcpuPerHour": <USD per vCPU-hour>, "memoryGbPerHour": <USD per GB-hour> }` with numbers of 0 or more, or remove it to use '
      + 'the price table shipped with cdk-eks-fargate.');
  }
  return { vcpuPerHour: value.vcpuPerHour, memoryGbPerHour: value.memoryGbPerHour };
}
