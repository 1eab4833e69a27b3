import { isKind, objectAt, referenceOf, stringOf } from './pod-spec';
import { KubernetesManifest, READINESS_RULE_PREFIX, ReadinessRule } from './types';

/**
 * Load balancers: Fargate pods have no node port to target, so NLBs and ALBs reach them only with IP targets,
 * which only the AWS Load Balancer Controller creates. A plain `type: LoadBalancer` Service gets the in-tree
 * controller's instance-target load balancer, which never reaches a Fargate pod.
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

/** Whether a LoadBalancer Service gets an IP-target NLB from the AWS Load Balancer Controller. */
function isIpTargetNlb(manifest: KubernetesManifest): boolean {
  const annotations = annotationsOf(manifest);
  const lbType = stringOf(annotations[LB_TYPE]);
  // `nlb-ip` is the controller's older spelling of `external` + IP targets; it still honours it.
  if (lbType === 'nlb-ip') {
    return true;
  }
  const handledByController = lbType === 'external' || objectAt(manifest, 'spec')?.loadBalancerClass === LBC_NLB_CLASS;
  return handledByController && stringOf(annotations[NLB_TARGET_TYPE]) === 'ip';
}

function checkService(manifest: KubernetesManifest): string[] {
  if (objectAt(manifest, 'spec')?.type !== 'LoadBalancer' || isIpTargetNlb(manifest)) {
    return [];
  }
  return [`${referenceOf(manifest)}: a \`type: LoadBalancer\` Service without IP targets gets an instance-target load `
    + 'balancer, which cannot reach Fargate pods. Install the AWS Load Balancer Controller and annotate the Service '
    + `with \`${LB_TYPE}: external\` and \`${NLB_TARGET_TYPE}: ip\` (or set \`spec.loadBalancerClass: ${LBC_NLB_CLASS}\` `
    + 'with the same target-type annotation).'];
}

function checkIngress(manifest: KubernetesManifest): string[] {
  const annotations = annotationsOf(manifest);
  const ingressClass = stringOf(objectAt(manifest, 'spec')?.ingressClassName) ?? stringOf(annotations[INGRESS_CLASS_ANNOTATION]);
  if (ingressClass !== 'alb' || stringOf(annotations[ALB_TARGET_TYPE]) === 'ip') {
    return [];
  }
  return [`${referenceOf(manifest)}: an ALB Ingress without \`${ALB_TARGET_TYPE}: ip\` registers instance targets, `
    + `which cannot reach Fargate pods. Add the annotation \`${ALB_TARGET_TYPE}: ip\`.`];
}

function checkTargetGroupBinding(manifest: KubernetesManifest): string[] {
  if (objectAt(manifest, 'spec')?.targetType !== 'instance') {
    return [];
  }
  return [`${referenceOf(manifest)}: \`spec.targetType: instance\` registers node ports, which Fargate pods do not have. `
    + 'Use `targetType: ip` with an IP target group.'];
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
