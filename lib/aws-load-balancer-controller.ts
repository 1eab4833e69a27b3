import { Annotations, Aws, CfnCondition, CfnMapping, Duration, Fn, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct, IConstruct } from 'constructs';
import type { FargateCluster } from './fargate-cluster';
import { FargateServiceAccount } from './fargate-service-account';
import { stateOf } from './private/cluster/cluster-state';
import { extraPodLabels, mergeValues, reservedValueProblems } from './private/load-balancer-controller/helm-values';
import { controllerPolicy, POLICY_PARTITIONS } from './private/load-balancer-controller/iam-policies';
import { addOnRegistries, CONTROLLER_REPOSITORY_PATH, hasAddOnRegistry } from './private/load-balancer-controller/image-registries';
import { warnAboutUntaggedSubnets } from './private/load-balancer-controller/subnet-tags';
import { anySelectorMatches } from './private/profiles/selector-matching';
import { atSynth } from './private/shared/at-synth';
import { acknowledgeWildcardsUnder } from './private/shared/nag-acknowledgements';
import { throwIfProblems } from './private/shared/validation-report';

/** Options of the AWS Load Balancer Controller (`cluster.addAwsLoadBalancerController(options)`). */
export interface AwsLoadBalancerControllerOptions {
  /**
   * Version of the `aws-load-balancer-controller` Helm chart from https://aws.github.io/eks-charts. The IAM policy is
   * the one published for controller v3.5.0 whatever the chart version (a warning says so when this is changed).
   * @default '3.5.0' (`AwsLoadBalancerController.DEFAULT_CHART_VERSION`, controller v3.5.0)
   */
  readonly chartVersion?: string;

  /**
   * Repository of the controller image, without tag, e.g. `public.ecr.aws/eks/aws-load-balancer-controller` (the
   * public ECR gallery: needs a route to the internet) or a mirror in your own account.
   * @default - the Amazon EKS add-on registry of the stack's region,
   * `<account>.dkr.ecr.<region>.amazonaws.com[.cn]/amazon/aws-load-balancer-controller`, chosen by a `CfnMapping` in
   * environment-agnostic stacks; it is reachable through the ECR interface endpoints of a private cluster
   */
  readonly imageRepository?: string;

  /**
   * Tag of the controller image.
   * @default 'v3.5.0' (`AwsLoadBalancerController.DEFAULT_IMAGE_TAG`, the app version of the default chart)
   */
  readonly imageTag?: string;

  /**
   * Controller pods (each one a Fargate pod). One leads; the others take over and keep serving the controller's
   * admission webhooks, which Service, Ingress and TargetGroupBinding changes go through.
   * @default 2
   */
  readonly replicas?: number;

  /**
   * Further chart values, merged over the construct's (nested objects key by key), e.g.
   * `{ enableShield: false, enableWaf: false, enableWafv2: false }` for a cluster without internet access. The values the
   * construct owns (`clusterName`, `region`, `vpcId`, `serviceAccount`, `image.repository`, `image.tag`,
   * `replicaCount`) are refused.
   * @default - only the construct's values: cluster name, region and VPC passed explicitly, the IRSA service account,
   * the image, `replicaCount` and `defaultTargetType: ip`
   */
  readonly helmValues?: { [key: string]: any };
}

/** Properties of an {@link AwsLoadBalancerController}. */
export interface AwsLoadBalancerControllerProps extends AwsLoadBalancerControllerOptions {
  /** The cluster to install the controller on (one controller a cluster). */
  readonly cluster: FargateCluster;
}

