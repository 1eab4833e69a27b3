import { Token } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { identityOf, KubernetesObject, labelOf, objectKey } from './kubernetes-object-identity';
import { PodPlacement, podPlacementOf } from './pod-bearing';
import type { ClusterProfiles } from '../profiles/cluster-profiles';
import { anySelectorMatches } from '../profiles/selector-matching';
import { atSynth } from '../shared/at-synth';
import { throwIfProblems } from '../shared/validation-report';

/** Kinds that never live in a namespace (their `metadata.namespace` is ignored). */
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'StorageClass',
  'PersistentVolume', 'PriorityClass', 'IngressClass', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'APIService']);

/** A group of objects applied by one custom resource. */
interface Applied {
  readonly resource: IConstruct;
  readonly objects: readonly KubernetesObject[];
  readonly placements: readonly PodPlacement[];
}

/**
 * What a cluster knows about the objects applied to it in this app: one owner per object (a second one would fight
 * the first over fields and delete it on removal), the namespaces made with `addNamespace`, and which resources must
 * wait for which Fargate profiles (decided at synth, when every profile exists).
 */
export class ClusterObjects {
  private readonly owners = new Map<string, string>();
  private readonly namespaces = new Map<string, IConstruct>();
  private readonly applied: Applied[] = [];

  constructor(cluster: IConstruct, private readonly clusterProfiles: ClusterProfiles) {
    atSynth(cluster, () => this.wire());
  }

  /** Records objects applied by `resource`; throws when another construct already applies one of them. */
  public register(owner: IConstruct, resource: IConstruct, objects: readonly KubernetesObject[]): void {
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
      }
    }
    throwIfProblems(owner, problems);
    this.applied.push({ resource, objects, placements: objects.map((object) => podPlacementOf(object, Token.isUnresolved)) });
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
    for (const { resource, objects, placements } of this.applied) {
      for (const object of objects) {
        const namespace = object.metadata?.namespace;
        const namespaceConstruct = typeof namespace === 'string' ? this.namespaces.get(namespace) : undefined;
        if (namespaceConstruct && !isWithin(resource, namespaceConstruct)) {
          resource.node.addDependency(namespaceConstruct);
        }
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
}

function isWithin(construct: IConstruct, scope: IConstruct): boolean {
  return construct === scope || construct.node.scopes.includes(scope as Construct);
}
