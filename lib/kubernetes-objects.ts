import { Aspects, CustomResource, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { IFargateCluster } from './fargate-cluster-interface';
import { FargateReadiness } from './fargate-readiness';
import { stateOf } from './private/cluster/cluster-state';
import { kubernetesHandlerFor } from './private/handler/kubernetes-handler-provider';
import { flattenLists, identityOf, KubernetesObject, labelOf, objectProblems } from './private/manifests/kubernetes-object-identity';
import { manifestsTextOf } from './private/manifests/manifests-text';
import { nodeAffinityProblems } from './private/manifests/node-affinity-rules';
import { unknownNumberTokenPaths } from './private/manifests/number-tokens';
import { objectsAccessFor } from './private/manifests/objects-access';
import { podPlacementOf } from './private/manifests/pod-bearing';
import { KUBERNETES_OBJECTS_RESOURCE_TYPE, KubernetesObjectsResourceProperties, MAX_MANIFESTS_BYTES } from './private/manifests/resource-properties';
import { enumProblems } from './private/shared/enum-rules';
import { throwIfProblems } from './private/shared/validation-report';

/** Options of `cluster.addNamespace`. */
export interface NamespaceOptions {
  /**
   * Labels of the Namespace.
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations of the Namespace.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/** Properties of a {@link KubernetesObjects}. */
export interface KubernetesObjectsProps {
  /** The cluster the objects are applied to. */
  readonly cluster: IFargateCluster;

  /**
   * The Kubernetes objects (a `kind: List` is applied item by item). Each needs `apiVersion`, `kind` and a
   * DNS-subdomain `metadata.name`; a namespaced object without a namespace goes to `default`, as with kubectl.
   */
  readonly manifests: Record<string, any>[];

  /**
   * Whether objects removed from `manifests` on an update are deleted from the cluster.
   * @default true
   */
  readonly prune?: boolean;

  /**
   * What happens to the objects when this construct is removed or its stack deleted: `DESTROY` deletes them
   * (waiting for load balancers to go), `RETAIN` keeps them in the cluster.
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Whether server-side apply takes over fields that another field manager (kubectl, a controller, another stack)
   * owns. Off, such a conflict fails the deployment and names the fields and their managers.
   * @default false
   */
  readonly force?: boolean;
}

/** CloudFormation waits this long for an answer. The handler answers within its 5-minute timeout. */
const SERVICE_TIMEOUT = Duration.minutes(10);

/**
 * Kubernetes objects applied to a cluster by this library's own handler with server-side apply (no kubectl, no
 * nested stack): Namespaces and CRDs first, a field manager unique to this construct, conflicts with other
 * managers reported instead of overwritten, and on removal a delete of exactly the objects it applied.
 *
 * Objects that create no pods wait only for the cluster and the handler role's access entry; objects that create
 * pods also wait for every Fargate profile that could select them, so they are split into a second custom
 * resource (`Workloads`).
 *
 * @see https://kubernetes.io/docs/reference/using-api/server-side-apply/
 */
export class KubernetesObjects extends Construct {
  /** The objects as given (lists flattened). */
  public readonly manifests: Record<string, any>[];

  /** The custom resources that apply the objects: one for objects without pods, one for objects with pods. */
  public readonly resources: CustomResource[] = [];

  constructor(scope: Construct, id: string, props: KubernetesObjectsProps) {
    super(scope, id);
    throwIfProblems(this, enumProblems('removalPolicy', props.removalPolicy, RemovalPolicy));
    if (!Array.isArray(props.manifests)) {
      throwIfProblems(this, ['`manifests` must be an array of Kubernetes objects']);
    }
    const objects = flattenLists(props.manifests);
    throwIfProblems(this, objects.flatMap((manifest, index) => objectProblems(manifest, Token.isUnresolved).map((problem) => `\`manifests\` object ${index} ${problem}`)));
    throwIfProblems(this, objects.flatMap((manifest, index) => nodeAffinityProblems(manifest, Token.isUnresolved)
      .map(({ path, problem }) => `\`manifests\` object ${index} (${labelOf(identityOf(manifest))}): \`${path}\` ${problem}.`)));
    throwIfProblems(this, objects.flatMap((manifest, index) => unknownNumberTokenPaths(manifest).map((path) => `\`manifests\` object ${index} `
      + `has a number at \`${path}\` in the range aws-cdk-lib uses to encode number tokens, and no token of this app; no Kubernetes field `
      + 'takes such a number. Give the value the field expects.')));
    this.manifests = objects;

    const placed = objects.map((object) => ({ object, placement: podPlacementOf(object, Token.isUnresolved) }));
    const podless = placed.filter(({ placement }) => placement.kind === 'none');
    const withPods = placed.filter(({ placement }) => placement.kind !== 'none');
    const cluster = props.cluster;
    const state = stateOf(cluster);
    const bookkeeping = state.objects;
    const first = podless.length > 0 ? this.addResource('Resource', props, podless.map(({ object }) => object)) : undefined;
    if (first) {
      bookkeeping.register(this, first, podless);
    }
    if (withPods.length > 0) {
      const workloads = this.addResource(first ? 'Workloads' : 'Resource', props, withPods.map(({ object }) => object));
      if (first) {
        workloads.node.addDependency(first);
      }
      bookkeeping.register(this, workloads, withPods);
    }
    state.manifests.push({ construct: this, manifests: objects });
    if (!state.readinessChecked) {
      // Every object applied to the cluster is checked for what Fargate cannot run.
      Aspects.of(cluster).add(new FargateReadiness({ cluster }));
      state.readinessChecked = true;
    }
  }

  private addResource(id: string, props: KubernetesObjectsProps, objects: KubernetesObject[]): CustomResource {
    const cluster = props.cluster as IFargateCluster & Construct;
    const manifests = manifestsTextOf(Stack.of(this), objects);
    // Refused rather than applied without the key.
    throwIfProblems(this, manifests.lostKeys.map(({ object, path }) => `\`manifests\` object ${labelOf(identityOf(object))} `
      + `has a key \`${path}\`, and objects that hold deploy-time values go through aws-cdk-lib's token resolution, which drops keys `
      + 'named __proto__. Move the deploy-time values into another KubernetesObjects, or rename the key.'));
    if (manifests.bytes > MAX_MANIFESTS_BYTES) {
      throwIfProblems(this, [`\`manifests\` take ${manifests.bytes} bytes; one KubernetesObjects holds at most ${MAX_MANIFESTS_BYTES} bytes `
        + '(an Update event carries old and new objects in one Lambda invocation of at most 256 KB). Split them into several KubernetesObjects.']);
    }
    const handler = kubernetesHandlerFor(this, cluster);
    const access = objectsAccessFor(cluster, handler);
    const properties: KubernetesObjectsResourceProperties = {
      ClusterName: cluster.clusterName,
      RoleArn: access.role.roleArn,
      Manifests: manifests.text,
      Prune: String(props.prune ?? true),
      Force: String(props.force ?? false),
      Retain: String((props.removalPolicy ?? RemovalPolicy.DESTROY) === RemovalPolicy.RETAIN),
      Endpoint: cluster.clusterEndpoint,
      CertificateAuthorityData: cluster.clusterCertificateAuthorityData,
    };
    const resource = new CustomResource(this, id, {
      serviceToken: handler.functionArn,
      resourceType: KUBERNETES_OBJECTS_RESOURCE_TYPE,
      properties: { ...properties },
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
      serviceTimeout: SERVICE_TIMEOUT,
    });
    // The role's access entry must exist (the handler retries 401/403 while it propagates) and the role's policies
    // must outlive the handler's Delete: the access entry waits for the role and its policies, so one edge does both.
    resource.node.addDependency(access.accessEntry ?? access.role);
    this.resources.push(resource);
    return resource;
  }
}
