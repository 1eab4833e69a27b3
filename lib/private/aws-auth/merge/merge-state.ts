import { DesiredEntries, readDesired } from './desired-mappings';
import { MAPPING_KINDS, MappingEntry, MappingKind, mapsNodesGroup, NODES_GROUP } from './mapping-entries';
import { EntryMergeResult, mergeEntries } from './merge-entries';
import {
  ANNOTATIONS_SIZE_LIMIT,
  annotationsSize,
  formatOwnerRecord,
  formatPreExisting,
  emptyHoldings,
  Holdings,
  ownerAnnotationKey,
  Ownership,
  PRE_EXISTING_ANNOTATION,
  readOwnership,
} from './ownership-annotations';
import { parseDataKey } from './parse-mappings';
import { renderEntries } from './render-yaml';
import type { AwsAuthMappings, AwsAuthState, RoleMapping, UserMapping } from '../../../aws-auth-merge';

type StringMap = { readonly [key: string]: string };
type MergeResults = { readonly [kind in MappingKind]?: EntryMergeResult };

/** Implements `AwsAuthMerge.applyOwner`; see its documentation. */
export function applyOwner(current: AwsAuthState | undefined, ownerId: string, desired: AwsAuthMappings): AwsAuthState {
  checkOwnerId(ownerId, 'applyOwner');
  const wanted = readDesired(desired);
  const annotations: StringMap = current?.annotations ?? {};
  const ownership = readOwnership(annotations);
  if (ownership.unreadable.size > 0) {
    const problems = [...ownership.unreadable].map(([key, reason]) => `\`${key}\` (${reason})`).join(', ');
    throw new Error(`aws-auth annotation ${problems} is not a valid cdk-eks-fargate ownership record, so it is `
      + 'unknown who holds which entry. Restore the annotation, or delete it to treat its entries as foreign.');
  }
  const key = ownerAnnotationKey(ownerId);
  const record = ownership.owners.get(key);
  if (record !== undefined && record.ownerId !== ownerId) {
    throw new Error(`aws-auth annotation \`${key}\` belongs to owner ${JSON.stringify(record.ownerId)}, whose id has `
      + `the same hash as ${JSON.stringify(ownerId)}; use another ownerId`);
  }

  const data = new DataEntries(current?.data ?? {});
  const results = mergeOwner(data, ownership, ownerId, record?.holdings ?? emptyHoldings(), wanted);
  refuseLosingNodes(data, results, ownerId);
  const next = assemble(current, data, ownership, key, ownerId, results);
  const size = annotationsSize(next.annotations ?? {});
  if (size > ANNOTATIONS_SIZE_LIMIT) {
    throw new Error(`aws-auth annotations would take ${size} bytes after owner ${JSON.stringify(ownerId)} records `
      + `its entries; Kubernetes allows at most ${ANNOTATIONS_SIZE_LIMIT} bytes (256 KiB) in total. Split the `
      + 'mappings over fewer principals, or use access entries (the default backend) for this cluster.');
  }
  return next;
}

/** Implements `AwsAuthMerge.removeOwner`; see its documentation. */
export function removeOwner(current: AwsAuthState | undefined, ownerId: string): AwsAuthState {
  checkOwnerId(ownerId, 'removeOwner');
  const annotations: StringMap = current?.annotations ?? {};
  const key = ownerAnnotationKey(ownerId);
  if (annotations[key] === undefined) {
    return copyState(current);
  }
  const ownership = readOwnership(annotations);
  const record = ownership.owners.get(key);
  const data = new DataEntries(current?.data ?? {});
  if (record === undefined) {
    // The owner's own record is unreadable: which entries it held is unknown, so all of them stay.
    return assemble(current, data, ownership, key, ownerId, {});
  }
  if (record.ownerId !== ownerId) {
    // Another owner's record under a colliding hash: not ours to remove.
    return copyState(current);
  }
  if (ownership.unreadable.size > 0) {
    // An unreadable record may hold the same entries, or the pre-existing list is lost: leaving every entry in
    // place is the only choice that cannot lose a mapping. Deletion still proceeds.
    return assemble(current, data, ownership, key, ownerId, {});
  }
  const nothing: DesiredEntries = { mapRoles: [], mapUsers: [], mapAccounts: [] };
  return assemble(current, data, ownership, key, ownerId, mergeOwner(data, ownership, ownerId, record.holdings, nothing));
}

/** Implements `AwsAuthMerge.parse`; see its documentation. */
export function parseState(state: AwsAuthState | undefined): AwsAuthMappings {
  const data = new DataEntries(state?.data ?? {});
  const mapRoles: RoleMapping[] = data.entries('mapRoles').map((entry) => ({ rolearn: entry.identity, ...mappingFields(entry) }));
  const mapUsers: UserMapping[] = data.entries('mapUsers').map((entry) => ({ userarn: entry.identity, ...mappingFields(entry) }));
  const mapAccounts = data.entries('mapAccounts').map((entry) => entry.identity);
  return { mapRoles, mapUsers, mapAccounts };
}

/** The data keys' entries, each parsed at most once and only when needed. */
class DataEntries {
  private readonly parsed = new Map<MappingKind, MappingEntry[]>();

  constructor(public readonly data: StringMap) {}

