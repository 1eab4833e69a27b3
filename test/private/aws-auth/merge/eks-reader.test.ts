import { DecodedRole, DecodedUser } from '../../../../lib/private/aws-auth/merge/eks-decode';
import { arnLike, goToLower, KeyReading, readServed, ReadEntry, ServedMappings } from '../../../../lib/private/aws-auth/merge/eks-reader';
import { loadCorpus, OracleKeyVerdict, OracleRoleMapping, OracleUserMapping, OracleVerdict } from '../../../fixtures/aws-auth/oracle';

/**
 * Corpus files with a key past this library's documented limits (nesting past `MAX_NESTING`, a U+2028 inside a
 * multi-line plain scalar): the library refuses the key (it never guesses), whether EKS reads it or not. Every
 * other key of these files must still agree.
 */
const BEYOND_LIBRARY_LIMITS: { readonly [name: string]: 'mapRoles' } = {
  'json-deep-nesting-accepted': 'mapRoles',
  'json-deep-nesting-refused': 'mapRoles',
  'unicode-separator-continues-scalar': 'mapRoles',
};

function roleAsOracle(mapping: DecodedRole): OracleRoleMapping {
  return {
    ...(mapping.rolearn === '' ? {} : { rolearn: mapping.rolearn }),
    ...(mapping.sso === undefined ? {} : {
      sso: {
        permissionSetName: mapping.sso.permissionSetName,
        accountID: mapping.sso.accountID,
        ...(mapping.sso.partition === '' ? {} : { partition: mapping.sso.partition }),
      },
    }),
    username: mapping.username,
    groups: mapping.groups === null ? null : [...mapping.groups],
    ...(mapping.userid === '' ? {} : { userid: mapping.userid }),
  };
}

function userAsOracle(mapping: DecodedUser): OracleUserMapping {
  return {
    userarn: mapping.userarn,
    username: mapping.username,
    groups: mapping.groups === null ? null : [...mapping.groups],
    ...(mapping.userid === '' ? {} : { userid: mapping.userid }),
  };
}

function keyAsOracle<M, O>(reading: KeyReading<ReadEntry<M>>, convert: (mapping: M) => O) {
  return {
    present: reading.present,
    skipped: reading.skipped,
    form: reading.form,
    decodeErrorKind: reading.problem?.kind ?? null,
    entries: reading.entries.map((entry) => ({ valid: entry.valid, mapping: convert(entry.mapping) })),
  };
}

function oracleKey<O>(verdict: OracleKeyVerdict<{ valid: boolean; mapping: O }>) {
  return {
    present: verdict.present,
    skipped: verdict.skipped,
    form: verdict.form,
    decodeErrorKind: verdict.decodeError?.kind ?? null,
    entries: verdict.entries.map((entry) => ({ valid: entry.valid, mapping: entry.mapping })),
  };
}

function servedAsOracle(served: ServedMappings) {
  const roles = Object.fromEntries([...served.roles].map(([key, entry]) => [key, roleAsOracle(entry.mapping)]));
  const users = Object.fromEntries([...served.users].map(([key, entry]) => [key, userAsOracle(entry.mapping)]));
  const userKeys = [...served.users.keys()];
  const variants = new Map<string, string[]>();
  userKeys.forEach((key) => variants.set(goToLower(key), [...(variants.get(goToLower(key)) ?? []), key]));
  const roleKeys = [...served.roles.keys()];
  const overlaps: [string, string][] = [];
  for (const roleKey of roleKeys.filter((key) => served.roles.get(key)!.mapping.sso === undefined)) {
    for (const ssoKey of roleKeys.filter((key) => served.roles.get(key)!.mapping.sso !== undefined)) {
      if (arnLike(roleKey, ssoKey)) {
        overlaps.push([roleKey, ssoKey]);
      }
    }
  }
  return {
    roles,
    users,
    accounts: [...served.accounts].sort(),
    userCaseVariants: [...variants.values()].filter((list) => list.length > 1).map((list) => list.sort()),
    roleSsoOverlaps: overlaps.sort(),
  };
}

function oracleServed(verdict: OracleVerdict) {
  return {
    roles: verdict.roles,
    users: verdict.users,
    accounts: verdict.accounts,
    userCaseVariants: verdict.userCaseVariants,
    roleSsoOverlaps: verdict.roleSsoOverlaps,
  };
}

const absentKey = { present: false, skipped: false, decodeError: null, entries: [], errors: [], loaded: 0 };

describe('EKS reader model', () => {
  const corpus = loadCorpus();

  test.each(corpus.map((item) => [item.name, item] as const))('reads %s as the oracle does', (name, { data, verdict }) => {
    const limited = BEYOND_LIBRARY_LIMITS[name];
    const served = readServed(limited === undefined ? data : { ...data, [limited]: undefined });
    if (limited !== undefined) {
      expect(readServed(data)[limited].problem).toMatchObject({ kind: 'beyond-limits', fatal: true });
      verdict = { ...verdict, keys: { ...verdict.keys, mapRoles: { ...absentKey } }, roles: {}, roleSsoOverlaps: [] };
    }
    expect({
      mapRoles: keyAsOracle(served.mapRoles, roleAsOracle),
      mapUsers: keyAsOracle(served.mapUsers, userAsOracle),
      mapAccounts: {
        present: served.mapAccounts.present,
        skipped: served.mapAccounts.skipped,
        decodeErrorKind: served.mapAccounts.problem?.kind ?? null,
        entries: served.mapAccounts.entries,
      },
      ...servedAsOracle(served),
    }).toEqual({
      mapRoles: oracleKey(verdict.keys.mapRoles),
      mapUsers: oracleKey(verdict.keys.mapUsers),
      mapAccounts: {
        present: verdict.keys.mapAccounts.present,
        skipped: verdict.keys.mapAccounts.skipped,
        decodeErrorKind: verdict.keys.mapAccounts.decodeError?.kind ?? null,
        entries: verdict.keys.mapAccounts.entries,
      },
      ...oracleServed(verdict),
    });
  });
});
