/**
 * How synth time grows with the number of manifests: the same app with N Deployments (one `addManifest` each) built
 * with this library and with aws-cdk-lib's `aws-eks` `FargateCluster`, synthesized in this process with validation
 * off (the validation engine's cost does not depend on the library), rounds alternating so that load hits both alike.
 * Run: `npx ts-node --transpile-only --project bench/tsconfig.json bench/manifest-scaling.ts`
 * Rounds: `BENCH_ROUNDS` (default 5).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { KubectlV29Layer } from '@aws-cdk/lambda-layer-kubectl-v29';
import { App, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AssemblyMetrics, measureAssembly } from './assembly-metrics';
import { positiveIntegerFromEnv } from './compare-aws-cdk-lib';
import { COMPARISON_VARIANTS, ComparisonVariant } from './comparison-apps';
import { collectGarbage } from './full-gc';
import { formatBytes, formatMs, markdownTable, median } from './markdown-table';
import { FargateCluster } from '../lib';

/** Manifest counts the report shows. */
export const MANIFEST_COUNTS = [200, 1000];

/** Ours must synthesize in at most this share of aws-cdk-lib's time. */
export const TARGET_RATIO = 0.8;

/** Median construct + synth wall time of each variant for one manifest count. */
export interface ManifestScalingRow {
  readonly manifests: number;
  readonly oursMs: number;
  readonly awsCdkLibMs: number;
  /** ours / aws-cdk-lib. */
  readonly ratio: number;
  /** What each variant's assembly deploys. */
  readonly ours: AssemblyMetrics;
  readonly awsCdkLib: AssemblyMetrics;
}

/** A Deployment that a profile selecting namespace `apps` schedules on Fargate, sized to a Fargate combination. */
function deployment(index: number): Record<string, any> {
  const labels = { app: `app-${index}` };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `app-${index}`, namespace: 'apps' },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'app', image: 'public.ecr.aws/nginx/nginx:1.27', resources: { requests: { cpu: '250m', memory: '256Mi' } } }] },
      },
    },
  };
}

/** The app of one variant with `manifests` Deployments, writing to `outdir` (exported for profiling). */
export function newManifestApp(variant: ComparisonVariant, manifests: number, outdir: string): App {
  // 1,000 manifests are more resources than one stack may hold; the limit check is off so that synth cost is measured.
  const app = new App({ outdir, builtinCloudFormationValidation: false, context: { '@aws-cdk/core:stackResourceLimit': 0 } });
  const stack = new Stack(app, 'Bench', { env: { account: '111122223333', region: 'eu-west-1' } });
  const mastersRole = new iam.Role(stack, 'MastersRole', { assumedBy: new iam.AccountRootPrincipal() });
  if (variant === 'ours') {
    const cluster = new FargateCluster(stack, 'Cluster', { version: eks.KubernetesVersion.V1_34, mastersRole });
    cluster.addProfileSet('Apps', { selectors: [{ namespace: 'apps' }] });
    for (let index = 0; index < manifests; index++) {
      cluster.addManifest(`App${index}`, deployment(index));
    }
  } else {
    const cluster = new eks.FargateCluster(stack, 'Cluster', {
      version: eks.KubernetesVersion.V1_34,
      kubectlLayer: new KubectlV29Layer(stack, 'Kubectl'),
      mastersRole,
    });
    cluster.addFargateProfile('Apps', { selectors: [{ namespace: 'apps' }] });
    for (let index = 0; index < manifests; index++) {
      cluster.addManifest(`App${index}`, deployment(index));
    }
  }
  return app;
}

/** Constructs and synthesizes one app into a temporary folder: the wall time in milliseconds and what it deploys. */
function timeOnce(variant: ComparisonVariant, manifests: number): { ms: number; assembly: AssemblyMetrics } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-eks-fargate-scaling-'));
  try {
    collectGarbage();
    const start = process.hrtime.bigint();
    newManifestApp(variant, manifests, outdir).synth();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    return { ms, assembly: measureAssembly(outdir) };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Times both variants at each manifest count: one untimed warm-up each, then `rounds` alternating rounds. */
export function measureManifestScaling(counts: readonly number[] = MANIFEST_COUNTS, rounds = positiveIntegerFromEnv('BENCH_ROUNDS', 5)): ManifestScalingRow[] {
  return counts.map((manifests) => {
    const assemblies = new Map(COMPARISON_VARIANTS.map((variant) => [variant, timeOnce(variant, manifests).assembly]));
    const samples = new Map<ComparisonVariant, number[]>(COMPARISON_VARIANTS.map((variant) => [variant, []]));
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? COMPARISON_VARIANTS : [...COMPARISON_VARIANTS].reverse();
      order.forEach((variant) => samples.get(variant)!.push(timeOnce(variant, manifests).ms));
    }
    const oursMs = median(samples.get('ours')!);
    const awsCdkLibMs = median(samples.get('aws-cdk-lib')!);
    return { manifests, oursMs, awsCdkLibMs, ratio: oursMs / awsCdkLibMs, ours: assemblies.get('ours')!, awsCdkLib: assemblies.get('aws-cdk-lib')! };
  });
}

/** The rows as a Markdown table, with the target ratio checked per row; deploy figures as `ours / aws-cdk-lib`. */
export function manifestScalingTable(rows: readonly ManifestScalingRow[]): string {
  const pair = (row: ManifestScalingRow, pick: (assembly: AssemblyMetrics) => number, format: (value: number) => string = String) =>
    `${format(pick(row.ours))} / ${format(pick(row.awsCdkLib))}`;
  return markdownTable([
    'Manifests', 'Synth, cdk-eks-fargate', 'Synth, aws-cdk-lib `aws-eks`', 'ours / aws-cdk-lib', `Within ${TARGET_RATIO}×`,
    'Templates (ours / theirs)', 'Lambdas (ours / theirs)', 'Asset bytes (ours / theirs)',
  ], rows.map((row) => [
    String(row.manifests), formatMs(row.oursMs), formatMs(row.awsCdkLibMs), `${row.ratio.toFixed(2)}×`, row.ratio <= TARGET_RATIO ? 'yes' : 'no',
    pair(row, (assembly) => assembly.templates), pair(row, (assembly) => assembly.lambdaFunctions),
    pair(row, (assembly) => assembly.assetBytes, formatBytes),
  ]));
}

if (require.main === module) {
  console.log(manifestScalingTable(measureManifestScaling()));
}
