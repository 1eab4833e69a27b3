import * as fc from 'fast-check';
import * as yaml from 'js-yaml';
import { AwsAuthMerge, AwsAuthMappings, AwsAuthState, RoleMapping, UserMapping } from '../lib/aws-auth-merge';
import { renderEntries } from '../lib/private/aws-auth/merge/render-yaml';
import { readSimpleBlockSequence } from '../lib/private/aws-auth/merge/simple-block-sequence';
import { AWS_AUTH_YAML_SCHEMA } from '../lib/private/aws-auth/merge/yaml-or-json';

// Fixed so CI explores the same cases every time; fast-check prints the seed and path of a failing case.
const RUN = { seed: 42, numRuns: 200 } as const;

const NODE_ROLE_ARN = 'arn:aws:iam::111122223333:role/node-instance-role';
const ROLE_ARNS = [...Array.from({ length: 6 }, (_, index) => `arn:aws:iam::111122223333:role/role-${index}`), NODE_ROLE_ARN];
const USER_ARNS = Array.from({ length: 4 }, (_, index) => `arn:aws:iam::111122223333:user/user-${index}`);
const ACCOUNTS = ['111122223333', '012345678901', '000000000042', '444455556666'];
const OWNERS = ['Stack-A/AwsAuth', 'Stack-B/AwsAuth', 'Stack-C/AwsAuth'];
const GROUPS = ['system:nodes', 'system:bootstrappers', 'view', 'edit'];
const NODE_MAPPING: Mapping = { username: 'system:node:{{EC2PrivateDNSName}}', groups: ['system:bootstrappers', 'system:nodes'] };

type Kind = 'mapRoles' | 'mapUsers' | 'mapAccounts';
type Style = 'eksctl' | 'terraform' | 'json';
interface Mapping { readonly username?: string; readonly groups?: string[] }
interface ForeignEntry { readonly identity: string; readonly mapping: Mapping; readonly note?: string }
interface Foreign {
  readonly roles: ForeignEntry[];
  readonly users: ForeignEntry[];
  readonly accounts: string[];
  readonly style: Style;
  readonly emptyAs: 'absent' | 'empty' | 'brackets';
  readonly foreignAnnotation: boolean;
}
type MappingChoice = Mapping | 'as-found';
interface ApplyStep {
  readonly type: 'apply';
  readonly owner: string;
  readonly roles: Array<{ readonly identity: string; readonly mapping: MappingChoice }>;
  readonly users: Array<{ readonly identity: string; readonly mapping: MappingChoice }>;
  readonly accounts: string[];
}
type Step = ApplyStep | { readonly type: 'remove'; readonly owner: string };

const mappingArbitrary: fc.Arbitrary<Mapping> = fc.record({
  username: fc.constantFrom(undefined, 'admin', 'system:node:{{SessionName}}'),
  groups: fc.option(fc.subarray(GROUPS), { nil: undefined }),
}, { requiredKeys: [] });

function foreignEntries(identities: string[]): fc.Arbitrary<ForeignEntry[]> {
  return fc.uniqueArray(fc.record({
    identity: fc.constantFrom(...identities),
    mapping: mappingArbitrary,
    note: fc.option(fc.string(), { nil: undefined }),
  }, { requiredKeys: ['identity', 'mapping'] }), { selector: (entry) => entry.identity, maxLength: 4 });
}

const foreignArbitrary: fc.Arbitrary<Foreign> = fc.record({
  roles: fc.tuple(fc.boolean(), foreignEntries(ROLE_ARNS.slice(0, -1))).map(([withNodeRole, roles]) =>
    withNodeRole ? [{ identity: NODE_ROLE_ARN, mapping: NODE_MAPPING }, ...roles] : roles),
  users: foreignEntries(USER_ARNS),
  accounts: fc.uniqueArray(fc.constantFrom(...ACCOUNTS), { maxLength: 2 }),
  style: fc.constantFrom<Style>('eksctl', 'terraform', 'json'),
  emptyAs: fc.constantFrom<Foreign['emptyAs']>('absent', 'empty', 'brackets'),
  foreignAnnotation: fc.boolean(),
});

