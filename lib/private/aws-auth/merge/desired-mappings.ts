import { goToLower } from './eks-reader';
import { describeMapping, MappingEntry, MappingKind } from './mapping-entries';
import type { AwsAuthMappings } from '../../../aws-auth-merge';

/** An owner's wanted entries per data key, validated and without duplicates, in the order given. */
export type DesiredEntries = { readonly [kind in MappingKind]: readonly MappingEntry[] };

/**
 * Validates what an owner asks for. ARNs are told apart as EKS does (case-insensitively), so one ARN listed twice
 * in two spellings is one entry; the same groups in another order are the same mapping.
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

function readDesiredKind(kind: MappingKind, items: unknown, identityField: 'rolearn' | 'userarn' | undefined): MappingEntry[] {
  if (items === undefined || items === null) {
    return [];
  }
  if (!Array.isArray(items)) {
    throw new Error(`AwsAuthMerge: desired \`${kind}\` must be a list`);
  }
  const byIdentity = new Map<string, MappingEntry>();
  items.forEach((item: unknown, index) => {
    const fail = (problem: string) => new Error(`AwsAuthMerge: desired \`${kind}\` entry ${index + 1} ${problem}`);
    const entry = identityField === undefined ? readAccount(item, fail) : readMapping(item, identityField, fail);
    const earlier = byIdentity.get(entry.identity);
    if (earlier === undefined) {
      byIdentity.set(entry.identity, entry);
    } else if (!sameDesired(earlier, entry)) {
      throw fail(`maps \`${entry.arn}\` again with a different mapping: ${describeMapping(earlier)} `
        + `and ${describeMapping(entry)}; list each principal once (EKS compares ARNs ignoring case)`);
    }
  });
  return [...byIdentity.values()];
}

function sameDesired(left: MappingEntry, right: MappingEntry): boolean {
  return describeMapping({ ...left, groups: [...new Set(left.groups)].sort() })
    === describeMapping({ ...right, groups: [...new Set(right.groups)].sort() });
}

function readAccount(item: unknown, fail: (problem: string) => Error): MappingEntry {
  if (typeof item !== 'string') {
    throw fail(`is not an account id string, found ${item === null ? 'null' : typeof item}`);
  }
  if (item === '') {
    throw fail('is an empty account id');
  }
  refuseLoneSurrogate('account id', item, fail);
  return { identity: item, arn: item };
}

function readMapping(item: unknown, identityField: 'rolearn' | 'userarn', fail: (problem: string) => Error): MappingEntry {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw fail(`is not a mapping, found ${describe(item)}`);
  }
  const fields = item as { readonly [field: string]: unknown };
  const arn = fields[identityField];
  if (arn === undefined || arn === null) {
    throw fail(`has no \`${identityField}\``);
  }
  if (typeof arn !== 'string' || arn === '') {
    throw fail(`has a \`${identityField}\` that is not a non-empty string, found ${describe(arn)}`);
  }
  const username = fields.username;
  if (username !== undefined && username !== null && typeof username !== 'string') {
    throw fail(`(\`${arn}\`) has a \`username\` that is not a string, found ${describe(username)}`);
  }
  const groups = fields.groups;
  if (groups !== undefined && groups !== null
    && (!Array.isArray(groups) || groups.some((group: unknown) => typeof group !== 'string'))) {
    throw fail(`(\`${arn}\`) has \`groups\` that is not a list of strings, found ${describe(groups)}`);
  }
  for (const [field, value] of [[identityField, arn], ['username', username], ...((groups as string[] | undefined) ?? [])
    .map((group) => ['groups', group])] as const) {
    refuseLoneSurrogate(field, value, fail);
  }
  return {
    identity: goToLower(arn),
    arn,
    ...(typeof username === 'string' && username !== '' ? { username } : {}),
    ...(Array.isArray(groups) ? { groups: [...groups as string[]] } : {}),
  };
}

/**
 * A UTF-16 surrogate without its pair has no UTF-8 form: the only way to write it in YAML is a `\\u` escape, which
 * go-yaml refuses, so EKS would then read nothing from the whole key.
 */
function refuseLoneSurrogate(field: string, value: unknown, fail: (problem: string) => Error): void {
  if (typeof value === 'string' && /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value)) {
    throw fail(`has a \`${field}\` with a lone UTF-16 surrogate (${JSON.stringify(value)}), which cannot be written as UTF-8 `
      + 'and would make EKS read nothing from the key; fix the string');
  }
}

function describe(value: unknown): string {
  if (value === undefined || value === null) {
    return 'nothing';
  }
  if (Array.isArray(value)) {
    return `a list of ${value.length}`;
  }
  if (typeof value === 'object') {
    return 'a mapping';
  }
  const shown = String(value);
  return `the ${typeof value} ${JSON.stringify(shown.length > 60 ? `${shown.slice(0, 57)}...` : shown)}`;
}
