import { Annotations, IAspect } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { IFargateCluster } from './fargate-cluster-interface';
import { FargateMetricsServer } from './fargate-metrics-server';
import { RegisteredManifests, stateOf } from './private/cluster/cluster-state';
import {
  ALL_RULES, collectAutoscaledTargets, collectDynamicEfsClasses, collectStorageClasses, declaresMetricsApi, evaluateManifest, ReadinessContext,
  ReadinessFinding,
} from './private/readiness';
import { flattenLists } from './private/readiness/pod-spec';
import { reportCostsOf } from './private/workloads/cost-report-writer';

/** Properties of a {@link FargateReadiness} aspect. */
export interface FargateReadinessProps {
  /**
   * The cluster whose manifests (added with `cluster.addManifest`) are checked. Its `fargateOnly` decides whether
   * problems are errors (every pod must run on Fargate) or warnings (pods may still run on EC2 nodes), and its
   * Fargate profiles decide which pods land on Fargate.
   */
  readonly cluster: IFargateCluster;
}

/** Metadata type under which `FargateReadiness.acknowledge` records the rule id and reason. */
const ACKNOWLEDGEMENT_METADATA_TYPE = 'cdk-eks-fargate:readiness-acknowledgement';

/**
 * Checks the Kubernetes manifests added to a cluster with `addManifest` for what Fargate cannot run, and reports
 * each finding on the manifest's construct at synth time.
 *
 * On a Fargate-only cluster, DaemonSets, privileged containers, host namespaces/ports/paths, GPUs, pods larger than
 * Fargate's largest size, arm64 pods, more than 175 GiB of ephemeral storage, EBS volumes, dynamically provisioned
 * EFS claims and instance-target load balancers are errors (`[cdk-eks-fargate:readiness-<rule>] ...`). Pods no
 * profile selects, Jobs without `ttlSecondsAfterFinished`, containers without requests, EC2-only node selection,
 * pods where rounding leaves more than half of the billed size unrequested, autoscalers on CPU or memory without
 * metrics-server and autoscaled workloads that set `spec.replicas` are warnings with the rule id,
 * which `FargateReadiness.acknowledge` silences. On a mixed cluster (`fargateOnly: false`) every finding is a
 * warning, and only pods that a Fargate profile selects are judged.
 *
 * Findings are computed when the aspect visits the manifest, so profiles and StorageClasses added after the
 * manifest count.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/fargate.html
 */
export class FargateReadiness implements IAspect {
  /**
   * Silences a readiness warning on `construct` and every construct below it, recording why: the rule id and reason
   * are written as `cdk-eks-fargate:readiness-acknowledgement` metadata of `construct` into the cloud assembly.
   *
   * Only warning rules can be acknowledged: an error means the workload cannot run on Fargate at all.
   *
   * @param construct the manifest construct (or any scope above it, e.g. the stack)
   * @param ruleId the rule id shown with the warning, e.g. `cdk-eks-fargate:readiness-job-ttl`
   * @param reason why the warning does not apply here; must not be empty
   */
  public static acknowledge(construct: IConstruct, ruleId: string, reason: string): void {
    const where = construct.node.path || '<app>';
    const rule = ALL_RULES.find((candidate) => candidate.id === ruleId);
    if (!rule) {
      throw new Error(`${where}: cannot acknowledge '${ruleId}': it is not a FargateReadiness rule id. `
        + `Readiness warnings that can be acknowledged: ${acknowledgeableRuleIds().join(', ')}.`);
    }
    if (rule.level === 'error') {
      throw new Error(`${where}: cannot acknowledge '${ruleId}': it is an error on Fargate-only clusters (${rule.summary}), `
        + 'and errors cannot be acknowledged because the workload would never run. Fix the manifest or set '
        + '`fargateOnly: false` on an imported mixed cluster.');
    }
    if (reason.trim() === '') {
      throw new Error(`${where}: acknowledging '${ruleId}' needs a non-empty \`reason\`; it is recorded so that reviewers `
        + 'can see why the warning does not apply.');
    }
    Annotations.of(construct).acknowledgeWarning(ruleId, reason);
    // aws-cdk-lib drops the acknowledgement's message, so the reason is kept as metadata where reviewers can read it.
    construct.node.addMetadata(ACKNOWLEDGEMENT_METADATA_TYPE, { ruleId, reason });
  }

  private readonly cluster: IFargateCluster;
  private entryIndex?: { readonly count: number; readonly byConstruct: Map<IConstruct, RegisteredManifests[]> };
  private cachedContext?: { readonly manifests: number; readonly profiles: number; readonly context: ReadinessContext };

  constructor(props: FargateReadinessProps) {
    this.cluster = props.cluster;
    reportCostsOf(props.cluster);
  }

  /**
   * Reports the findings of the manifests registered with `node` as their construct, once each.
   * @param node the construct the aspect visits
   */
  public visit(node: IConstruct): void {
    const reported = stateOf(this.cluster).reportedManifests;
    const entries = this.entriesOf(node).filter((entry) => !reported.has(entry));
    if (entries.length === 0) {
      return;
    }
    const context = this.currentContext();
    for (const entry of entries) {
      reported.add(entry);
      for (const manifest of entry.manifests) {
        evaluateManifest(manifest, context).forEach((finding) => report(node, finding));
      }
    }
  }

  /** The manifests registered with `node` as their construct, from an index rebuilt only when manifests were added. */
  private entriesOf(node: IConstruct): RegisteredManifests[] {
    const all = stateOf(this.cluster).manifests;
    if (this.entryIndex?.count !== all.length) {
      const byConstruct = new Map<IConstruct, RegisteredManifests[]>();
      for (const entry of all) {
        byConstruct.set(entry.construct, [...(byConstruct.get(entry.construct) ?? []), entry]);
      }
      this.entryIndex = { count: all.length, byConstruct };
    }
    return this.entryIndex.byConstruct.get(node) ?? [];
  }

  /**
   * What the rules know about the cluster now: its profiles and StorageClasses as of this visit. Built once and
   * rebuilt only when manifests or profiles were added since (both only grow), so a synth stays linear in the
   * number of manifests.
   */
  private currentContext(): ReadinessContext {
    const state = stateOf(this.cluster);
    const entries = state.manifests;
    const profiles = state.profiles.profiles;
    const cached = this.cachedContext;
    if (cached && cached.manifests === entries.length && cached.profiles === profiles.length) {
      return cached.context;
    }
    const manifests = entries.flatMap((entry) => flattenLists(entry.manifests));
    const context: ReadinessContext = {
      fargateOnly: this.cluster.fargateOnly,
      profileSelectors: profiles.flatMap((profile) => profile.selectors),
      storageClasses: collectStorageClasses(manifests),
      dynamicEfsStorageClasses: collectDynamicEfsClasses(manifests),
      metricsServer: FargateMetricsServer.isInstalledOn(this.cluster) || declaresMetricsApi(manifests),
      autoscaledWorkloads: collectAutoscaledTargets(manifests),
    };
    this.cachedContext = { manifests: entries.length, profiles: profiles.length, context };
    return context;
  }
}

function report(node: IConstruct, finding: ReadinessFinding): void {
  if (finding.level === 'error') {
    // addError takes no id, so the rule id goes into the message where users and tools can find it.
    Annotations.of(node).addError(`[${finding.ruleId}] ${finding.message}`);
  } else {
    Annotations.of(node).addWarningV2(finding.ruleId, finding.message);
  }
}

function acknowledgeableRuleIds(): string[] {
  return ALL_RULES.filter((rule) => rule.level === 'warning').map((rule) => rule.id);
}
