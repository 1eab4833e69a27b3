import * as fc from 'fast-check';
import { FargatePodSize } from '../lib';

/** Fargate's combinations table as AWS documents it (vCPU value, memory values in GB). */
const DOCUMENTED_TABLE: Array<[number, number[]]> = [
  [0.25, [0.5, 1, 2]],
  [0.5, [1, 2, 3, 4]],
  [1, [2, 3, 4, 5, 6, 7, 8]],
  [2, [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]],
  [4, [8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30]],
  [8, [16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60]],
  [16, [32, 40, 48, 56, 64, 72, 80, 88, 96, 104, 112, 120]],
];
const DOCUMENTED = DOCUMENTED_TABLE.flatMap(([vcpu, sizes]) => sizes.map((memoryGb) => ({ vcpu, memoryGb })));

function pod(...containers: Array<Record<string, any>>): Record<string, any> {
  return { containers: containers.map((resources, index) => ({ name: `c${index}`, image: 'app', resources })) };
}

function requests(cpu: string | number, memory: string | number): Record<string, any> {
  return { requests: { cpu, memory }, limits: { cpu, memory } };
}

function billed(size: FargatePodSize): [number | undefined, number | undefined] {
  return [size.billedVcpu, size.billedMemoryGb];
}

describe('FargatePodSize', () => {
  test('offers exactly the documented vCPU and memory combinations, smallest first', () => {
    expect(FargatePodSize.combinations()).toEqual(DOCUMENTED);
  });

  test('bills every documented combination for a pod that needs exactly that much (requests + 256 MiB)', () => {
    for (const { vcpu, memoryGb } of DOCUMENTED) {
      expect(billed(FargatePodSize.ofRequests(vcpu, memoryGb * 1024 - 256))).toEqual([vcpu, memoryGb]);
    }
  });

  test('rounds one MiB past each memory size up to the next size of that vCPU, or to the next vCPU after the last', () => {
    for (const [index, { vcpu, memoryGb }] of DOCUMENTED.entries()) {
      const next = DOCUMENTED.slice(index + 1).find((combination) => combination.memoryGb * 1024 >= memoryGb * 1024 + 1);
      const size = FargatePodSize.ofRequests(vcpu, memoryGb * 1024 - 256 + 1);
      expect(billed(size)).toEqual(next ? [next.vcpu, next.memoryGb] : [undefined, undefined]);
    }
  });

  test('rounds one millicore past each vCPU size up to the next vCPU with its smallest memory', () => {
    const vcpus = DOCUMENTED_TABLE.map(([vcpu]) => vcpu);
    for (const [index, [vcpu]] of DOCUMENTED_TABLE.entries()) {
      const next = DOCUMENTED_TABLE[index + 1];
      const size = FargatePodSize.ofRequests(vcpu + 0.001, 0);
      expect(billed(size)).toEqual(next ? [next[0], next[1][0]] : [undefined, undefined]);
    }
    expect(vcpus).toEqual([0.25, 0.5, 1, 2, 4, 8, 16]);
  });

  test('bills 1 vCPU and 2 GiB as 1 vCPU / 3 GB, and 1 vCPU and 8 GB as 2 vCPU / 9 GB, as AWS documents', () => {
    expect(billed(FargatePodSize.ofPodSpec(pod(requests('1', '2Gi'))))).toEqual([1, 3]);
    expect(billed(FargatePodSize.ofPodSpec(pod(requests('1', '8Gi'))))).toEqual([2, 9]);
  });

  test('bills a pod without requests at the smallest combination, 0.25 vCPU / 0.5 GB', () => {
    const size = FargatePodSize.ofPodSpec(pod({}));
    expect(billed(size)).toEqual([0.25, 0.5]);
    expect(size.isSmallest).toBe(true);
  });

  test('takes the larger of the containers\' sum and the largest init container', () => {
    const spec = {
      initContainers: [{ name: 'migrate', resources: requests('2', '1Gi') }, { name: 'seed', resources: requests('500m', '6Gi') }],
      ...pod(requests('500m', '512Mi'), requests('500m', '512Mi')),
    };
    const size = FargatePodSize.ofPodSpec(spec);
    expect(size.requestedVcpu).toBe(2);
    expect(size.requestedMemoryMib).toBe(6 * 1024);
    expect(billed(size)).toEqual([2, 7]);
  });

  test('counts limits where requests are missing, as Kubernetes defaults them', () => {
    const size = FargatePodSize.ofPodSpec(pod({ limits: { cpu: '1500m', memory: '3Gi' } }));
    expect([size.requestedVcpu, size.requestedMemoryMib]).toEqual([1.5, 3072]);
    expect(billed(size)).toEqual([2, 4]);
  });

  test('reads millicores, exponents and binary and decimal memory units', () => {
    expect(FargatePodSize.ofPodSpec(pod(requests('500m', '1e3'))).requestedVcpu).toBe(0.5);
    expect(FargatePodSize.ofPodSpec(pod(requests('500m', '1e3'))).requestedMemoryMib).toBeCloseTo(1000 / 2 ** 20, 10);
    expect(FargatePodSize.ofPodSpec(pod(requests(0.5, '1000M'))).requestedMemoryMib).toBeCloseTo(1e9 / 2 ** 20, 10);
    expect(FargatePodSize.ofPodSpec(pod(requests('1', '1Gi'))).requestedMemoryMib).toBe(1024);
    expect(FargatePodSize.ofPodSpec(pod(requests('1', '512Mi'))).requestedMemoryMib).toBe(512);
    // 1792Mi + 256 MiB fits 2 GB exactly, while 1880M (1792.9 MiB) does not: M is decimal.
    expect(billed(FargatePodSize.ofPodSpec(pod(requests('250m', '1792Mi'))))).toEqual([0.25, 2]);
    expect(billed(FargatePodSize.ofPodSpec(pod(requests('250m', '1880M'))))).toEqual([0.5, 3]);
  });

  test('sums millicores without floating-point drift across a boundary', () => {
    const size = FargatePodSize.ofPodSpec(pod(requests('100m', '128Mi'), requests('150m', '128Mi')));
    expect(billed(size)).toEqual([0.25, 0.5]);
  });

  test('reports a pod beyond 16 vCPU or 120 GB as not fitting, with no billed size or price', () => {
    for (const size of [FargatePodSize.ofRequests(16.001, 0), FargatePodSize.ofRequests(1, 120 * 1024 - 255)]) {
      expect(size.fits).toBe(false);
      expect(billed(size)).toEqual([undefined, undefined]);
      expect(size.hourlyPrice('us-east-1')).toBeUndefined();
    }
  });

  test('sizes one pod of each pod-bearing workload kind and nothing for other kinds', () => {
    const template = { metadata: { labels: { app: 'x' } }, spec: pod(requests('1', '2Gi')) };
    const manifests = [
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec: template.spec },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { replicas: 3, template } },
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'x' }, spec: { template } },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'x' }, spec: { template } },
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'x' }, spec: { template } },
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'x' }, spec: { jobTemplate: { spec: { template } } } },
    ];
    for (const manifest of manifests) {
      expect(billed(FargatePodSize.ofWorkload(manifest)!)).toEqual([1, 3]);
    }
    expect(FargatePodSize.ofWorkload({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } })).toBeUndefined();
  });

  test('prices a pod as billed vCPU times the vCPU rate plus billed GB times the memory rate', () => {
    const size = FargatePodSize.ofPodSpec(pod(requests('1', '2Gi')));
    expect(size.hourlyPrice('us-east-1')).toBeCloseTo(1 * 0.04048 + 3 * 0.004445, 12);
    expect(size.hourlyPrice('eu-central-1')).toBeCloseTo(1 * 0.04656 + 3 * 0.00511, 12);
  });

  test('prices with a given rate instead of the table, also where the table has no price', () => {
    const size = FargatePodSize.ofRequests(2, 4096);
    const rate = { vcpuPerHour: 0.03, memoryGbPerHour: 0.003 };
    expect(size.hourlyPrice('us-east-1', rate)).toBeCloseTo(2 * 0.03 + 5 * 0.003, 12);
    expect(size.hourlyPrice('xx-nowhere-1')).toBeUndefined();
    expect(size.hourlyPrice('xx-nowhere-1', rate)).toBeCloseTo(0.075, 12);
  });

  test('ships a dated, sourced table with no price for AWS GovCloud (US), where EKS has no Fargate', () => {
    expect(FargatePodSize.PRICE_TABLE_DATE).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(FargatePodSize.PRICE_TABLE_SOURCE).toMatch(/aws\.amazon\.com\/fargate\/pricing/);
    expect(FargatePodSize.rateOf('us-gov-west-1')).toBeUndefined();
    expect(FargatePodSize.rateOf('constructor')).toBeUndefined();
    expect(FargatePodSize.rateOf('eu-west-1')).toEqual({ vcpuPerHour: 0.04048, memoryGbPerHour: 0.004445 });
  });

  test('reports the unrequested shares and the requests that fit the same price', () => {
    const size = FargatePodSize.ofRequests(1, 300);
    expect(billed(size)).toEqual([1, 2]);
    expect(size.unrequestedVcpuShare).toBe(0);
    expect(size.unrequestedMemoryShare).toBeCloseTo((2048 - 300 - 256) / 2048, 12);
    expect(size.memoryMibAtSamePrice).toBe(1792);
  });

  test('refuses negative or non-finite requests, naming the argument', () => {
    expect(() => FargatePodSize.ofRequests(-1, 0)).toThrow(/`vcpu` is -1; it must be a finite number of 0 or more/);
    expect(() => FargatePodSize.ofRequests(1, Number.NaN)).toThrow(/`memoryMib` is NaN/);
  });

  test('property: the billed combination holds the pod and no earlier combination does', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 16000 }), fc.integer({ min: 0, max: 123000 }), (millicores, memoryMib) => {
      const size = FargatePodSize.ofRequests(millicores / 1000, memoryMib);
      const holds = (c: { vcpu: number; memoryGb: number }) => c.vcpu * 1000 >= millicores && c.memoryGb * 1024 >= memoryMib + 256;
      const first = DOCUMENTED.find(holds);
      expect(billed(size)).toEqual(first ? [first.vcpu, first.memoryGb] : [undefined, undefined]);
    }));
  });
});