/**
 * The AWS Load Balancer Controller installed the way Fargate needs it: its Helm chart in `kube-system` with the cluster
 * name, region and VPC passed explicitly (Fargate pods have no instance metadata to discover them), an IRSA service
 * account (EKS Pod Identity does not work on Fargate) whose role has the controller's published IAM policy for the
 * stack's partition, and an image that resolves in any region, environment-agnostic stacks included.
 *
 * Fargate pods are only reachable as IP targets: annotate Ingresses with `alb.ingress.kubernetes.io/target-type: ip`
 * and LoadBalancer Services with `service.beta.kubernetes.io/aws-load-balancer-type: external` +
 * `service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip`; `FargateReadiness` reports manifests that do
 * not. Manifests that create Ingresses or Services should depend on {@link chart}: the controller's admission
 * webhooks must be running when they are applied, and on deletion the controller must still be there to delete the
 * load balancers.
 *
 * Synth warns when the cluster's VPC has subnets made in this app without the `kubernetes.io/role/elb` (public) or
 * `kubernetes.io/role/internal-elb` (private) tag, and when no Fargate profile selects the controller's pods.
 *
 * The chart installs its CustomResourceDefinitions on first install only (Helm never upgrades CRDs): after raising
 * `chartVersion`, apply the chart's `crds` folder as its release notes say.
 *
 * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/
 * @see https://docs.aws.amazon.com/eks/latest/userguide/aws-load-balancer-controller.html
 */
export class AwsLoadBalancerController extends Construct {
  /** Chart version installed unless `chartVersion` says otherwise. */
  public static readonly DEFAULT_CHART_VERSION = '3.5.0';
  /** Controller image tag unless `imageTag` says otherwise. The chart's app version, and the IAM policy's version. */
  public static readonly DEFAULT_IMAGE_TAG = 'v3.5.0';
  /** Name of the controller's Kubernetes service account, the Helm release and the controller's pods. */
  public static readonly SERVICE_ACCOUNT_NAME = 'aws-load-balancer-controller';
  /** Namespace the controller runs in. */
  public static readonly NAMESPACE = 'kube-system';

  /** The IRSA service account the controller runs as. Its `role` carries the controller's IAM policy. */
  public readonly serviceAccount: FargateServiceAccount;
  /** The controller's IAM policy on the service account's role, chosen by partition at deploy time. */
  public readonly policy: iam.CfnPolicy;
  /** The Helm release. Make manifests with Ingresses or LoadBalancer Services depend on it. */
  public readonly chart: eks.HelmChart;
  /** Repository the controller image is pulled from (a token in environment-agnostic stacks). */
  public readonly imageRepository: string;

  constructor(scope: Construct, id: string, props: AwsLoadBalancerControllerProps) {
    super(scope, id);
    const cluster = props.cluster;
    const helmValues: { [key: string]: unknown } = props.helmValues ?? {};
    const replicas = props.replicas ?? 2;
    validateProps(this, props, helmValues, replicas);
    const vpc = vpcOf(this, cluster);
    claimCluster(this, cluster);

    this.serviceAccount = cluster.addServiceAccount(`${id}ServiceAccount`, {
      name: AwsLoadBalancerController.SERVICE_ACCOUNT_NAME,
      namespace: AwsLoadBalancerController.NAMESPACE,
    });
    this.policy = new iam.CfnPolicy(this, 'Policy', {
      policyName: 'AWSLoadBalancerControllerIAMPolicy',
      roles: [this.serviceAccount.role.roleName],
      policyDocument: this.partitionPolicyDocument(),
    });
    acknowledgeWildcardsUnder(this, 'The AWS Load Balancer Controller\'s own published IAM policy (v3.5.0, this partition\'s document, '
      + 'unchanged): it manages load balancers, target groups and security groups it creates at run time, by tag conditions.');

    this.imageRepository = props.imageRepository ?? this.regionalImageRepository();
    this.chart = cluster.addHelmChart(`${id}Chart`, {
      chart: 'aws-load-balancer-controller',
      repository: 'https://aws.github.io/eks-charts',
      release: AwsLoadBalancerController.SERVICE_ACCOUNT_NAME,
      version: props.chartVersion ?? AwsLoadBalancerController.DEFAULT_CHART_VERSION,
      namespace: AwsLoadBalancerController.NAMESPACE,
      // Later manifests need the admission webhooks up; Fargate takes a minute or two to start each pod.
      wait: true,
      timeout: Duration.minutes(15),
      values: mergeValues({
        clusterName: cluster.clusterName,
        region: Stack.of(this).region,
        vpcId: vpc.vpcId,
        serviceAccount: { create: false, name: this.serviceAccount.serviceAccountName },
        image: { repository: this.imageRepository, tag: props.imageTag ?? AwsLoadBalancerController.DEFAULT_IMAGE_TAG },
        replicaCount: replicas,
        // Instance targets can never reach a Fargate pod, so a manifest without a target type still gets one that works.
        defaultTargetType: 'ip',
      }, helmValues),
    });
    // The account construct holds the role and the ServiceAccount manifest: the pods need both, and the policy.
    this.chart.node.addDependency(this.serviceAccount, this.policy);

    warnAboutVersions(this, props);
    warnAboutUntaggedSubnets(this, vpc);
    atSynth(this, () => warnWithoutProfile(this, cluster, extraPodLabels(helmValues)));
  }

