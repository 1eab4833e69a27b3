import { buildCostReport, renderCostReportMarkdown } from '../../../lib/private/workloads/cost-report';

const FARGATE_ONLY = { fargateOnly: true, profileSelectors: [{ namespace: 'default' }] };

function deployment(name: string, replicas: unknown, cpu: string, memory: string, namespace = 'default'): Record<string, any> {
  const containers = [{ name: 'app', image: 'app', resources: { requests: { cpu, memory }, limits: { cpu, memory } } }];
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers } } },
  };
}

function job(parallelism: number | undefined): Record<string, any> {
  const containers = [{ name: 'export', image: 'app', resources: { requests: { cpu: '1', memory: '2Gi' } } }];
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'export', namespace: 'default' },
    spec: { parallelism, template: { metadata: {}, spec: { containers, restartPolicy: 'Never' } } },
  };
}

function report(manifests: Array<Record<string, any>>, region: string | undefined = 'us-east-1', context: any = FARGATE_ONLY) {
  return buildCostReport({ stack: 'Shop', region, clusters: [{ path: 'Shop/Cluster', context, entries: [{ construct: 'Shop/Cluster/Apps', manifests }] }] });
}

describe('cost report', () => {
  test('prices each workload as billed size times the region rate, times replicas, and a month as 730 hours', () => {
    const { rows, totalHourly, totalMonthly, rate } = report([deployment('web', 3, '500m', '1Gi'), job(2)]);
    // web: 0.5 vCPU + 1 GiB + 256 MiB → 0.5 vCPU / 2 GB; export: 1 vCPU + 2 GiB + 256 MiB → 1 vCPU / 3 GB.
    const web = 0.5 * 0.04048 + 2 * 0.004445;
    const exporter = 1 * 0.04048 + 3 * 0.004445;
    expect(rate).toMatchObject({ vcpuPerHour: 0.04048, memoryGbPerHour: 0.004445 });
    expect(rows).toEqual([
      {
        workload: 'Deployment default/web',
        cluster: 'Shop/Cluster',
        construct: 'Shop/Cluster/Apps',
        replicas: 3,
        requestedVcpu: 0.5,
        requestedMemoryMib: 1024,
        billedVcpu: 0.5,
        billedMemoryGb: 2,
        podHourly: round(web),
        workloadHourly: round(3 * web),
        workloadMonthly: round(3 * web * 730),
      },
      {
        workload: 'Job default/export',
        cluster: 'Shop/Cluster',
        construct: 'Shop/Cluster/Apps',
        replicas: 2,
        requestedVcpu: 1,
        requestedMemoryMib: 2048,
        billedVcpu: 1,
        billedMemoryGb: 3,
        podHourly: round(exporter),
        workloadHourly: round(2 * exporter),
        workloadMonthly: round(2 * exporter * 730),
      },
    ]);
    expect(totalHourly).toBeCloseTo(3 * web + 2 * exporter, 5);
    expect(totalMonthly).toBeCloseTo((3 * web + 2 * exporter) * 730, 3);
  });

  test('counts one pod for a Deployment without replicas and a Job without parallelism, none for replicas: 0', () => {
    const { rows } = report([deployment('web', undefined, '1', '1Gi'), deployment('idle', 0, '1', '1Gi'), job(undefined)]);
    expect(rows.map((row) => [row.workload, row.replicas, row.workloadHourly === 0])).toEqual([
      ['Deployment default/web', 1, false], ['Deployment default/idle', 0, true], ['Job default/export', 1, false],
    ]);
  });

  test('leaves the workload price out when replicas are not a literal count, and then the total too', () => {
    const { rows, totalHourly } = report([deployment('web', '${Token[TOKEN.1]}', '1', '1Gi')]);
    expect(rows[0].replicas).toBeUndefined();
    expect(rows[0].podHourly).toBeDefined();
    expect(rows[0].workloadHourly).toBeUndefined();
    expect(totalHourly).toBeUndefined();
  });

  test('uses a given rate over the table, and has no prices without a region or a rate', () => {
    const given = buildCostReport({
      stack: 'Shop',
      region: 'eu-west-1',
      rate: { vcpuPerHour: 0.01, memoryGbPerHour: 0.001 },
      clusters: [{ path: 'Shop/Cluster', context: FARGATE_ONLY, entries: [{ construct: 'c', manifests: [job(1)] }] }],
    });
    expect(given.rows[0].podHourly).toBeCloseTo(0.01 + 3 * 0.001, 9);
    expect(given.rate?.origin).toMatch(/cdk-eks-fargate:fargateRate/);
    const agnostic = buildCostReport({ stack: 'Shop', clusters: [{ path: 'Shop/Cluster', context: FARGATE_ONLY, entries: [{ construct: 'c', manifests: [job(1)] }] }] });
    expect(agnostic.rate).toBeUndefined();
    expect(agnostic.rows[0].podHourly).toBeUndefined();
    expect(renderCostReportMarkdown(agnostic)).toMatch(/No price: the stack has no region at synth/);
  });

  test('lists only pods Fargate runs: items of Lists, and on mixed clusters only those a profile selects', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [deployment('web', 2, '1', '1Gi'), deployment('batch', 1, '1', '1Gi', 'ec2')] };
    const mixed = { fargateOnly: false, profileSelectors: [{ namespace: 'default' }] };
    expect(report([list], 'us-east-1', mixed).rows.map((row) => row.workload)).toEqual(['Deployment default/web']);
    expect(report([list]).rows.map((row) => row.workload)).toEqual(['Deployment default/web', 'Deployment ec2/batch']);
    expect(report([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }]).rows).toEqual([]);
  });

  test('renders a Markdown table with requests, billed size, $/hour per pod and workload, $/month and the total', () => {
    const markdown = renderCostReportMarkdown(report([deployment('web', 3, '500m', '1Gi')]));
    expect(markdown).toContain('| Workload | Replicas | Requests (pod) | Billed size (pod) | $/hour (pod) | $/hour | $/month |');
    expect(markdown).toContain('| Deployment default/web | 3 | 0.5 vCPU, 1024 MiB | 0.5 vCPU, 2 GB | $0.0291 | $0.0874 | $63.79 |');
    expect(markdown).toContain('| **Total** | | | | | $0.0874 | $63.79 |');
    expect(markdown).toMatch(/Prices in us-east-1: \$0\.04048 per vCPU-hour and \$0\.004445 per GB-hour, on-demand Linux\/x86_64 price table of \d{4}-\d{2}-\d{2}/);
  });

  test('marks a pod too large for Fargate instead of pricing it', () => {
    const { rows } = report([deployment('huge', 1, '17', '1Gi')]);
    expect(rows[0].billedVcpu).toBeUndefined();
    expect(renderCostReportMarkdown(report([deployment('huge', 1, '17', '1Gi')]))).toContain('too large for Fargate | n/a | n/a | n/a |');
  });
});

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
