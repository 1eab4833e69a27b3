import { fargateWorkloadOf, objectAt, objectsOf, stringMapOf, stringOf } from './pod-spec';
import { READINESS_RULE_PREFIX, ReadinessRule } from './types';

/**
 * Node selection that only EC2 nodes satisfy: Fargate nodes are labelled `eks.amazonaws.com/compute-type:
 * fargate`, `kubernetes.io/arch: amd64` and `kubernetes.io/os: linux` (plus zone labels), and carry none of the
 * labels of node groups, Karpenter or EKS Auto Mode. A pod that requires such a label stays Pending on Fargate.
 */

/** Labels only EC2 nodes carry (node groups, eksctl, Karpenter, EKS Auto Mode). */
const EC2_ONLY_KEYS = [
  'node.kubernetes.io/instance-type',
  'beta.kubernetes.io/instance-type',
  'node.kubernetes.io/lifecycle',
  'eks.amazonaws.com/nodegroup',
  'eks.amazonaws.com/nodegroup-image',
  'eks.amazonaws.com/capacityType',
  'eks.amazonaws.com/sourceLaunchTemplateId',
  'eks.amazonaws.com/sourceLaunchTemplateVersion',
  'alpha.eksctl.io/nodegroup-name',
  'alpha.eksctl.io/cluster-name',
];
const EC2_ONLY_PREFIXES = ['karpenter.sh/', 'karpenter.k8s.aws/', 'eks.amazonaws.com/instance-'];

/** Labels every Fargate node carries, with the value it has. */
const FARGATE_NODE_LABELS: { [key: string]: string } = {
  'eks.amazonaws.com/compute-type': 'fargate',
  'kubernetes.io/arch': 'amd64',
  'beta.kubernetes.io/arch': 'amd64',
  'kubernetes.io/os': 'linux',
  'beta.kubernetes.io/os': 'linux',
};

/** The value every Fargate node has for label `key`, or undefined (own keys only: `constructor` is a label too). */
function fargateNodeLabel(key: string): string | undefined {
  return Object.hasOwn(FARGATE_NODE_LABELS, key) ? FARGATE_NODE_LABELS[key] : undefined;
}

function isEc2OnlyKey(key: string): boolean {
  return EC2_ONLY_KEYS.includes(key) || EC2_ONLY_PREFIXES.some((prefix) => key.startsWith(prefix));
}

/** Why a nodeSelector entry excludes Fargate nodes, or undefined when they satisfy it. */
function selectorEntryProblem(key: string, value: string): string | undefined {
  if (isEc2OnlyKey(key)) {
    return `\`${key}: ${value}\``;
  }
  const fargateValue = fargateNodeLabel(key);
  return fargateValue !== undefined && value !== fargateValue ? `\`${key}: ${value}\`` : undefined;
}

/** Why a node affinity requirement excludes Fargate nodes, or undefined when they satisfy it (or it is unreadable). */
function requirementProblem(requirement: Record<string, any>): string | undefined {
  const key = stringOf(requirement.key);
  const operator = stringOf(requirement.operator);
  if (key === undefined || operator === undefined) {
    return undefined;
  }
  // Only strings: anything else is refused when the manifest is added (see node-affinity-rules).
  const values = Array.isArray(requirement.values) ? requirement.values.filter((value: unknown) => typeof value === 'string') : [];
  const described = `\`${key} ${operator}${values.length > 0 ? ` [${values.join(', ')}]` : ''}\``;
  if (isEc2OnlyKey(key)) {
    // Fargate nodes lack the label: only NotIn and DoesNotExist can hold.
    return ['In', 'Exists', 'Gt', 'Lt'].includes(operator) ? described : undefined;
  }
  const fargateValue = fargateNodeLabel(key);
  if (fargateValue === undefined) {
    return undefined;
  }
  const excluded = (operator === 'In' && !values.includes(fargateValue))
    || (operator === 'NotIn' && values.includes(fargateValue))
    || operator === 'DoesNotExist';
  return excluded ? described : undefined;
}

/** Label keys of the CPU architecture; selecting another than `amd64` is the arm64 rule's error, not a warning here. */
export const ARCHITECTURE_KEYS = ['kubernetes.io/arch', 'beta.kubernetes.io/arch'];

/**
 * How a pod spec's node selection excludes Fargate nodes, judging only label keys for which `considered` holds:
 * nodeSelector entries one by one, and required node affinity when every term has an excluding requirement (terms
 * are alternatives). Empty when Fargate nodes satisfy it.
 */
export function nodeSelectionProblems(spec: Record<string, any>, considered: (key: string) => boolean): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(stringMapOf(spec.nodeSelector))) {
    const problem = considered(key) ? selectorEntryProblem(key, value) : undefined;
    if (problem) {
      problems.push(`nodeSelector ${problem}`);
    }
  }
  const terms = objectsOf(objectAt(spec, 'affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution')?.nodeSelectorTerms);
  const termProblems = terms.map((term) => objectsOf(term.matchExpressions)
    .filter((requirement) => considered(stringOf(requirement.key) ?? ''))
    .map(requirementProblem)
    .filter((problem): problem is string => problem !== undefined));
  if (terms.length > 0 && termProblems.every((found) => found.length > 0)) {
    problems.push(`required node affinity ${termProblems.map((found) => found.join(' and ')).join(' or ')}`);
  }
  return problems;
}

export const ec2NodeSelectionRule: ReadinessRule = {
  id: `${READINESS_RULE_PREFIX}ec2-node-selection`,
  level: 'warning',
  summary: 'nodeSelector or required node affinity on labels that Fargate nodes do not carry.',
  check(manifest, context) {
    const workload = fargateWorkloadOf(manifest, context);
    if (!workload) {
      return [];
    }
    const problems = nodeSelectionProblems(workload.spec, (key) => !ARCHITECTURE_KEYS.includes(key));
    if (problems.length === 0) {
      return [];
    }
    return [`${workload.reference}: ${problems.join('; ')} cannot be met by Fargate nodes (labelled only `
      + '`eks.amazonaws.com/compute-type: fargate`, `kubernetes.io/arch: amd64`, `kubernetes.io/os: linux` and '
      + 'zone labels), so its pods stay Pending on Fargate. Remove the EC2-specific node selection, or run this '
      + 'workload on EC2 nodes.'];
  },
};