  /**
   * The published policy of the deploying partition. The three documents differ in their ARNs (and statement order),
   * and only one `AWS::IAM::Policy` is created either way: `Fn::If` picks the document, so the template stays
   * environment-agnostic and no resource is conditional (nothing depends on a resource that may not exist). Other
   * partitions get the standard document (refused at synth when the stack's region is known).
   */
  private partitionPolicyDocument(): unknown {
    // A known region names its partition: only that document, so reviewers and cdk-nag see the policy itself.
    const region = Stack.of(this).region;
    const knownPartition = Token.isUnresolved(region) ? undefined : RegionInfo.get(region).partition;
    if (knownPartition !== undefined && (POLICY_PARTITIONS as readonly string[]).includes(knownPartition)) {
      return controllerPolicy(knownPartition as typeof POLICY_PARTITIONS[number]);
    }
    const condition = (id: string, partition: string) =>
      new CfnCondition(this, id, { expression: Fn.conditionEquals(Aws.PARTITION, partition) }).logicalId;
    const isChina = condition('IsAwsCnPartition', 'aws-cn');
    const isGovCloud = condition('IsAwsUsGovPartition', 'aws-us-gov');
    return Fn.conditionIf(isChina, controllerPolicy('aws-cn'),
      Fn.conditionIf(isGovCloud, controllerPolicy('aws-us-gov'), controllerPolicy('aws')));
  }

  /** The controller image in the EKS add-on registry of the stack's region (a literal when the region is known). */
  private regionalImageRepository(): string {
    const mapping: { [region: string]: { [key: string]: string } } = {};
    for (const [region, registry] of Object.entries(addOnRegistries())) {
      mapping[region] = { registry };
    }
    const registries = new CfnMapping(this, 'ImageRegistries', { mapping, lazy: true });
    return `${registries.findInMap(Stack.of(this).region, 'registry')}/${CONTROLLER_REPOSITORY_PATH}`;
  }
}

function validateProps(controller: AwsLoadBalancerController, props: AwsLoadBalancerControllerProps,
  helmValues: { [key: string]: unknown }, replicas: number): void {
  const problems = reservedValueProblems(helmValues);
  if (!Token.isUnresolved(replicas) && (!Number.isInteger(replicas) || replicas < 1)) {
    problems.push(`\`replicas\` is ${replicas}; the controller needs a whole number of at least 1 pod (2 keeps its webhooks `
      + 'available while one pod is replaced).');
  }
  const region = Stack.of(controller).region;
  if (!Token.isUnresolved(region)) {
    const partition = RegionInfo.get(region).partition;
    if (partition !== undefined && !(POLICY_PARTITIONS as readonly string[]).includes(partition)) {
      problems.push(`the stack's region ${region} is in partition ${partition}; this library ships the controller's IAM policy for `
        + `${POLICY_PARTITIONS.join(', ')} only. Install the controller in ${region} with the policy the controller publishes for it.`);
    }
    if (props.imageRepository === undefined && !hasAddOnRegistry(region)) {
      problems.push(`the stack's region ${region} has no Amazon EKS add-on registry in this library's table, so the controller image `
        + 'cannot be chosen. Set `imageRepository`, e.g. \'public.ecr.aws/eks/aws-load-balancer-controller\' (needs internet access).');
    }
  }
  throwIfProblems(controller, problems);
}

