import { Annotations } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { identityOf, KubernetesObject, labelOf, objectKey } from './kubernetes-object-identity';
import { podReferencesOf } from './object-references';
import { PlacedObject, PodPlacement } from './pod-bearing';
import type { ClusterProfiles } from '../profiles/cluster-profiles';
import { anySelectorMatches } from '../profiles/selector-matching';
import { loadBalancerControllerNeed } from '../readiness/load-balancers';
import { atSynth } from '../shared/at-synth';
import { throwIfProblems } from '../shared/validation-report';

/** Kinds that never live in a namespace (their `metadata.namespace` is ignored). */
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'StorageClass',
  'PersistentVolume', 'PriorityClass', 'IngressClass', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'APIService']);

/** A group of objects applied by one custom resource. */
interface Applied {
  /** The construct the objects were added as (warnings go there). */
  readonly owner: IConstruct;
  readonly resource: IConstruct;
  readonly objects: readonly KubernetesObject[];
  readonly placements: readonly PodPlacement[];
}

/**
 * What a cluster knows about the objects applied to it in this app: one owner per object (a second one would fight
 * the first over fields and delete it on removal), the namespaces made with `addNamespace`, and what each resource
 * must wait for, decided at synth when everything exists: the namespace, the Fargate profiles that could select its
 * pods, the service accounts, claims, ConfigMaps and Secrets its pods use, and the AWS Load Balancer Controller for
 * the load balancers it asks for.
 */
export class ClusterObjects {
  private readonly owners = new Map<string, string>();
  private readonly namespaces = new Map<string, IConstruct>();
  private readonly applied: Applied[] = [];
  /** The resource that applies each object, by object key. */
  private readonly appliedBy = new Map<string, IConstruct>();

  /**
   * @param cluster the cluster the objects are applied to
   * @param clusterProfiles the cluster's Fargate profiles
   * @param loadBalancerController what the cluster's AWS Load Balancer Controller consists of (its construct and
   * chart), when the app installs one; asked at synth
   */
  constructor(cluster: IConstruct, private readonly clusterProfiles: ClusterProfiles,
    private readonly loadBalancerController: () => readonly IConstruct[] | undefined) {
    atSynth(cluster, () => this.wire());
  }

  /** Records objects applied by `resource`; throws when another construct already applies one of them. */
  public register(owner: IConstruct, resource: IConstruct, placed: readonly PlacedObject[]): void {
    const objects = placed.map(({ object }) => object);
    const problems: string[] = [];
    for (const object of objects) {
      const identity = identityOf(object);
      const key = objectKey(identity, CLUSTER_SCOPED.has(identity.kind));
      const existing = this.owners.get(key);
      if (existing) {
        problems.push(`${labelOf(identity)} is already applied by ${existing}; one object can have one owner in a cluster. `
          + 'Remove it from one of them.');
      } else {
        this.owners.set(key, owner.node.path);
        this.appliedBy.set(key, resource);
      }
    }
    throwIfProblems(owner, problems);
    this.applied.push({ owner, resource, objects, placements: placed.map(({ placement }) => placement) });
  }

  /** Records the construct that applies Namespace `name` (`addNamespace`); objects in it will depend on it. */
  public registerNamespace(name: string, construct: IConstruct): void {
    this.namespaces.set(name, construct);
  }

  /** The construct that applies Namespace `name`, when it was made with `addNamespace`. */
  public namespaceConstruct(name: string): IConstruct | undefined {
    return this.namespaces.get(name);
  }

  private wire(): void {
    const profiles = this.clusterProfiles.profiles;
    for (const { owner, resource, objects, placements } of this.applied) {
      for (const object of objects) {
        const namespace = object.metadata?.namespace;
        const namespaceConstruct = typeof namespace === 'string' ? this.namespaces.get(namespace) : undefined;
        if (namespaceConstruct && !isWithin(resource, namespaceConstruct)) {
          resource.node.addDependency(namespaceConstruct);
        }
        this.waitForReferences(resource, object);
        this.waitForLoadBalancerController(owner, resource, object);
      }
      // A pod created before a profile selects it is never scheduled on Fargate.
      const waitFor = new Set<IConstruct>();
      for (const placement of placements) {
        if (placement.kind === 'none') {
          continue;
        }
        const matching = placement.kind === 'known'
          ? profiles.filter((profile) => anySelectorMatches(profile.selectors, placement.namespace, placement.labels))
          : [];
        (matching.length > 0 ? matching : profiles).forEach((profile) => waitFor.add(profile.resource));
      }
      if (waitFor.size > 0) {
        resource.node.addDependency(...waitFor);
      }
    }
  }

  /** A pod whose service account or claim does not exist yet is not started: the workload goes after them. */
  private waitForReferences(resource: IConstruct, object: KubernetesObject): void {
    const namespace = identityOf(object).namespace;
    for (const reference of podReferencesOf(object)) {
      const key = objectKey({ apiVersion: 'v1', kind: reference.kind, name: reference.name, namespace });
      const applier = this.appliedBy.get(key);
      if (applier && applier !== resource) {
        resource.node.addDependency(applier);
      }
    }
  }

  /** Load balancers of the controller (and its own kinds) are served only once its webhook and CRDs are there. */
  private waitForLoadBalancerController(owner: IConstruct, resource: IConstruct, object: KubernetesObject): void {
    const need = loadBalancerControllerNeed(object);
    if (!need) {
      return;
    }
    const controller = this.loadBalancerController();
    if (controller) {
      resource.node.addDependency(...controller);
      return;
    }
    Annotations.of(owner).addWarningV2('cdk-eks-fargate:load-balancer-controller-missing',
      `${labelOf(identityOf(object))} is ${need}, which only the AWS Load Balancer Controller serves, and this app installs none on the `
      + 'cluster. Add `cluster.addAwsLoadBalancerController()` (objects then wait for it), or acknowledge this warning if the '
      + 'controller is installed outside this app.');
  }
}

function isWithin(construct: IConstruct, scope: IConstruct): boolean {
  return construct === scope || construct.node.scopes.includes(scope as Construct);
}
