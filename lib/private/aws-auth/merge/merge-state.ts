import { DataKeys, keyText, refuseLosingNodes } from './data-keys';
import { DesiredEntries, readDesired } from './desired-mappings';
import { readServed } from './eks-reader';
import { editKey } from './key-edits';
import { MAPPING_KINDS, MappingKind } from './mapping-entries';
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
import { readState, StateParts } from './state-input';
import type { AwsAuthMappings, AwsAuthState, RoleMapping, UserMapping } from '../../../aws-auth-merge';

type MergeResults = { readonly [kind in MappingKind]?: EntryMergeResult };

/** Kubernetes' limit on an object's size; a ConfigMap's data and annotations must fit in it with room to spare. */
export const CONFIG_MAP_SIZE_LIMIT = 1024 * 1024;

/** Implements `AwsAuthMerge.applyOwner`; see its documentation. */
export function applyOwner(current: AwsAuthState | undefined, ownerId: string, desired: AwsAuthMappings): AwsAuthState {
  checkOwnerId(ownerId, 'applyOwner');
  const wanted = readDesired(desired);
  const state = readState(current);
  return applyReadOwner(state, new DataKeys(state.data), ownerId, wanted).state;
}

/** A merged ConfigMap with the model's readings of its data, so a caller's next check reads nothing again. */
interface Merged {
  readonly state: AwsAuthState;
  readonly data: DataKeys;
}

/** `applyOwner` on a state already read: `data` holds the readings of `state.data` made so far. */
function applyReadOwner(state: StateParts, data: DataKeys, ownerId: string, wanted: DesiredEntries): Merged {
  const ownership = readOwnership(state.annotations);
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

  const results = mergeOwner(data, ownership, ownerId, record?.holdings ?? emptyHoldings(), wanted);
  const next = assemble(state, data, ownership, key, ownerId, results);
  if (results.mapRoles?.edits !== undefined || results.mapUsers?.edits !== undefined) {
    refuseLosingNodes(data, next.data, `for owner ${JSON.stringify(ownerId)}`);
  }
  const size = annotationsSize(next.state.annotations ?? {});
  if (size > ANNOTATIONS_SIZE_LIMIT) {
    throw new Error(`aws-auth annotations would take ${size} bytes after owner ${JSON.stringify(ownerId)} records `
      + `its entries; Kubernetes allows at most ${ANNOTATIONS_SIZE_LIMIT} bytes (256 KiB) in total. Split the `
      + 'mappings over fewer principals, or use access entries (the default backend) for this cluster.');
  }
  const total = size + annotationsSize(next.state.data);
  if (total > CONFIG_MAP_SIZE_LIMIT) {
    throw new Error(`aws-auth would take ${total} bytes of data and annotations after owner ${JSON.stringify(ownerId)} `
      + `writes its entries; Kubernetes stores at most ${CONFIG_MAP_SIZE_LIMIT} bytes (1 MiB) an object. Nothing was `
      + 'written. Move mappings to access entries (the default backend), or shorten the ConfigMap by hand.');
  }
  return next;
}

/** Implements `AwsAuthMerge.removeOwner`; see its documentation. */
export function removeOwner(current: AwsAuthState | undefined, ownerId: string): AwsAuthState {
  checkOwnerId(ownerId, 'removeOwner');
  const state = readState(current);
  return removeReadOwner(state, new DataKeys(state.data), ownerId).state;
}

/** `removeOwner` on a state already read. */
function removeReadOwner(state: StateParts, data: DataKeys, ownerId: string): Merged {
  const key = ownerAnnotationKey(ownerId);
  const unchanged = (): Merged => ({ state: copyState(state), data });
  if (state.annotations[key] === undefined) {
    return unchanged();
  }
  const ownership = readOwnership(state.annotations);
  const record = ownership.owners.get(key);
  if (record === undefined) {
    // The owner's own record is unreadable: which entries it held is unknown, so all of them stay.
    return assemble(state, data, ownership, key, ownerId, {});
  }
  if (record.ownerId !== ownerId) {
    // Another owner's record under a colliding hash: not ours to remove.
    return unchanged();
  }
  if (ownership.unreadable.size > 0) {
    // An unreadable record may hold the same entries, or the pre-existing list is lost: leaving every entry in
    // place is the only choice that cannot lose a mapping. Deletion still proceeds.
    return assemble(state, data, ownership, key, ownerId, {});
  }
  const nothing: DesiredEntries = { mapRoles: [], mapUsers: [], mapAccounts: [] };
  return assemble(state, data, ownership, key, ownerId, mergeOwner(data, ownership, ownerId, record.holdings, nothing));
}

/**
 * An update that renames the owner, in one write: the previous owner's record moves to the new id (its entries
 * stay where they are), then the new owner applies its mappings. The `system:nodes` guard compares with what was
 * read, so a mapping that leaves with the old id is caught too. Each data key is read once, and an edited key's
 * text once more to check the edit.
 */
