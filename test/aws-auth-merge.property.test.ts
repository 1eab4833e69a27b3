import * as fc from 'fast-check';
import * as yaml from 'js-yaml';
import { AwsAuthMerge, AwsAuthMappings, AwsAuthState, RoleMapping, UserMapping } from '../lib/aws-auth-merge';
import { blockSequenceLayout } from '../lib/private/aws-auth/merge/block-sequence-items';
import { readServed, ServedMappings } from '../lib/private/aws-auth/merge/eks-reader';

// Fixed so CI explores the same cases every time; fast-check prints the seed and path of a failing case.
const RUN = { seed: 42, numRuns: 200 } as const;

const NODE_ROLE_ARN = 'arn:aws:iam::111122223333:role/Node-Instance-Role';
const ROLE_ARNS = [...Array.from({ length: 6 }, (_, index) => `arn:aws:iam::111122223333:role/Role-${index}`), NODE_ROLE_ARN];
const USER_ARNS = Array.from({ length: 4 }, (_, index) => `arn:aws:iam::111122223333:user/User-${index}`);
const ACCOUNTS = ['111122223333', '012345678901', '000000000042', '444455556666'];
const OWNERS = ['Stack-A/AwsAuth', 'Stack-B/AwsAuth', 'Stack-C/AwsAuth'];
const GROUPS = ['system:nodes', 'system:bootstrappers', 'view', 'edit'];
const NODE_MAPPING: Mapping = { username: 'system:node:{{EC2PrivateDNSName}}', groups: ['system:bootstrappers', 'system:nodes'] };
const KINDS: readonly Kind[] = ['mapRoles', 'mapUsers', 'mapAccounts'];

type Kind = 'mapRoles' | 'mapUsers' | 'mapAccounts';
type Style = 'eksctl' | 'terraform' | 'commented-crlf' | 'json' | 'flow';
const BLOCK_STYLES: readonly Style[] = ['eksctl', 'terraform', 'commented-crlf'];
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
  // A username pasted with a line separator: go-yaml keeps it inside a quoted scalar.
  username: fc.constantFrom(undefined, 'admin', 'system:node:{{SessionName}}', 'ops\u2028team'),
  groups: fc.option(fc.subarray(GROUPS), { nil: undefined }),
}, { requiredKeys: [] });

/** An ARN as written, or in another case: EKS takes a case variant for the same principal. */
function spelled(identities: string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...identities), fc.constantFrom('as-is', 'lower', 'upper'))
    .map(([arn, spelling]) => (spelling === 'lower' ? arn.toLowerCase() : spelling === 'upper' ? arn.replace(/[^/]+$/, (name) => name.toUpperCase()) : arn));
}

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
  style: fc.constantFrom<Style>('eksctl', 'terraform', 'commented-crlf', 'json', 'flow'),
  emptyAs: fc.constantFrom<Foreign['emptyAs']>('absent', 'empty', 'brackets'),
  foreignAnnotation: fc.boolean(),
});

