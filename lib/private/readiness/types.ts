import { SelectorLike } from '../profiles/selector-matching';

/** A Kubernetes object as users write it for `cluster.addManifest` (plain JSON-like data, possibly malformed). */
export type KubernetesManifest = Record<string, any>;

/** What the readiness rules know about the cluster a manifest is applied to. */
export interface ReadinessContext {
  /**
   * True when every pod must run on Fargate (owned clusters; imported clusters say). On mixed clusters the rules
   * only look at pods that a profile selects, and report warnings instead of errors.
   */
  readonly fargateOnly: boolean;
  /** The selectors of every Fargate profile of the cluster. */
  readonly profileSelectors: readonly SelectorLike[];
  /**
   * Provisioner by StorageClass name, from the StorageClass manifests added to the cluster (see
   * `collectStorageClasses`). A class listed here is judged by its provisioner instead of its name.
   *
   * @default - classes are judged by name only
   */
  readonly storageClasses?: { [name: string]: string };
  /**
   * Names of the StorageClasses added to the cluster that provision EFS volumes dynamically (see
   * `collectDynamicEfsClasses`).
   *
   * @default - none known
   */
  readonly dynamicEfsStorageClasses?: readonly string[];
  /**
   * Whether the app installs metrics-server on the cluster.
   *
   * @default - unknown: autoscalers are not judged
   */
  readonly metricsServer?: boolean;
  /**
   * The workloads that HorizontalPodAutoscalers added to the cluster scale, as `Kind namespace/name` (see
   * `collectAutoscaledTargets`).
   *
   * @default - none known
   */
  readonly autoscaledWorkloads?: readonly string[];
}

/** Severity of a finding. */
export type ReadinessLevel = 'error' | 'warning';

/** One problem a rule found in one manifest. */
export interface ReadinessFinding {
  /** Rule id, e.g. `cdk-eks-fargate:readiness-daemonset`; the id to acknowledge. */
  readonly ruleId: string;
  /** `error` only on Fargate-only clusters; every finding is a `warning` on mixed clusters. */
  readonly level: ReadinessLevel;
  /** Names `Kind namespace/name`, what Fargate cannot do, and the fix. */
  readonly message: string;
}

/** One readiness rule: like a cdk-nag rule, a pure check returning a verdict per manifest. */
export interface ReadinessRule {
  /** Unique id, `cdk-eks-fargate:readiness-<name>`. */
  readonly id: string;
  /** Level on a Fargate-only cluster. */
  readonly level: ReadinessLevel;
  /** One line saying what the rule looks for. */
  readonly summary: string;
  /** Messages for the problems found in `manifest` (empty when none); never throws on unexpected shapes. */
  check(manifest: KubernetesManifest, context: ReadinessContext): string[];
}

/** Prefix of every readiness rule id. */
export const READINESS_RULE_PREFIX = 'cdk-eks-fargate:readiness-';