export function replaceOwner(current: AwsAuthState | undefined, previousOwnerId: string, ownerId: string,
  desired: AwsAuthMappings): AwsAuthState {
  checkOwnerId(previousOwnerId, 'replaceOwner');
  checkOwnerId(ownerId, 'replaceOwner');
  if (previousOwnerId === ownerId) {
    return applyOwner(current, ownerId, desired);
  }
  const wanted = readDesired(desired);
  const state = readState(current);
  const data = new DataKeys(state.data);
  const ownership = readOwnership(state.annotations);
  const previousKey = ownerAnnotationKey(previousOwnerId);
  const previous = ownership.owners.get(previousKey);
  const key = ownerAnnotationKey(ownerId);
  const existing = ownership.owners.get(key);
  let moved: Merged;
  if (previous !== undefined && previous.ownerId === previousOwnerId && (existing === undefined || existing.ownerId === ownerId)) {
    const holdings = emptyHoldings() as { [kind in MappingKind]: ReadonlySet<string> };
    for (const kind of MAPPING_KINDS) {
      holdings[kind] = new Set([...previous.holdings[kind], ...(existing?.holdings[kind] ?? [])]);
    }
    const annotations: { [key: string]: string } = { ...state.annotations };
    delete annotations[previousKey];
    setOrDelete(annotations, key, formatOwnerRecord(ownerId, holdings));
    moved = { state: { data: state.data, annotations }, data };
  } else {
    moved = removeReadOwner(state, data, previousOwnerId);
  }
  const next = applyReadOwner(readState(moved.state), moved.data, ownerId, wanted);
  refuseLosingNodes(data, next.data, `while renaming owner ${JSON.stringify(previousOwnerId)} to ${JSON.stringify(ownerId)}`);
  return next.state;
}

/** Implements `AwsAuthMerge.parse`; see its documentation. */
export function parseState(current: AwsAuthState | undefined): AwsAuthMappings {
  const state = readState(current);
  MAPPING_KINDS.forEach((kind) => keyText(state.data, kind));
  const served = readServed(state.data);
  for (const kind of MAPPING_KINDS) {
    const problem = served[kind].problem;
    if (problem?.fatal === true) {
      throw new Error(`aws-auth data key \`${kind}\` ${problem.kind === 'beyond-limits' ? 'goes past what this library reads'
        : 'is not read by EKS at all'}: ${problem.message}`);
    }
  }
  const fields = (username: string, groups: readonly string[] | null) => ({
    ...(username === '' ? {} : { username }),
    ...(groups === null ? {} : { groups: [...groups] }),
  });
  const mapRoles: RoleMapping[] = served.mapRoles.entries
    .filter((entry) => entry.valid && entry.mapping.sso === undefined)
    .map((entry) => ({ rolearn: entry.mapping.rolearn, ...fields(entry.mapping.username, entry.mapping.groups) }));
  const mapUsers: UserMapping[] = served.mapUsers.entries
    .filter((entry) => entry.valid)
    .map((entry) => ({ userarn: entry.mapping.userarn, ...fields(entry.mapping.username, entry.mapping.groups) }));
  return { mapRoles, mapUsers, mapAccounts: [...served.mapAccounts.entries] };
}

function mergeOwner(data: DataKeys, ownership: Ownership, ownerId: string, held: Holdings, wanted: DesiredEntries): MergeResults {
  const results: { [kind in MappingKind]?: EntryMergeResult } = {};
  for (const kind of MAPPING_KINDS) {
    if (held[kind].size === 0 && wanted[kind].length === 0) {
      // Neither held nor wanted: the key is not even read, so a malformed key the owner never touches
      // does not stand in its way.
      continue;
    }
    results[kind] = mergeEntries({
      kind,
      ownerId,
      current: data.content(kind).current,
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
      holders.set(identity, [...(holders.get(identity) ?? []), record.ownerId]);
    }
  }
  return holders;
}

function assemble(state: StateParts, data: DataKeys, ownership: Ownership, key: string, ownerId: string,
  results: MergeResults): Merged {
  const nextData: { [key: string]: string } = { ...state.data };
  const readings = new Map(data.readings().map((content) => [content.kind, content]));
  const held = emptyHoldings() as { [kind in MappingKind]: ReadonlySet<string> };
  const preExisting = { ...ownership.preExisting };
  for (const kind of MAPPING_KINDS) {
    const result = results[kind];
    if (result === undefined) {
      continue;
    }
    held[kind] = result.held;
    preExisting[kind] = result.preExisting;
    if (result.edits === undefined) {
      continue;
    }
    const edited = editKey(data.content(kind), result.edits);
    readings.set(kind, edited.content);
    if (edited.text === undefined) {
      // A list the owners emptied is removed rather than left blank: both read as empty.
      delete nextData[kind];
    } else {
      nextData[kind] = edited.text;
    }
  }

  const nextAnnotations: { [key: string]: string } = { ...state.annotations };
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
  const next = Object.keys(nextAnnotations).length > 0 ? { data: nextData, annotations: nextAnnotations } : { data: nextData };
  return { state: next, data: new DataKeys(nextData, [...readings.values()]) };
}

function setOrDelete(target: { [key: string]: string }, key: string, value: string | undefined): void {
  if (value === undefined) {
    delete target[key];
  } else {
    target[key] = value;
  }
}

function copyState(state: StateParts): AwsAuthState {
  const data = { ...state.data };
  return state.hadAnnotations ? { data, annotations: { ...state.annotations } } : { data };
}

function checkOwnerId(ownerId: unknown, method: string): void {
  if (typeof ownerId !== 'string' || ownerId === '') {
    throw new Error(`AwsAuthMerge.${method}: \`ownerId\` must be a non-empty string, found ${JSON.stringify(ownerId) ?? typeof ownerId}`);
  }
}
