import { isNodeMapping } from '../shared/kubernetes-groups';
/** Principal rules EKS applies to access entries, checked at synth (pure: no aws-cdk-lib). */

const ASSUMED_ROLE = /^arn:aws[a-z-]*:sts::\d{12}:(assumed-role|federated-user)\//;
const USER = /^arn:aws[a-z-]*:iam::\d{12}:user\//;

/** What an access entry is asked to map. */
export interface EntryInput {
  /** The principal ARN; `undefined` when it is only known at deploy time. */
  readonly arn?: string;
  /** How messages name the principal: its ARN, or the construct path when the ARN is a token. */
  readonly display: string;
  readonly groups: readonly string[];
  /** The stack's account, when known. */
  readonly account?: string;
}

export function accessEntryProblems(input: EntryInput): string[] {
  const problems: string[] = [];
  const { arn, display, groups } = input;
  if (arn && ASSUMED_ROLE.test(arn)) {
    problems.push(`${display} is an STS session ARN; an access entry takes the IAM role (arn:<partition>:iam::<account>:role/<name>) whose `
      + 'sessions it admits, never a session. Pass the role.');
  }
  const isNode = isNodeMapping(groups);
  if (isNode && arn && USER.test(arn)) {
    problems.push(`${display} is an IAM user mapped to the node groups system:bootstrappers and system:nodes; nodes join with a role `
      + '(EC2_LINUX entries take roles only). Map the node role instead.');
  }
  const arnAccount = arn?.split(':')[4];
  if (isNode && arnAccount && input.account && arnAccount !== input.account) {
    problems.push(`${display} is a node role of account ${arnAccount}, not of the cluster's account ${input.account}; EC2 nodes join a `
      + 'cluster with a role of its own account. Use a node role of this account.');
  }
  const seen = new Set<string>();
  for (const group of groups) {
    if (typeof group !== 'string' || group.trim().length === 0) {
      problems.push(`mapping of ${display} has an empty group name (${JSON.stringify(group)}). Remove it or name the group.`);
    } else if (seen.has(group)) {
      problems.push(`mapping of ${display} names group '${group}' twice. Name each group once.`);
    }
    seen.add(group);
  }
  return problems;
}
