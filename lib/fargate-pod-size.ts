import { containerRequest, fargatePodTotal } from './private/readiness/pod-resources';
import { objectOf, podWorkloadOf } from './private/readiness/pod-spec';
import { FARGATE_PRICE_TABLE_DATE, FARGATE_PRICE_TABLE_SOURCE, FARGATE_PRICES } from './private/workloads/fargate-price-table';

const MIB = 2 ** 20;
const GIB = 2 ** 30;

/** What one vCPU-hour and one GB-hour of a Fargate pod cost. */
export interface FargateRate {
  /** Price of one vCPU for one hour. */
  readonly vcpuPerHour: number;

  /** Price of one GB of memory for one hour. */
  readonly memoryGbPerHour: number;
}

/** A vCPU and memory combination Fargate runs pods with. */
export interface FargateComputeConfiguration {
  /** vCPU of the configuration. */
  readonly vcpu: number;

  /** Memory of the configuration in GB (Fargate's GB are GiB: 2 GB holds 2048 MiB). */
  readonly memoryGb: number;
}

/** One vCPU size with the memory sizes it is offered with. */
interface VcpuOption {
  readonly vcpu: number;
  readonly memoryGb: number[];
}

function steps(from: number, to: number, step: number): number[] {
  const values: number[] = [];
  for (let value = from; value <= to; value += step) {
    values.push(value);
  }
  return values;
}

/** Fargate's documented combinations, smallest first. */
const VCPU_OPTIONS: VcpuOption[] = [
  { vcpu: 0.25, memoryGb: [0.5, 1, 2] },
  { vcpu: 0.5, memoryGb: [1, 2, 3, 4] },
  { vcpu: 1, memoryGb: steps(2, 8, 1) },
  { vcpu: 2, memoryGb: steps(4, 16, 1) },
  { vcpu: 4, memoryGb: steps(8, 30, 1) },
  { vcpu: 8, memoryGb: steps(16, 60, 4) },
  { vcpu: 16, memoryGb: steps(32, 120, 8) },
];

/** Memory Fargate adds to every pod for kubelet, kube-proxy and containerd. */
const SYSTEM_MEMORY_MIB = 256;

/**
 * The size Fargate bills a pod at, computed the way Fargate sizes pods: the larger of the sum of the long-running
 * containers' requests and the largest init container's request (a missing request counts as its limit), plus
 * 256 MiB for the Kubernetes components, rounded up to the smallest vCPU and memory combination that holds both.
 *
 * Pure: no construct, no network and no clock, so platform teams can assert on it in their own tests. Prices come
 * from a static on-demand table shipped with the library (see `PRICE_TABLE_DATE` and `PRICE_TABLE_SOURCE`) unless
 * a rate is given.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/fargate-pod-configuration.html
 */
export class FargatePodSize {
  /** Memory in MiB that Fargate adds to every pod for kubelet, kube-proxy and containerd. */
  public static readonly SYSTEM_MEMORY_MIB = SYSTEM_MEMORY_MIB;

  /** The date the shipped price table was last checked against its source. */
  public static readonly PRICE_TABLE_DATE = FARGATE_PRICE_TABLE_DATE;

  /** Where the shipped price table comes from. */
  public static readonly PRICE_TABLE_SOURCE = FARGATE_PRICE_TABLE_SOURCE;

  /** Every vCPU and memory combination Fargate offers pods, smallest first. */
  public static combinations(): FargateComputeConfiguration[] {
    return VCPU_OPTIONS.flatMap((option) => option.memoryGb.map((memoryGb) => ({ vcpu: option.vcpu, memoryGb })));
  }

  /**
   * The billed size of a pod spec (`containers`, `initContainers`, each with `resources.requests`/`limits`).
   *
   * @param podSpec the pod spec, as written in a manifest
   */
  public static ofPodSpec(podSpec: { [key: string]: any }): FargatePodSize {
    const spec = objectOf(podSpec) ?? {};
    return FargatePodSize.ofRequests(fargatePodTotal(spec, 'cpu', containerRequest), fargatePodTotal(spec, 'memory', containerRequest) / MIB);
  }

  /**
   * The billed size of one pod of a workload manifest (Pod, Deployment, StatefulSet, ReplicaSet, Job, CronJob and
   * the other kinds that create pods), or undefined when the manifest creates no pods.
   *
   * @param manifest a Kubernetes object, as written for `addManifest`
   */
  public static ofWorkload(manifest: { [key: string]: any }): FargatePodSize | undefined {
    const workload = objectOf(manifest) ? podWorkloadOf(manifest) : undefined;
    return workload ? FargatePodSize.ofPodSpec(workload.spec) : undefined;
  }

