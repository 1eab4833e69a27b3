/** The three aws-auth data keys this library reads and writes; every other key passes through untouched. */
export type MappingKind = 'mapRoles' | 'mapUsers' | 'mapAccounts';

/** In the order new keys are added to a ConfigMap that lacks them. */
export const MAPPING_KINDS: readonly MappingKind[] = ['mapRoles', 'mapUsers', 'mapAccounts'];

/** The field that names an entry: two entries with the same value for it map the same principal. */
export const IDENTITY_FIELD: { readonly [kind in MappingKind]: string | undefined } = {
  mapRoles: 'rolearn',
  mapUsers: 'userarn',
  // An account entry is the account id itself.
  mapAccounts: undefined,
};

/** The group whose loss stops nodes and Fargate pods from joining the cluster. */
export const NODES_GROUP = 'system:nodes';

/**
 * One entry of a mapping list, as read or as wanted.
 */
export interface MappingEntry {
  /** `rolearn`, `userarn` or the account id. */
  readonly identity: string;
  /** Username; `undefined` when absent, null or empty (Go reads all three as ""). */
  readonly username?: string;
  /** Groups in written order; `undefined` when absent or null. */
  readonly groups?: readonly string[];
  /** The entry exactly as read (unknown fields included), or as built for a new entry; rendered back as is. */
  readonly raw: unknown;
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

/** Whether any entry maps a principal into `system:nodes`. */
export function mapsNodesGroup(entries: readonly MappingEntry[]): boolean {
  return entries.some((entry) => entry.groups?.includes(NODES_GROUP) === true);
}
