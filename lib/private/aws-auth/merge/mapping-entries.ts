/** The three aws-auth data keys this library reads and writes; every other key passes through untouched. */
export type MappingKind = 'mapRoles' | 'mapUsers' | 'mapAccounts';

/** In the order new keys are added to a ConfigMap that lacks them. */
export const MAPPING_KINDS: readonly MappingKind[] = ['mapRoles', 'mapUsers', 'mapAccounts'];

/** The field that names an entry of a data key. */
export const IDENTITY_FIELD: { readonly [kind in MappingKind]: string | undefined } = {
  mapRoles: 'rolearn',
  mapUsers: 'userarn',
  // An account entry is the account id itself.
  mapAccounts: undefined,
};

/** The group whose loss stops nodes and Fargate pods from joining the cluster. */

/**
 * One entry of a mapping list as EKS reads it, or as an owner wants it.
 */
export interface MappingEntry {
  /**
   * How EKS tells entries apart: the lower-cased role ARN (or `sso` pattern), the lower-cased user ARN (looked up
   * case-insensitively), or the account id as text.
   */
  readonly identity: string;
  /** The ARN or account id as written. */
  readonly arn: string;
  /** Username; `undefined` when empty (Go reads absent, null and "" alike). */
  readonly username?: string;
  /** Groups in written order; `undefined` when absent or null. */
  readonly groups?: readonly string[];
  /** The `sso` pattern of a role entry that has one instead of a `rolearn`. */
  readonly ssoPattern?: string;
}

/**
 * Whether two entries grant the same: equal usernames and the same groups as a set, so `[a, b]` and `[b, a]` are
 * one mapping (Kubernetes groups are a set). Absent, null and empty username or groups compare equal, as Go
 * reads them all as empty. Account entries have no mapping beyond their id.
 */
export function sameMapping(left: MappingEntry, right: MappingEntry): boolean {
  if ((left.username ?? '') !== (right.username ?? '')) {
    return false;
  }
  const leftGroups = new Set(left.groups);
  const rightGroups = new Set(right.groups);
  return leftGroups.size === rightGroups.size && [...leftGroups].every((group) => rightGroups.has(group));
}

/** A readable mapping for error messages: `{"username":"…","groups":[…]}`. */
export function describeMapping(entry: MappingEntry): string {
  return JSON.stringify({ username: entry.username ?? '', groups: entry.groups ?? [] });
}
