/**
 * What the example apps deploy: assets, templates, Lambdas and which custom resources apply Kubernetes objects.
 * Run: `npx ts-node --transpile-only --project bench/tsconfig.json bench/example-footprint.ts`
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AssemblyMetrics, measureAssembly } from './assembly-metrics';
import { formatBytes, markdownTable } from './markdown-table';
import { newExampleApp } from '../examples/shared/example-app';
import { KUBERNETES_OBJECTS_RESOURCE_TYPE } from '../lib/private/manifests/resource-properties';
import { EXAMPLE_STACKS } from '../test/helpers/example-stacks';

/** aws-cdk-lib's kubectl-provider resource for manifests, which the library's own objects resource replaces. */
const KUBECTL_MANIFEST_TYPE = 'Custom::AWSCDK-EKS-KubernetesResource';
const HELM_CHART_TYPE = 'Custom::AWSCDK-EKS-HelmChart';

/** The examples the report covers by default: one with manifests only, one on an imported cluster. */
export const FOOTPRINT_EXAMPLES = ['etl-on-fargate', 'imported-cluster', 'web-on-fargate'];

/** Synthesizes each example (validation on, as its snapshot test does) and reads what its assembly deploys. */
export function measureExamples(names: readonly string[] = FOOTPRINT_EXAMPLES): Array<{ name: string; assembly: AssemblyMetrics }> {
  return names.map((name) => {
    const build = EXAMPLE_STACKS[name];
    if (!build) {
      throw new Error(`no example named "${name}"; examples: ${Object.keys(EXAMPLE_STACKS).join(', ')}`);
    }
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-eks-fargate-footprint-'));
    try {
      const app = newExampleApp(outdir);
      build(app);
      app.synth();
      return { name, assembly: measureAssembly(outdir) };
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
}

/** One row per example. */
export function footprintTable(examples: Array<{ name: string; assembly: AssemblyMetrics }>): string {
  const count = (assembly: AssemblyMetrics, type: string) => String(assembly.resourceTypes[type] ?? 0);
  return markdownTable(
    ['Example', 'Asset bytes', 'Nested stacks', 'Lambda functions', `\`${KUBERNETES_OBJECTS_RESOURCE_TYPE}\``, `\`${KUBECTL_MANIFEST_TYPE}\``, `\`${HELM_CHART_TYPE}\``],
    examples.map(({ name, assembly }) => [
      `\`examples/${name}\``, formatBytes(assembly.assetBytes), count(assembly, 'AWS::CloudFormation::Stack'), String(assembly.lambdaFunctions),
      count(assembly, KUBERNETES_OBJECTS_RESOURCE_TYPE), count(assembly, KUBECTL_MANIFEST_TYPE), count(assembly, HELM_CHART_TYPE),
    ]),
  );
}

if (require.main === module) {
  console.log(footprintTable(measureExamples()));
}
