import { isKind, objectAt, referenceOf, stringOf } from './pod-spec';
import { KubernetesManifest, READINESS_RULE_PREFIX, ReadinessRule } from './types';

/**
 * Load balancers: Fargate pods have no node port to target, so NLBs and ALBs reach them only with IP targets,
 * which only the AWS Load Balancer Controller creates. A plain `type: LoadBalancer` Service gets the in-tree
 * controller's instance-target load balancer, which never reaches a Fargate pod.
 *
 * Accepted, because the target type is in the manifest itself (never the controller's configurable default):
 * - a `type: LoadBalancer` Service claimed by the controller (`service.beta.kubernetes.io/aws-load-balancer-type:
 *   external`, or `spec.loadBalancerClass: service.k8s.aws/nlb`) with `...-nlb-target-type: ip`, or with the type
 *   `nlb-ip`, the controller's deprecated spelling of exactly that which it still honours;
 * - an Ingress of class `alb` (`spec.ingressClassName`, else the legacy `kubernetes.io/ingress.class` annotation) with
 *   `alb.ingress.kubernetes.io/target-type: ip`; Ingresses of other classes are not judged;
 * - a TargetGroupBinding whose `spec.targetType` is not `instance`.
 *
 * On a mixed cluster the targets may be EC2 pods, which a manifest alone cannot tell, so this rule only runs on
 * Fargate-only clusters.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/network-load-balancing.html
 * @see https://docs.aws.amazon.com/eks/latest/userguide/alb-ingress.html
 */

const LB_TYPE = 'service.beta.kubernetes.io/aws-load-balancer-type';
const NLB_TARGET_TYPE = 'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type';
const LBC_NLB_CLASS = 'service.k8s.aws/nlb';
const ALB_TARGET_TYPE = 'alb.ingress.kubernetes.io/target-type';
const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

function annotationsOf(manifest: KubernetesManifest): { [key: string]: unknown } {
  return objectAt(manifest, 'metadata', 'annotations') ?? {};
}

/** Whether the AWS Load Balancer Controller claims a LoadBalancer Service (rather than the in-tree controller). */
function claimedByController(manifest: KubernetesManifest): boolean {
  const lbType = stringOf(annotationsOf(manifest)[LB_TYPE]);
  return lbType === 'external' || lbType === 'nlb-ip' || objectAt(manifest, 'spec')?.loadBalancerClass === LBC_NLB_CLASS;
}

/** Whether a LoadBalancer Service gets an IP-target NLB from the AWS Load Balancer Controller. */
function isIpTargetNlb(manifest: KubernetesManifest): boolean {
  const annotations = annotationsOf(manifest);
  // `nlb-ip` is the controller's older spelling of `external` + IP targets; it still honours it.
  if (stringOf(annotations[LB_TYPE]) === 'nlb-ip') {
    return true;
  }
  return claimedByController(manifest) && stringOf(annotations[NLB_TARGET_TYPE]) === 'ip';
}

/** An Ingress's class: `spec.ingressClassName`, else the legacy `kubernetes.io/ingress.class` annotation. */
function ingressClassOf(manifest: KubernetesManifest): string | undefined {
  return stringOf(objectAt(manifest, 'spec')?.ingressClassName) ?? stringOf(annotationsOf(manifest)[INGRESS_CLASS_ANNOTATION]);
}