  /**
   * The billed size of a pod whose containers request `vcpu` and `memoryMib` in total (as Fargate adds them up).
   *
   * @param vcpu requested vCPU, e.g. 0.5 for `500m`
   * @param memoryMib requested memory in MiB, without the 256 MiB Fargate adds
   */
  public static ofRequests(vcpu: number, memoryMib: number): FargatePodSize {
    for (const [name, value] of [['vcpu', vcpu], ['memoryMib', memoryMib]] as const) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new Error(`FargatePodSize.ofRequests: \`${name}\` is ${String(value)}; it must be a finite number of 0 or more.`);
      }
    }
    return new FargatePodSize(vcpu, memoryMib);
  }

  /**
   * The on-demand rate of Linux/x86_64 Fargate pods in `region` from the shipped table, or undefined when the table
   * has no price for it (or the region is a token).
   *
   * @param region an AWS region name, e.g. `eu-west-1`
   */
  public static rateOf(region: string): FargateRate | undefined {
    return Object.hasOwn(FARGATE_PRICES, region) ? { ...FARGATE_PRICES[region] } : undefined;
  }

  /** vCPU the containers request, rounded up to Kubernetes' millicore resolution. */
  public readonly requestedVcpu: number;

  /** Memory in MiB the containers request, without the 256 MiB Fargate adds. */
  public readonly requestedMemoryMib: number;

  /**
   * vCPU Fargate bills.
   * @default - undefined: the pod is larger than the largest combination (16 vCPU, 120 GB) and never runs
   */
  public readonly billedVcpu?: number;

  /**
   * Memory in GB Fargate bills.
   * @default - undefined: the pod is larger than the largest combination (16 vCPU, 120 GB) and never runs
   */
  public readonly billedMemoryGb?: number;

  private constructor(vcpu: number, memoryMib: number) {
    this.requestedVcpu = Math.ceil(vcpu * 1000 - 1e-6) / 1000;
    this.requestedMemoryMib = memoryMib;
    const neededBytes = (memoryMib + SYSTEM_MEMORY_MIB) * MIB;
    for (const option of VCPU_OPTIONS) {
      const memoryGb = option.vcpu >= this.requestedVcpu ? option.memoryGb.find((size) => size * GIB >= neededBytes - 1e-3) : undefined;
      if (memoryGb !== undefined) {
        this.billedVcpu = option.vcpu;
        this.billedMemoryGb = memoryGb;
        break;
      }
    }
  }

  /** Whether the pod fits a Fargate combination at all (16 vCPU and 120 GB at most). */
  public get fits(): boolean {
    return this.billedVcpu !== undefined;
  }

  /** Whether the pod is billed at the smallest combination (0.25 vCPU, 0.5 GB), where nothing can be saved. */
  public get isSmallest(): boolean {
    return this.billedVcpu === 0.25 && this.billedMemoryGb === 0.5;
  }

  /** Share (0 to 1) of the billed vCPU no container requests. 0 when the pod does not fit. */
  public get unrequestedVcpuShare(): number {
    return this.billedVcpu === undefined ? 0 : (this.billedVcpu - this.requestedVcpu) / this.billedVcpu;
  }

  /** Share (0 to 1) of the billed memory neither the containers request nor Fargate's 256 MiB takes. 0 when the pod does not fit. */
  public get unrequestedMemoryShare(): number {
    if (this.billedMemoryGb === undefined) {
      return 0;
    }
    const billedMib = this.billedMemoryGb * 1024;
    return Math.max(0, billedMib - this.requestedMemoryMib - SYSTEM_MEMORY_MIB) / billedMib;
  }

  /** Memory in MiB the containers could request in total for the same price. 0 when the pod does not fit. */
  public get memoryMibAtSamePrice(): number {
    return this.billedMemoryGb === undefined ? 0 : this.billedMemoryGb * 1024 - SYSTEM_MEMORY_MIB;
  }

  /**
   * On-demand price of one pod for one hour, or undefined when the pod does not fit or no rate is known.
   *
   * @param region the region the cluster runs in; its rate comes from the shipped table
   * @param rate a rate to use instead of the table's (e.g. with a Savings Plan discount)
   */
  public hourlyPrice(region: string, rate?: FargateRate): number | undefined {
    const effective = rate ?? FargatePodSize.rateOf(region);
    if (!effective || this.billedVcpu === undefined || this.billedMemoryGb === undefined) {
      return undefined;
    }
    return this.billedVcpu * effective.vcpuPerHour + this.billedMemoryGb * effective.memoryGbPerHour;
  }
}
