import { describeMapping, MappingEntry, MappingKind, sameMapping } from './mapping-entries';
import { isMapping, readEntry } from './parse-mappings';
import type { AwsAuthMappings } from '../../../aws-auth-merge';

/** An owner's wanted entries per data key, validated and without duplicates, in the order given. */
export type DesiredEntries = { readonly [kind in MappingKind]: readonly MappingEntry[] };

/**
 * Validates what an owner asks for and builds the entries it would add. New entries carry only the documented
 * fields (`rolearn`/`userarn`, `username`, `groups`), in that order, so the output does not depend on what else a
 * caller's objects hold.
 *
 * @throws Error naming the data key and the entry (counted from 1)
 */
export function readDesired(desired: AwsAuthMappings | undefined): DesiredEntries {
  return {
    mapRoles: readDesiredKind('mapRoles', desired?.mapRoles, 'rolearn'),
    mapUsers: readDesiredKind('mapUsers', desired?.mapUsers, 'userarn'),
    mapAccounts: readDesiredKind('mapAccounts', desired?.mapAccounts, undefined),
  };
}

function readDesiredKind(kind: MappingKind, items: readonly unknown[] | undefined, identityField: string | undefined): MappingEntry[] {
  if (items === undefined || items === null) {
    return [];
  }
  if (!Array.isArray(items)) {
    throw new Error(`AwsAuthMerge: desired \`${kind}\` must be a list`);
  }
  const byIdentity = new Map<string, MappingEntry>();
  items.forEach((item: unknown, index) => {
    const fail = (problem: string) => new Error(`AwsAuthMerge: desired \`${kind}\` entry ${index + 1} ${problem}`);
    const entry = readEntry(kind, buildRaw(item, identityField, fail), fail);
    const earlier = byIdentity.get(entry.identity);
    if (earlier === undefined) {
      byIdentity.set(entry.identity, entry);
    } else if (!sameMapping(earlier, entry)) {
      throw fail(`maps \`${entry.identity}\` again with a different mapping: ${describeMapping(earlier)} `
        + `and ${describeMapping(entry)}; list each principal once`);
    }
  });
  return [...byIdentity.values()];
}

function buildRaw(item: unknown, identityField: string | undefined, fail: (problem: string) => Error): unknown {
  if (identityField === undefined) {
    if (typeof item !== 'string') {
      throw fail(`is not an account id string, found ${item === null ? 'null' : typeof item}`);
    }
    return item;
  }
  if (!isMapping(item)) {
    return item;
  }
  const raw: { [field: string]: unknown } = { [identityField]: item[identityField] };
  if (item.username !== undefined && item.username !== null && item.username !== '') {
    raw.username = item.username;
  }
  if (item.groups !== undefined && item.groups !== null) {
    raw.groups = Array.isArray(item.groups) ? [...item.groups] : item.groups;
  }
  return raw;
}