function wantedEntries(identities: string[]) {
  return fc.uniqueArray(fc.record({
    identity: spelled(identities),
    mapping: fc.oneof(fc.constant<MappingChoice>('as-found'), mappingArbitrary),
  }), { selector: (entry) => entry.identity.toLowerCase(), maxLength: 4 });
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
  if (style === 'flow') {
    return `[${items.map((item) => JSON.stringify(item)).join(',\n ')}]\n`;
  }
  if (kind === 'mapAccounts') {
    // Bare numbers, leading zeros and all: go-yaml keeps their text in mapAccounts.
    return items.map((account) => style === 'terraform' ? `- ${JSON.stringify(account)}\n` : `- ${account}\n`).join('');
  }
  if (style === 'eksctl') {
    return yaml.dump(items, { noArrayIndent: true, lineWidth: -1 });
  }
  if (style === 'commented-crlf') {
    // A hand edit: comments, four-space indentation of the list and CRLF line ends.
    return `# managed by hand\r\n${yaml.dump(items, { lineWidth: -1, indent: 4 }).split('\n').filter((line) => line !== '')
      .map((line) => `  ${line}\r\n`).join('  # keep this comment\r\n')}`;
  }
  // Terraform's yamlencode: every key and string double-quoted.
  return items.map((item) => Object.entries(item as object).map(([key, value], index) => {
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

/** Every entry as EKS reads it (roles and users decoded, accounts as text), with how EKS identifies it. */
function readAll(served: ServedMappings, kind: Kind): Array<{ identity: string; read: string }> {
  if (kind === 'mapAccounts') {
    return served.mapAccounts.entries.map((account) => ({ identity: account, read: account }));
  }
  return (served[kind].entries as unknown as Array<{ identity?: string }>).map((entry) => ({ identity: entry.identity ?? '', read: JSON.stringify(entry) }));
}

/** The text of each item of a block sequence. */
function itemTexts(text: string | undefined): string[] {
  const layout = text === undefined ? undefined : blockSequenceLayout(text);
  return layout === undefined ? [] : layout.items.map((item) => text!.slice(item.start, item.end));
}

function sameMapping(left: Mapping, right: Mapping): boolean {
  return (left.username ?? '') === (right.username ?? '')
    && JSON.stringify([...new Set(left.groups ?? [])].sort()) === JSON.stringify([...new Set(right.groups ?? [])].sort());
}

function resolveDesired(step: ApplyStep, state: AwsAuthState): AwsAuthMappings {
  const parsed = AwsAuthMerge.parse(state);
  const resolve = (field: 'rolearn' | 'userarn', found: Array<RoleMapping | UserMapping>, wanted: ApplyStep['roles']) =>
    wanted.map(({ identity, mapping }) => {
      const match = found.find((entry) => ((entry as unknown as { [key: string]: string })[field]).toLowerCase() === identity.toLowerCase());
      const chosen = mapping === 'as-found' ? { username: match?.username, groups: match?.groups } : mapping;
      return { [field]: identity, ...chosen };
    });
  return {
    mapRoles: resolve('rolearn', parsed.mapRoles ?? [], step.roles) as unknown as RoleMapping[],
    mapUsers: resolve('userarn', parsed.mapUsers ?? [], step.users) as unknown as UserMapping[],
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

const YAML_FRAGMENTS = ['- ', 'rolearn: ', 'arn:aws:iam::1:role/a', '\n', '  ', '{', '}', '[', ']', ',', '&a ', '*a', '<<: ', '"', '\'', '#',
  '\t', '\u0085', '\u2028', '\u2029', '\\ud800', '\r', '? ', ': ', '!!str ', '---\n', 'yes'];

// `s`: a mapping in the message may hold a line separator.
const LEGITIMATE_REFUSAL = /maps to .* owner ".*" wants|Refusing to update aws-auth/s;

describe('AwsAuthMerge properties', () => {
  test('owners applying and removing in any order never change how EKS reads a foreign entry, nor its text in a block sequence', () => {
    const seen = { applied: 0, refused: 0, adopted: 0, removed: 0, caseVariants: 0 };
    fc.assert(fc.property(foreignArbitrary, fc.array(stepArbitrary, { minLength: 1, maxLength: 8 }), (foreign, steps) => {
      // GIVEN a ConfigMap of foreign entries in some writer's style
      const original = deepFreeze(foreignState(foreign));
      const originalServed = readServed(original.data);
      const foreignRead = Object.fromEntries(KINDS.map((kind) => [kind, readAll(originalServed, kind)]));
      const foreignIdentities = (kind: Kind) => new Set(foreignRead[kind].map((entry) => entry.identity));
      const originalItems = Object.fromEntries(KINDS.map((kind) => [kind, itemTexts(original.data[kind])]));
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
          seen.caseVariants += (desired.mapRoles ?? []).filter((role) => !ROLE_ARNS.includes(role.rolearn)).length;
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
          for (const kind of KINDS) {
            const identities = ((desired[kind] ?? []) as Array<RoleMapping | UserMapping | string>).map((entry) =>
              (typeof entry === 'string' ? entry : ('rolearn' in entry ? entry.rolearn : entry.userarn).toLowerCase()));
            if (identities.some((identity) => !foreignIdentities(kind).has(identity))) {
              everAdded.add(kind);
            }
          }
        }

        const served = readServed(state.data);
        for (const kind of KINDS) {
          // THEN EKS reads every foreign entry as before, once, in its original order
          const all = readAll(served, kind);
          expect(all.filter((entry) => foreignIdentities(kind).has(entry.identity))).toEqual(foreignRead[kind]);

          // THEN in a block sequence every foreign item keeps its exact text
          if (BLOCK_STYLES.includes(foreign.style) && originalItems[kind].length > 0) {
            const items = itemTexts(state.data[kind]);
            const foreignTexts = items.filter((_item, position) => foreignIdentities(kind).has(all[position]?.identity));
            expect(foreignTexts).toEqual(originalItems[kind]);
          }

          // THEN an owners' entry is there exactly while some owner wants it, with the mapping it wants
          const ownersOnly = all.filter((entry) => !foreignIdentities(kind).has(entry.identity));
          const wantedNow = [...wants.values()].flatMap((desired) => ((desired[kind] ?? []) as Array<RoleMapping | UserMapping | string>));
          const wantedIdentity = (entry: RoleMapping | UserMapping | string) =>
            (typeof entry === 'string' ? entry : ('rolearn' in entry ? entry.rolearn : entry.userarn).toLowerCase());
          expect(ownersOnly.map((entry) => entry.identity).sort()).toEqual(
            [...new Set(wantedNow.map(wantedIdentity).filter((identity) => !foreignIdentities(kind).has(identity)))].sort());
          if (kind !== 'mapAccounts') {
            for (const entry of wantedNow as Array<RoleMapping | UserMapping>) {
              type Read = { identity?: string; mapping: { username: string; groups: string[] | null } };
              const present = (served[kind].entries as unknown as Read[])
                .filter((candidate) => candidate.identity === wantedIdentity(entry)).pop()!;
              expect(sameMapping({ username: present.mapping.username, groups: present.mapping.groups ?? undefined }, entry)).toBe(true);
            }
          }
        }
      }

      // WHEN every owner leaves
      for (const owner of OWNERS) {
        state = deepFreeze(AwsAuthMerge.removeOwner(state, owner));
      }

      // THEN EKS reads the original entries, the annotations are the original ones, and untouched keys the original
      // strings; a block sequence is the original text again
      const finalServed = readServed(state.data);
      for (const kind of KINDS) {
        expect(readAll(finalServed, kind)).toEqual(foreignRead[kind]);
        if (!everAdded.has(kind) || (BLOCK_STYLES.includes(foreign.style) && originalItems[kind].length > 0)) {
          expect(state.data[kind]).toBe(original.data[kind]);
        }
      }
      expect(state.annotations).toEqual(original.annotations);
      expect(state.data['other-key']).toBe(original.data['other-key']);
    }), RUN);

    // THEN the generator exercised every path, so the properties are not vacuous
    expect(seen.applied).toBeGreaterThan(100);
    expect(seen.refused).toBeGreaterThan(10);
    expect(seen.adopted).toBeGreaterThan(10);
    expect(seen.removed).toBeGreaterThan(50);
    expect(seen.caseVariants).toBeGreaterThan(50);
  });

  test('any strings in usernames, groups and unknown fields survive a rewrite, as EKS reads them', () => {
    fc.assert(fc.property(
      fc.string({ unit: 'binary' }), fc.array(fc.string({ unit: 'binary' }), { maxLength: 3 }), fc.string({ unit: 'binary' }),
      fc.constantFrom<Style>('eksctl', 'json', 'flow'),
      (username, groups, note, style) => {
        // GIVEN a foreign role whose unknown field holds any string
        const foreignRole = { rolearn: 'arn:aws:iam::111122223333:role/foreign', note };
        const state: AwsAuthState = { data: { mapRoles: writeList(style, 'mapRoles', [foreignRole]) } };
        const wanted: RoleMapping = { rolearn: 'arn:aws:iam::111122223333:role/owned', username, groups };

        // WHEN an owner adds a role with any username and groups
        const applied = AwsAuthMerge.applyOwner(state, 'A', { mapRoles: [wanted] });

        // THEN EKS reads the foreign entry as before and the owner's as wanted
        expect(readServed(applied.data).mapRoles.entries[0]).toEqual(readServed(state.data).mapRoles.entries[0]);
        const owned = AwsAuthMerge.parse(applied).mapRoles![1];
        expect(owned).toEqual({ rolearn: wanted.rolearn, ...(username === '' ? {} : { username }), groups });
      }), RUN);
  });

  test('account ids written as bare numbers keep their text through an edit', () => {
    fc.assert(fc.property(
      fc.uniqueArray(fc.stringMatching(/^[0-9][0-9_.e]{11}$/), { minLength: 1, maxLength: 5 }), fc.constantFrom('- ', '-   '),
      (accounts, dash) => {
        // GIVEN accounts written unquoted, leading zeros and number-looking forms included
        const mapAccounts = accounts.map((account) => `${dash}${account}\n`).join('');
        const state: AwsAuthState = { data: { mapAccounts } };

        // WHEN an owner adds another account
        const applied = AwsAuthMerge.applyOwner(state, 'A', { mapAccounts: ['999999999999'] });

        // THEN every account reads back as the same text, and the foreign lines are untouched
        expect(AwsAuthMerge.parse(state).mapAccounts).toEqual(accounts);
        expect(AwsAuthMerge.parse(applied).mapAccounts).toEqual([...accounts, '999999999999']);
        expect(applied.data.mapAccounts.startsWith(mapAccounts)).toBe(true);
      }), RUN);
  });

  test('no input makes AwsAuthMerge throw anything but a plain error', () => {
    const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }),
      fc.constantFrom('[', '{', '- a: &x [*x]', '- !!binary ###', `${'['.repeat(5000)}${']'.repeat(5000)}`, '- <<: 1', '--- |\n x', '%YAML 2.0\n---\n- a'),
      fc.array(fc.constantFrom(...YAML_FRAGMENTS), { maxLength: 30 }).map((parts) => parts.join('')),
    );
    const anything = fc.anything({ maxDepth: 3 });
    const state = fc.oneof(
      fc.record({
        data: fc.dictionary(fc.constantFrom('mapRoles', 'mapUsers', 'mapAccounts', 'other'), fc.oneof(text, anything)),
        annotations: fc.option(fc.dictionary(fc.oneof(fc.constantFrom('cdk-eks-fargate.io/owner.aaaaaaaaaaaaaaaa', 'cdk-eks-fargate.io/pre-existing'), fc.string()),
          fc.oneof(fc.string(), anything)), { nil: undefined }),
      }),
      anything,
    );
    const role = fc.record({ rolearn: fc.oneof(fc.string(), anything), groups: anything });
    const desired = fc.oneof(anything, fc.record({ mapRoles: fc.oneof(anything, fc.array(role)) }));
    fc.assert(fc.property(state, fc.oneof(fc.string(), anything), desired, (current, ownerId, wanted) => {
      // GIVEN anything a JavaScript caller could pass WHEN merged THEN only plain errors come out
      for (const run of [
        () => AwsAuthMerge.applyOwner(current as AwsAuthState, ownerId as string, wanted as AwsAuthMappings),
        () => AwsAuthMerge.removeOwner(current as AwsAuthState, ownerId as string),
        () => AwsAuthMerge.parse(current as AwsAuthState),
      ]) {
        try {
          run();
        } catch (error) {
          expect(error).toBeInstanceOf(Error);
          expect([TypeError, RangeError].some((type) => error instanceof type)).toBe(false);
          expect((error as Error).message).not.toMatch(/cannot be read \(/);
        }
      }
    }), { seed: 42, numRuns: 500 });
  });
});