/** The cluster's VPC, which an owned cluster always has (the type is optional for jsii only). */
function vpcOf(controller: AwsLoadBalancerController, cluster: FargateCluster): ec2.IVpc {
  if (!cluster.vpc) {
    throw new Error(`${controller.node.path}: \`cluster\` ${cluster.node.path} has no VPC; the controller needs the cluster's VPC to `
      + 'pass its id to the controller and to place load balancers.');
  }
  return cluster.vpc;
}

/**
 * Throws when the cluster already has a controller: it runs once a cluster (its webhooks, IngressClass and service
 * account are cluster-wide).
 * @param path construct path of the new controller, for the message
 */
export function assertNoLoadBalancerController(path: string, cluster: IConstruct): void {
  const existing = stateOf(cluster).loadBalancerController;
  if (existing) {
    throw new Error(`${path}: \`cluster\` ${cluster.node.path} already has an AWS Load Balancer Controller `
      + `(${existing.construct.node.path}); the controller runs once a cluster (its webhooks, IngressClass and service account are `
      + 'cluster-wide). Use that one, and pass options to it.');
  }
}

function claimCluster(controller: AwsLoadBalancerController, cluster: FargateCluster): void {
  assertNoLoadBalancerController(controller.node.path, cluster);
  // Objects that need the controller wait for its chart (a child of the cluster), read at synth.
  stateOf(cluster).loadBalancerController = { construct: controller, get parts() { return [controller, controller.chart]; } };
}

function warnAboutVersions(controller: AwsLoadBalancerController, props: AwsLoadBalancerControllerProps): void {
  const chartVersion = props.chartVersion ?? AwsLoadBalancerController.DEFAULT_CHART_VERSION;
  const imageTag = props.imageTag ?? AwsLoadBalancerController.DEFAULT_IMAGE_TAG;
  if (chartVersion === AwsLoadBalancerController.DEFAULT_CHART_VERSION && imageTag === AwsLoadBalancerController.DEFAULT_IMAGE_TAG) {
    return;
  }
  Annotations.of(controller).addWarningV2('cdk-eks-fargate:load-balancer-controller-version',
    `The controller is installed from chart ${chartVersion} with image tag ${imageTag}, but its IAM policy is the one published for `
    + `controller ${AwsLoadBalancerController.DEFAULT_IMAGE_TAG} (chart ${AwsLoadBalancerController.DEFAULT_CHART_VERSION}), the `
    + 'version this library pins; another version may need other permissions. Compare docs/install/iam_policy*.json of '
    + 'kubernetes-sigs/aws-load-balancer-controller at that version, and keep the image tag at the chart\'s app version.');
}

/** The controller's pods need a profile. Profile sets can be added after the controller, so this runs at synth. */
function warnWithoutProfile(controller: AwsLoadBalancerController, cluster: FargateCluster, extraLabels: { [key: string]: string }): void {
  const labels = {
    ...extraLabels,
    'app.kubernetes.io/name': AwsLoadBalancerController.SERVICE_ACCOUNT_NAME,
    'app.kubernetes.io/instance': AwsLoadBalancerController.SERVICE_ACCOUNT_NAME,
  };
  const selectors = stateOf(cluster).profiles.profiles.flatMap(profile => profile.selectors);
  if (anySelectorMatches(selectors, AwsLoadBalancerController.NAMESPACE, labels)) {
    return;
  }
  Annotations.of(controller).addWarningV2('cdk-eks-fargate:load-balancer-controller-no-profile',
    `No Fargate profile of ${cluster.node.path} selects the controller's pods (namespace kube-system, labels `
    + `${Object.entries(labels).map(([key, value]) => `${key}=${value}`).join(', ')}), so they would stay Pending and the Helm `
    + 'install would time out after 15 minutes. Keep `defaultProfile` on, or add a profile set with `{ namespace: \'kube-system\' }`.');
}