function wantedEntries(identities: string[]) {
  return fc.uniqueArray(fc.record({
    identity: fc.constantFrom(...identities),
    mapping: fc.oneof(fc.constant<MappingChoice>('as-found'), mappingArbitrary),
  }), { selector: (entry) => entry.identity, maxLength: 4 });
}

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant<'apply'>('apply'),
      owner: fc.constantFrom(...OWNERS),
      roles: wantedEntries(ROLE_ARNS),
      users: wantedEntries(USER_ARNS),
      accounts: fc.subarray(ACCOUNTS, { maxLength: 2 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant<'remove'>('remove'), owner: fc.constantFrom(...OWNERS) }) },
);

/** The raw foreign entry as a writer would put it in aws-auth (field order as eksctl writes it). */
function rawEntry(kind: Kind, entry: ForeignEntry): { [field: string]: unknown } {
  return {
    ...(entry.mapping.groups === undefined ? {} : { groups: entry.mapping.groups }),
    [kind === 'mapRoles' ? 'rolearn' : 'userarn']: entry.identity,
    ...(entry.mapping.username === undefined ? {} : { username: entry.mapping.username }),
    ...(entry.note === undefined ? {} : { note: entry.note }),
  };
}

function writeList(style: Style, kind: Kind, items: unknown[]): string {
  if (style === 'json') {
    return JSON.stringify(items);
  }
  if (kind === 'mapAccounts') {
    // Bare numbers, leading zeros and all: the case js-yaml would otherwise read as 12345678901.
    return items.map((account) => style === 'eksctl' ? `- ${account}\n` : `- ${JSON.stringify(account)}\n`).join('');
  }
  if (style === 'eksctl') {
    return yaml.dump(items, { noArrayIndent: true, lineWidth: -1 });
  }
  // Terraform's yamlencode: every key and string double-quoted.
  return items.map((item) => typeof item !== 'object' ? `- ${JSON.stringify(item)}\n` : Object.entries(item as object).map(([key, value], index) => {
    const prefix = index === 0 ? '- ' : '  ';
    return Array.isArray(value) && value.length > 0
      ? `${prefix}${JSON.stringify(key)}:\n${value.map((group) => `  - ${JSON.stringify(group)}\n`).join('')}`
      : `${prefix}${JSON.stringify(key)}: ${JSON.stringify(value)}\n`;
  }).join('')).join('');
}

function foreignState(foreign: Foreign): AwsAuthState {
  const data: { [key: string]: string } = { 'other-key': 'left alone' };
  const lists: Array<[Kind, unknown[]]> = [
    ['mapRoles', foreign.roles.map((entry) => rawEntry('mapRoles', entry))],
    ['mapUsers', foreign.users.map((entry) => rawEntry('mapUsers', entry))],
    ['mapAccounts', foreign.accounts],
  ];
  for (const [kind, items] of lists) {
    if (items.length > 0) {
      data[kind] = writeList(foreign.style, kind, items);
    } else if (foreign.emptyAs !== 'absent') {
      data[kind] = foreign.emptyAs === 'empty' ? '' : '[]';
    }
  }
  return foreign.foreignAnnotation ? { data, annotations: { 'example.com/team': 'platform' } } : { data };
}

/** Loads a list for comparing raw entries field by field; accounts as text, so leading zeros stay. */
function loadRaw(kind: Kind, text: string | undefined): Array<{ [field: string]: unknown }> {
  const schema = kind === 'mapAccounts' ? yaml.FAILSAFE_SCHEMA : yaml.CORE_SCHEMA;
  return (text === undefined ? undefined : yaml.load(text, { schema })) as Array<{ [field: string]: unknown }> ?? [];
}

function identityOf(kind: Kind, entry: unknown): string {
  return kind === 'mapAccounts' ? String(entry) : String((entry as { [field: string]: unknown })[kind === 'mapRoles' ? 'rolearn' : 'userarn']);
}

function parsedEntries(state: AwsAuthState, kind: Kind): Array<RoleMapping | UserMapping | string> {
  return AwsAuthMerge.parse(state)[kind] ?? [];
}

function sameMapping(left: Mapping, right: Mapping): boolean {
  return (left.username ?? '') === (right.username ?? '')
    && JSON.stringify([...new Set(left.groups ?? [])].sort()) === JSON.stringify([...new Set(right.groups ?? [])].sort());
}

