import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { AccessEntryRegistry } from '../access-entries/access-entry-registry';
import { ClusterObjects } from '../manifests/cluster-objects';
import type { ObjectsAccess } from '../manifests/objects-access';
import { ClusterProfiles } from '../profiles/cluster-profiles';

/** Manifests applied to a cluster through `addManifest`, as the readiness checks see them. */
export interface RegisteredManifests {
  /** The construct the manifests were added as; findings are reported on its path. */
  readonly construct: IConstruct;
  /** The Kubernetes objects, as the user wrote them. */
  readonly manifests: ReadonlyArray<Record<string, any>>;
}

/** An AWS Load Balancer Controller of a cluster: the construct, and everything objects must wait for (its chart). */
export interface LoadBalancerControllerParts {
  readonly construct: IConstruct;
  readonly parts: readonly IConstruct[];
}

/**
 * What the library records about one cluster while the app is built: its Fargate profiles, access entries,
 * applied objects, the role that applies them and its Load Balancer Controller. It lives on the cluster
 * (`FargateClusterBase._clusterState`), so everything known about a cluster is found from the cluster.
 */
export class ClusterState {
  /** Fargate profiles, in their `DependsOn` chain order. */
  public readonly profiles = new ClusterProfiles();
  /** Access entries by principal, and whether one of them is a cluster admin. */
  public readonly accessEntries = new AccessEntryRegistry();
  /** Manifests added with `addManifest` (or `new KubernetesObjects`), in order. */
  public readonly manifests: RegisteredManifests[] = [];
  /** Owners of applied objects, namespaces of `addNamespace`, and what waits for which profile. */
  public readonly objects: ClusterObjects;
  /** The role the handler assumes to apply objects, made on first use. */
  public objectsAccess?: ObjectsAccess;
  /**
   * A role that administers the cluster already (`kubectlRole` of an imported cluster): manifests and Helm charts
   * act as it, and no role or access entry is made for them.
   */
  public adminRole?: iam.IRole;
  /**
   * Why this app may not create access entries on the cluster (an imported cluster that reads aws-auth only);
   * undefined when it may.
   */
  public noAccessEntries?: string;
  /** The cluster's AWS Load Balancer Controller, when the app installs one. */
  public loadBalancerController?: LoadBalancerControllerParts;
  /** Whether the FargateReadiness aspect already checks this cluster's manifests. */
  public readinessChecked = false;
  /**
   * Manifests already reported by FargateReadiness: aspects may visit a construct more than once (aspect
   * stabilization re-runs them when the tree changes), and a second aspect for the cluster must not repeat findings.
   */
  public readonly reportedManifests = new Set<RegisteredManifests>();

  constructor(cluster: IConstruct) {
    this.objects = new ClusterObjects(cluster, this.profiles, () => this.loadBalancerController?.parts);
  }
}

/**
 * The state of a cluster of this library (`FargateCluster`, or one from `FargateCluster.fromClusterAttributes`).
 * Any other `IFargateCluster` is refused: the library cannot track profiles and objects of a cluster it did not make.
 */
export function stateOf(cluster: IConstruct): ClusterState {
  const state = (cluster as { readonly _clusterState?: unknown })._clusterState;
  if (!(state instanceof ClusterState)) {
    throw new Error(`${cluster.node.path || '<app>'}: \`cluster\` is not a cluster of cdk-eks-fargate; pass a FargateCluster, or refer to `
      + 'a cluster made elsewhere with `FargateCluster.fromClusterAttributes(...)`.');
  }
  return state;
}