  public entries(kind: MappingKind): MappingEntry[] {
    let entries = this.parsed.get(kind);
    if (entries === undefined) {
      const text: unknown = this.data[kind];
      if (text !== undefined && typeof text !== 'string') {
        throw new Error(`aws-auth data key \`${kind}\` is not a string, found ${typeof text}`);
      }
      entries = parseDataKey(kind, text);
      this.parsed.set(kind, entries);
    }
    return entries;
  }
}

function mergeOwner(data: DataEntries, ownership: Ownership, ownerId: string, held: Holdings, wanted: DesiredEntries): MergeResults {
  const results: { [kind in MappingKind]?: EntryMergeResult } = {};
  for (const kind of MAPPING_KINDS) {
    if (held[kind].size === 0 && wanted[kind].length === 0) {
      // Neither held nor wanted: the key is not even parsed, so a malformed key the owner never touches
      // does not stand in its way.
      continue;
    }
    results[kind] = mergeEntries({
      kind,
      ownerId,
      current: data.entries(kind),
      previouslyHeld: held[kind],
      desired: wanted[kind],
      otherHolders: otherHolders(ownership, kind, ownerId),
      preExisting: ownership.preExisting[kind],
    });
  }
  return results;
}

function otherHolders(ownership: Ownership, kind: MappingKind, ownerId: string): Map<string, string[]> {
  const holders = new Map<string, string[]>();
  for (const record of ownership.owners.values()) {
    if (record.ownerId === ownerId) {
      continue;
    }
    for (const identity of record.holdings[kind]) {
      const list = holders.get(identity);
      if (list === undefined) {
        holders.set(identity, [record.ownerId]);
      } else {
        list.push(record.ownerId);
      }
    }
  }
  return holders;
}

function refuseLosingNodes(data: DataEntries, results: MergeResults, ownerId: string): void {
  const guarded: MappingKind[] = ['mapRoles', 'mapUsers'];
  const changed = guarded.filter((kind) => results[kind]?.entries !== undefined);
  const hadNodes = changed.some((kind) => mapsNodesGroup(data.entries(kind)));
  const hasNodes = changed.some((kind) => mapsNodesGroup(results[kind]!.entries!));
  if (!hadNodes || hasNodes) {
    return;
  }
  // Only now are the untouched keys read: one of them may still map nodes.
  if (guarded.some((kind) => !changed.includes(kind) && mapsNodesGroup(data.entries(kind)))) {
    return;
  }
  throw new Error(`Refusing to update aws-auth for owner ${JSON.stringify(ownerId)}: the result would map no role or `
    + `user to the \`${NODES_GROUP}\` group, and the current ConfigMap does (rule: an update never removes the last `
    + `\`${NODES_GROUP}\` mapping, or nodes and Fargate pods could no longer join the cluster). Keep the node or pod `
    + 'execution role mapping in the desired mappings; removing the owner (deleting the stack) is always allowed.');
}

function assemble(current: AwsAuthState | undefined, data: DataEntries, ownership: Ownership, key: string,
  ownerId: string, results: MergeResults): AwsAuthState {
  const nextData: { [key: string]: string } = { ...data.data };
  const held = emptyHoldings() as { [kind in MappingKind]: ReadonlySet<string> };
  const preExisting = { ...ownership.preExisting };
  for (const kind of MAPPING_KINDS) {
    const result = results[kind];
    if (result === undefined) {
      continue;
    }
    held[kind] = result.held;
    preExisting[kind] = result.preExisting;
    if (result.entries === undefined) {
      continue;
    }
    if (result.entries.length === 0) {
      // A list the owners emptied is removed rather than left as `""` or `[]`: both read as empty.
      delete nextData[kind];
    } else {
      nextData[kind] = renderEntries(result.entries.map((entry) => entry.raw));
    }
  }

  const nextAnnotations: { [key: string]: string } = { ...current?.annotations };
  setOrDelete(nextAnnotations, key, formatOwnerRecord(ownerId, held));
  if (!ownership.unreadable.has(PRE_EXISTING_ANNOTATION)) {
    const before = formatPreExisting(ownership.preExisting);
    const after = formatPreExisting(preExisting);
    if (after !== before) {
      setOrDelete(nextAnnotations, PRE_EXISTING_ANNOTATION, after);
    }
  }
  // Kubernetes treats an empty annotations map as none; leaving it out lets a ConfigMap without annotations
  // come back equal once every owner has left.
  return Object.keys(nextAnnotations).length > 0 ? { data: nextData, annotations: nextAnnotations } : { data: nextData };
}

function setOrDelete(target: { [key: string]: string }, key: string, value: string | undefined): void {
  if (value === undefined) {
    delete target[key];
  } else {
    target[key] = value;
  }
}

function copyState(current: AwsAuthState | undefined): AwsAuthState {
  const data = { ...current?.data };
  return current?.annotations === undefined ? { data } : { data, annotations: { ...current.annotations } };
}

function mappingFields(entry: MappingEntry): { username?: string; groups?: string[] } {
  return {
    ...(entry.username === undefined ? {} : { username: entry.username }),
    ...(entry.groups === undefined ? {} : { groups: [...entry.groups] }),
  };
}

function checkOwnerId(ownerId: unknown, method: string): void {
  if (typeof ownerId !== 'string' || ownerId === '') {
    throw new Error(`AwsAuthMerge.${method}: \`ownerId\` must be a non-empty string, found ${JSON.stringify(ownerId)}`);
  }
}