function resolveDesired(step: ApplyStep, state: AwsAuthState): AwsAuthMappings {
  const resolve = (kind: Kind, field: 'rolearn' | 'userarn', wanted: ApplyStep['roles']) => wanted.map(({ identity, mapping }) => {
    const found = parsedEntries(state, kind).find((entry) => identityOf(kind, entry) === identity) as Mapping | undefined;
    const chosen = mapping === 'as-found' ? { username: found?.username, groups: found?.groups } : mapping;
    return { [field]: identity, ...chosen };
  });
  return {
    mapRoles: resolve('mapRoles', 'rolearn', step.roles) as unknown as RoleMapping[],
    mapUsers: resolve('mapUsers', 'userarn', step.users) as unknown as UserMapping[],
    mapAccounts: step.accounts,
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

const LEGITIMATE_REFUSAL = /maps to .* owner ".*" wants|Refusing to update aws-auth/;

describe('AwsAuthMerge properties', () => {
  test('owners applying and removing in any order never lose or change a foreign entry, and leave no trace', () => {
    const seen = { applied: 0, refused: 0, adopted: 0, removed: 0 };
    fc.assert(fc.property(foreignArbitrary, fc.array(stepArbitrary, { minLength: 1, maxLength: 8 }), (foreign, steps) => {
      // GIVEN a ConfigMap of foreign entries in some writer's style
      const original = deepFreeze(foreignState(foreign));
      const originalRaw = {
        mapRoles: loadRaw('mapRoles', original.data.mapRoles),
        mapUsers: loadRaw('mapUsers', original.data.mapUsers),
        mapAccounts: loadRaw('mapAccounts', original.data.mapAccounts),
      };
      const originalParsed = AwsAuthMerge.parse(original);
      const foreignIdentities = (kind: Kind) => originalRaw[kind].map((entry) => identityOf(kind, entry));
      const wants = new Map<string, AwsAuthMappings>();
      const everAdded = new Set<Kind>();
      let state = original;

      // WHEN owners apply and remove
      for (const step of steps) {
        const before = JSON.stringify(state);
        if (step.type === 'remove') {
          state = deepFreeze(AwsAuthMerge.removeOwner(state, step.owner));
          wants.delete(step.owner);
          seen.removed++;
        } else {
          const desired = deepFreeze(resolveDesired(step, state));
          let next: AwsAuthState;
          try {
            next = AwsAuthMerge.applyOwner(state, step.owner, desired);
          } catch (error) {
            // THEN a refusal is a conflict or the node guard, and leaves the input as it was
            expect((error as Error).message).toMatch(LEGITIMATE_REFUSAL);
            expect(JSON.stringify(state)).toBe(before);
            seen.refused++;
            continue;
          }
          // THEN applying again changes nothing, byte for byte
          expect(JSON.stringify(AwsAuthMerge.applyOwner(deepFreeze(next), step.owner, desired))).toBe(JSON.stringify(next));
          expect(JSON.stringify(state)).toBe(before);
          seen.applied++;
          seen.adopted += next.annotations?.['cdk-eks-fargate.io/pre-existing'] === undefined ? 0 : 1;
          state = next;
          wants.set(step.owner, desired);
          for (const kind of ['mapRoles', 'mapUsers', 'mapAccounts'] as Kind[]) {
            if ((desired[kind] ?? []).some((entry) => !foreignIdentities(kind).includes(identityOf(kind, entry)))) {
              everAdded.add(kind);
            }
          }
        }

        // THEN every foreign entry is there once, unchanged in every field, in its original order
        for (const kind of ['mapRoles', 'mapUsers', 'mapAccounts'] as Kind[]) {
          const raw = loadRaw(kind, state.data[kind]);
          const foreignNow = raw.filter((entry) => foreignIdentities(kind).includes(identityOf(kind, entry)));
          expect(foreignNow).toEqual(originalRaw[kind]);

          // THEN an owners' entry is there exactly while some owner wants it, with the mapping it wants
          const parsed = parsedEntries(state, kind);
          for (const identity of new Set(parsed.map((entry) => identityOf(kind, entry)))) {
            expect(parsed.filter((entry) => identityOf(kind, entry) === identity)).toHaveLength(1);
          }
          const wantedNow = [...wants.values()].flatMap((desired) => (desired[kind] ?? []) as unknown[]);
          const ownersOnly = parsed.filter((entry) => !foreignIdentities(kind).includes(identityOf(kind, entry)));
          expect(new Set(ownersOnly.map((entry) => identityOf(kind, entry))))
            .toEqual(new Set(wantedNow.map((entry) => identityOf(kind, entry)).filter((identity) => !foreignIdentities(kind).includes(identity))));
          if (kind !== 'mapAccounts') {
            for (const entry of wantedNow as Mapping[]) {
              const present = parsed.find((candidate) => identityOf(kind, candidate) === identityOf(kind, entry)) as Mapping;
              expect(sameMapping(present, entry)).toBe(true);
            }
          }
        }
      }

      // WHEN every owner leaves
      for (const owner of OWNERS) {
        state = deepFreeze(AwsAuthMerge.removeOwner(state, owner));
      }

      // THEN the entries and annotations are the original ones, and untouched keys the original strings
      expect(AwsAuthMerge.parse(state)).toEqual(originalParsed);
      expect(state.annotations).toEqual(original.annotations);
      expect(state.data['other-key']).toBe(original.data['other-key']);
      for (const kind of ['mapRoles', 'mapUsers', 'mapAccounts'] as Kind[]) {
        if (!everAdded.has(kind)) {
          expect(state.data[kind]).toBe(original.data[kind]);
        }
      }
    }), RUN);

    // THEN the generator exercised every path, so the properties are not vacuous
    expect(seen.applied).toBeGreaterThan(100);
    expect(seen.refused).toBeGreaterThan(10);
    expect(seen.adopted).toBeGreaterThan(10);
    expect(seen.removed).toBeGreaterThan(50);
  });

  test('any strings in usernames, groups and unknown fields survive a rewrite', () => {
    fc.assert(fc.property(
      fc.string({ unit: 'binary' }), fc.array(fc.string({ unit: 'binary' }), { maxLength: 3 }), fc.string({ unit: 'binary' }),
      fc.constantFrom<Style>('eksctl', 'json'),
      (username, groups, note, style) => {
        // GIVEN a foreign role whose unknown field holds any string
        const foreignRole = { rolearn: 'arn:aws:iam::111122223333:role/foreign', note };
        const state: AwsAuthState = { data: { mapRoles: writeList(style, 'mapRoles', [foreignRole]) } };
        const wanted: RoleMapping = { rolearn: 'arn:aws:iam::111122223333:role/owned', username, groups };

        // WHEN an owner adds a role with any username and groups
        const applied = AwsAuthMerge.applyOwner(state, 'A', { mapRoles: [wanted] });

        // THEN both read back exactly
        expect(loadRaw('mapRoles', applied.data.mapRoles)[0]).toEqual(foreignRole);
        const owned = AwsAuthMerge.parse(applied).mapRoles![1];
        expect(owned).toEqual({ rolearn: wanted.rolearn, ...(username === '' ? {} : { username }), groups });
      }), RUN);
  });

  test('account ids written as bare numbers keep their digits through a rewrite', () => {
    fc.assert(fc.property(
      fc.uniqueArray(fc.stringMatching(/^[0-8][0-9]{11}$/), { minLength: 1, maxLength: 5 }),
      (accounts) => {
        // GIVEN accounts written unquoted, leading zeros included
        const state: AwsAuthState = { data: { mapAccounts: accounts.map((account) => `- ${account}\n`).join('') } };

        // WHEN an owner adds another account (so the list is rewritten)
        const applied = AwsAuthMerge.applyOwner(state, 'A', { mapAccounts: ['999999999999'] });

        // THEN every account reads back with its digits
        expect(AwsAuthMerge.parse(state).mapAccounts).toEqual(accounts);
        expect(AwsAuthMerge.parse(applied).mapAccounts).toEqual([...accounts, '999999999999']);
      }), RUN);
  });
});

describe('the fast reader of simple aws-auth lists', () => {
  // Whatever it accepts, it must read exactly as js-yaml with the same schema does; everything else is js-yaml's.
  function expectSameAsJsYaml(text: string): boolean {
    const simple = readSimpleBlockSequence(text);
    if (simple === undefined) {
      return false;
    }
    expect(simple).toStrictEqual(yaml.load(text, { schema: AWS_AUTH_YAML_SCHEMA }));
    return true;
  }

  const scalarArbitrary = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('arn:aws:iam::111122223333:role/a', 'system:node:{{SessionName}}', 'system:masters', '012345678901', 'yes', 'null', '') },
    { weight: 3, arbitrary: fc.stringMatching(/^[a-z$/_][a-z0-9:/{}.,=@-]{0,10}$/) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 12 }) },
    { weight: 1, arbitrary: fc.stringMatching(/^[0-9][0-9_.eExo+-]{0,6}$/) },
  );
  const entryArbitrary = fc.oneof(
    { weight: 1, arbitrary: scalarArbitrary },
    {
      weight: 3,
      arbitrary: fc.dictionary(
        fc.constantFrom('rolearn', 'userarn', 'username', 'groups', 'note', 'y', 'Key_1'),
        fc.oneof(scalarArbitrary, fc.array(scalarArbitrary, { maxLength: 3 })),
        { minKeys: 1, maxKeys: 4 },
      ),
    },
  );

  test('lists written by any aws-auth writer read the same as with js-yaml', () => {
    let accepted = 0;
    fc.assert(fc.property(fc.array(entryArbitrary, { minLength: 1, maxLength: 5 }), fc.constantFrom('merge', 'js-yaml', 'eksctl', 'terraform'), (entries, writer) => {
      // GIVEN a list written the way one writer writes it
      const text = writer === 'merge' ? renderEntries(entries)
        : writer === 'terraform' ? writeList('terraform', 'mapRoles', entries)
          : yaml.dump(entries, { noArrayIndent: writer === 'eksctl', lineWidth: -1 });

      // WHEN the fast reader takes it THEN it reads what js-yaml reads
      accepted += expectSameAsJsYaml(text) ? 1 : 0;
    }), RUN);
    expect(accepted).toBeGreaterThan(RUN.numRuns / 5);
  });

  test('text assembled from YAML fragments is read as js-yaml reads it, or left to js-yaml', () => {
    const fragments = ['- ', '  ', '    ', 'rolearn', 'groups', '"rolearn"', 'y', '__proto__', ':', ': ', 'arn:aws:iam::1:role/a',
      'system:node:{{SessionName}}', '012345678901', '0x1F', '1e3', '.inf', '-', '"a # b"', "'single'", "'it''s'", '[]', '[a]', '{}',
      'null', '~', 'true', ' #c', '&a ', '*a', '|', '\t', '\r', 'a b', 'foo:', '"\\n"', '"é"', '---'];
    // Mostly pieces the fast reader accepts, so that it accepts many whole texts; the rest must send it to js-yaml.
    const usual = (common: string[], unusual: string[]) =>
      fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...common) }, { weight: 1, arbitrary: fc.constantFrom(...unusual) });
    const value = usual(['arn:aws:iam::1:role/a', 'system:node:{{SessionName}}', '012345678901', '0x1F', '1e3', '.inf', '"a # b"', "'single'", '[]', 'a:b', '"é"'],
      ["'it''s'", '[a]', '{}', 'null', '~', 'true', 'Yes', 'a #c', '&a x', '*a', '|', 'a b', 'foo:', '"\\n"', '-', '- x', '']);
    const key = usual(['rolearn', 'groups', '"rolearn"', '"groups"'], ['y', '__proto__', 'a b', '1', 'rolearn ']);
    const randomLine = fc.array(fc.constantFrom(...fragments), { maxLength: 5 }).map((parts) => parts.join(''));
    const shapedLine = fc.oneof(
      fc.tuple(usual(['- ', '  '], ['   ', ' ']), key, usual([':', ': '], [':  ']), value).map((parts) => parts.join('')),
      fc.tuple(usual(['- ', '  - ', '    - '], [' - ', '      - ', '-  ']), value).map((parts) => parts.join('')),
    );
    const lineArbitrary = fc.oneof({ weight: 1, arbitrary: randomLine }, { weight: 12, arbitrary: shapedLine });
    let accepted = 0;
    fc.assert(fc.property(fc.array(lineArbitrary, { minLength: 1, maxLength: 6 }), fc.boolean(), (lines, newline) => {
      // GIVEN any text that starts like a list
      const text = `${lines.join('\n')}${newline ? '\n' : ''}`;

      // WHEN the fast reader takes it THEN js-yaml agrees
      accepted += expectSameAsJsYaml(text) ? 1 : 0;
    }), { seed: 42, numRuns: 5000 });
    expect(accepted).toBeGreaterThan(100);
  });
});