function checkService(manifest: KubernetesManifest): string[] {
  if (objectAt(manifest, 'spec')?.type !== 'LoadBalancer' || isIpTargetNlb(manifest)) {
    return [];
  }
  const targetType = stringOf(annotationsOf(manifest)[NLB_TARGET_TYPE]);
  let problem: string;
  if (targetType === 'ip') {
    problem = `a \`type: LoadBalancer\` Service with \`${NLB_TARGET_TYPE}: ip\` but neither \`${LB_TYPE}: external\` nor `
      + `\`spec.loadBalancerClass: ${LBC_NLB_CLASS}\` only gets IP targets if the AWS Load Balancer Controller's webhook claims it; `
      + 'otherwise the in-tree controller makes an instance-target load balancer';
  } else if (targetType !== undefined) {
    problem = `a \`type: LoadBalancer\` Service with \`${NLB_TARGET_TYPE}: ${targetType}\` gets instance targets`;
  } else {
    problem = 'a `type: LoadBalancer` Service without IP targets gets an instance-target load balancer (from the in-tree '
      + 'controller, or from the AWS Load Balancer Controller unless its default target type is `ip`)';
  }
  return [`${referenceOf(manifest)}: ${problem}, and instance targets cannot reach Fargate pods. Install the AWS Load Balancer `
    + `Controller (\`cluster.addAwsLoadBalancerController()\`) and annotate the Service with \`${LB_TYPE}: external\` and `
    + `\`${NLB_TARGET_TYPE}: ip\` (or set \`spec.loadBalancerClass: ${LBC_NLB_CLASS}\` with the same target-type annotation).`];
}

function checkIngress(manifest: KubernetesManifest): string[] {
  const targetType = stringOf(annotationsOf(manifest)[ALB_TARGET_TYPE]);
  if (ingressClassOf(manifest) !== 'alb' || targetType === 'ip') {
    return [];
  }
  const problem = targetType !== undefined
    ? `an ALB Ingress with \`${ALB_TARGET_TYPE}: ${targetType}\` registers instance targets`
    : `an ALB Ingress without \`${ALB_TARGET_TYPE}: ip\` gets the AWS Load Balancer Controller's default target type, \`instance\` `
      + 'unless the controller is installed with `defaultTargetType: ip`';
  return [`${referenceOf(manifest)}: ${problem}, and instance targets cannot reach Fargate pods. Annotate the Ingress with `
    + `\`${ALB_TARGET_TYPE}: ip\` (its targets then do not depend on how the controller is installed).`];
}

function checkTargetGroupBinding(manifest: KubernetesManifest): string[] {
  if (objectAt(manifest, 'spec')?.targetType !== 'instance') {
    return [];
  }
  return [`${referenceOf(manifest)}: \`spec.targetType: instance\` registers node ports, which Fargate pods do not have. `
    + 'Set `spec.targetType: ip` and bind a target group of target type `ip`.'];
}

export const loadBalancersRule: ReadinessRule = {
  id: `${READINESS_RULE_PREFIX}load-balancers`,
  level: 'error',
  summary: 'Load balancers must use IP targets (AWS Load Balancer Controller) to reach Fargate pods.',
  check(manifest, context) {
    if (!context.fargateOnly) {
      return [];
    }
    if (isKind(manifest, 'Service', [''])) {
      return checkService(manifest);
    }
    if (isKind(manifest, 'Ingress', ['networking.k8s.io', 'extensions'])) {
      return checkIngress(manifest);
    }
    if (isKind(manifest, 'TargetGroupBinding', ['elbv2.k8s.aws'])) {
      return checkTargetGroupBinding(manifest);
    }
    return [];
  },
};

/**
 * What the AWS Load Balancer Controller must serve for `manifest` (its description, for messages), or undefined
 * when the object does not need the controller: an ALB Ingress, a Service the controller claims, or one of the
 * controller's own kinds (`TargetGroupBinding`, `IngressClassParams`, which cannot even be applied before its CRDs).
 */
export function loadBalancerControllerNeed(manifest: KubernetesManifest): string | undefined {
  if (isKind(manifest, 'TargetGroupBinding', ['elbv2.k8s.aws']) || isKind(manifest, 'IngressClassParams', ['elbv2.k8s.aws'])) {
    return `a ${manifest.kind} (a kind of the controller's CRDs)`;
  }
  if (isKind(manifest, 'Ingress', ['networking.k8s.io', 'extensions'])) {
    return ingressClassOf(manifest) === 'alb' ? 'an ALB Ingress' : undefined;
  }
  if (isKind(manifest, 'Service', ['']) && objectAt(manifest, 'spec')?.type === 'LoadBalancer') {
    return claimedByController(manifest) ? 'a Service for an NLB of the controller' : undefined;
  }
  return undefined;
}
