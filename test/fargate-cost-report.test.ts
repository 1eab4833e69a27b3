import * as fs from 'fs';
import * as path from 'path';
import { KubectlV34Layer } from '@aws-cdk/lambda-layer-kubectl-v34';
import { App, Stack } from 'aws-cdk-lib';
import { newTestCluster } from './helpers/test-stack';

const JOB = {
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'nightly-export', namespace: 'default' },
  spec: {
    ttlSecondsAfterFinished: 600,
    template: { spec: { restartPolicy: 'Never', containers: [{ name: 'export', image: 'app', resources: { requests: { cpu: '1', memory: '2Gi' } } }] } },
  },
};

let counter = 0;

/** Synthesizes a one-Job app into a fresh folder and returns the folder and the stack's template. */
function synth(context: Record<string, any> = {}, region: string = 'eu-west-1') {
  const outdir = path.join(process.env.TMPDIR ?? '/tmp', `cost-report-${process.pid}-${counter++}`);
  const app = new App({ outdir, context: { '@aws-cdk/core:validateAgainstDefaultRules': true, ...context } });
  const stack = new Stack(app, 'Shop', { env: { account: '111122223333', region } });
  newTestCluster(stack, { kubectlLayer: new KubectlV34Layer(stack, 'Kubectl') }).addManifest('Export', JOB);
  const assembly = app.synth();
  return { outdir, template: fs.readFileSync(path.join(outdir, assembly.getStackByName('Shop').templateFile), 'utf-8') };
}

describe('Fargate cost report', () => {
  const { outdir, template } = synth();

  test('writes a JSON and a Markdown report for the stack into the cloud assembly', () => {
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'Shop.fargate-cost.json'), 'utf-8'));
    expect(report).toMatchObject({
      stack: 'Shop',
      region: 'eu-west-1',
      hoursPerMonth: 730,
      rows: [{
        workload: 'Job default/nightly-export',
        cluster: 'Shop/Cluster',
        construct: 'Shop/Cluster/Export',
        replicas: 1,
        requestedVcpu: 1,
        requestedMemoryMib: 2048,
        billedVcpu: 1,
        billedMemoryGb: 3,
      }],
    });
    expect(report.rows[0].podHourly).toBeCloseTo(0.04048 + 3 * 0.004445, 6);
    expect(fs.readFileSync(path.join(outdir, 'Shop.fargate-cost.md'), 'utf-8'))
      .toContain('| Job default/nightly-export | 1 | 1 vCPU, 2048 MiB | 1 vCPU, 3 GB | $0.0538 | $0.0538 | $39.28 |');
  });

  test('changes no template: the same app with the report turned off synthesizes the same template', () => {
    const without = synth({ 'cdk-eks-fargate:costReport': false });
    expect(fs.existsSync(path.join(without.outdir, 'Shop.fargate-cost.json'))).toBe(false);
    expect(without.template).toEqual(template);
  });

  test('uses a rate from the context over the price table', () => {
    const given = synth({ 'cdk-eks-fargate:fargateRate': '{"vcpuPerHour":0.02,"memoryGbPerHour":0.002}' });
    const report = JSON.parse(fs.readFileSync(path.join(given.outdir, 'Shop.fargate-cost.json'), 'utf-8'));
    expect(report.rows[0].podHourly).toBeCloseTo(0.02 + 3 * 0.002, 9);
    expect(given.template).toEqual(template);
  });

  test('refuses a malformed rate in the context, naming the key and the shape it needs', () => {
    expect(() => synth({ 'cdk-eks-fargate:fargateRate': { vcpuPerHour: -1, memoryGbPerHour: 0.002 } }))
      .toThrow(/context `cdk-eks-fargate:fargateRate` is \{"vcpuPerHour":-1,"memoryGbPerHour":0.002\}; give the Fargate rate as/);
  });
});
