/** Checks of identity mappings that EKS or the authenticator would only reject (or silently ignore) after deploy. */

import { AWS_PARTITIONS } from '../merge/eks-reader';

const ROLE_ARN = /^arn:([^:]*):iam::\d{12}:role\/.+$/;
const USER_ARN = /^arn:([^:]*):iam::\d{12}:user\/.+$/;
const ACCOUNT_ID = /^\d{12}$/;
/** How an unresolved CDK token renders inside a string; such values are only known at deploy time. */
const UNRESOLVED = /\$\{Token\[/;

function isToken(value: string): boolean {
  return UNRESOLVED.test(value);
}

/**
 * Problems with a role mapping; empty when it is valid or cannot be checked (tokens).
 *
 * @param display how messages name the role: its construct path when the ARN is only known at deploy time
 */
export function roleMappingProblems(roleArn: string, groups: readonly string[], username?: string, display: string = roleArn): string[] {
  const problems = groupProblems(display, groups, username);
  if (isToken(roleArn)) {
    return problems;
  }
  const partition = ROLE_ARN.exec(roleArn)?.[1];
  if (partition !== undefined && !isToken(partition) && !AWS_PARTITIONS.includes(partition)) {
    problems.push(partitionProblem(roleArn, partition));
  } else if (!ROLE_ARN.test(roleArn)) {
    problems.push(`role ARN '${roleArn}' is not an IAM role ARN (arn:<partition>:iam::<12-digit account>:role/<name>); assumed-role (sts) `
      + 'and user ARNs never match a role mapping. Pass the role itself, or use `addUserMapping` for users.');
  } else if (roleArn.split(':role/')[1].includes('/')) {
    problems.push(`role ARN '${roleArn}' has a path; the authenticator compares role ARNs without their path, so this mapping would `
      + `never match. Use 'arn:...:role/${roleArn.split('/').pop()}'.`);
  }
  return problems;
}

/**
 * Problems with a user mapping; empty when it is valid or cannot be checked (tokens).
 *
 * @param display how messages name the user: its construct path when the ARN is only known at deploy time
 */
export function userMappingProblems(userArn: string, groups: readonly string[], username?: string, display: string = userArn): string[] {
  const problems = groupProblems(display, groups, username);
  const partition = USER_ARN.exec(userArn)?.[1];
  if (isToken(userArn)) {
    return problems;
  }
  if (partition !== undefined && !AWS_PARTITIONS.includes(partition)) {
    problems.push(partitionProblem(userArn, partition));
  } else if (!USER_ARN.test(userArn)) {
    problems.push(`user ARN '${userArn}' is not an IAM user ARN (arn:<partition>:iam::<12-digit account>:user/<name>). `
      + 'Use `addRoleMapping` for roles.');
  }
  return problems;
}

/** Problems with an account id for `mapAccounts`. */
export function accountProblems(accountId: string): string[] {
  if (isToken(accountId) || ACCOUNT_ID.test(accountId)) {
    return [];
  }
  return [`account '${accountId}' is not a 12-digit AWS account id. Quote it as a string so leading zeros survive.`];
}

function groupProblems(principal: string, groups: readonly string[], username?: string): string[] {
  const problems: string[] = [];
  if (groups.length === 0 && username === undefined) {
    problems.push(`mapping of ${principal} has no groups and no username, so it grants nothing. Name at least one Kubernetes group.`);
  }
  for (const group of groups) {
    if (group.trim().length === 0) {
      problems.push(`mapping of ${principal} has an empty group name. Remove it or name the group.`);
    }
  }
  return problems;
}

function partitionProblem(arn: string, partition: string): string {
  return `ARN '${arn}' names the partition '${partition}', which is not an AWS partition (${AWS_PARTITIONS.join(', ')}); `
    + 'no caller ever has such an ARN, so the mapping would never match. Use the partition the principal lives in.';
}

/**
 * Whether two mappings of one principal grant the same: the same username and the same groups as a set (order and
 * repeats do not matter), as the aws-auth merge compares them.
 */
export function sameGrant(left: { readonly groups: readonly string[]; readonly username?: string },
  right: { readonly groups: readonly string[]; readonly username?: string }): boolean {
  const groups = (mapping: { readonly groups: readonly string[] }) => JSON.stringify([...new Set(mapping.groups)].sort());
  return (left.username ?? '') === (right.username ?? '') && groups(left) === groups(right);
}
