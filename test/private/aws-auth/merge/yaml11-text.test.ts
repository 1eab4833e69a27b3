import * as fc from 'fast-check';
import { AwsAuthMerge } from '../../../../lib/aws-auth-merge';
import { readServed } from '../../../../lib/private/aws-auth/merge/eks-reader';

const NODE_ROLE = '- rolearn: arn:aws:iam::111122223333:role/eks-node\n  username: system:node:{{EC2PrivateDNSName}}\n'
  + '  groups: [system:bootstrappers, system:nodes]\n';
const OWNED = { mapRoles: [{ rolearn: 'arn:aws:iam::999988887777:role/owned', groups: ['owned'] }] };

describe('U+2028, U+2029 and U+0085 as go-yaml v2 reads them', () => {
  test('a separator that ends a foreign field is read as a line break, before and after the key is rewritten', () => {
    // GIVEN a foreign entry whose fields are separated by U+2028 and U+2029 (pasted text)
    const mapRoles = `${NODE_ROLE}- rolearn: arn:aws:iam::111122223333:role/pasted\u2028  username: pasted\u2029  groups: [a\u2028b]\n`;
    const before = readServed({ mapRoles }).mapRoles.entries;
    expect(before[1].mapping).toMatchObject({ rolearn: 'arn:aws:iam::111122223333:role/pasted', username: 'pasted', groups: ['a\u2028b'] });

    // WHEN an owner adds its entry THEN EKS reads the foreign entries exactly as before
    const applied = AwsAuthMerge.applyOwner({ data: { mapRoles } }, 'Stack:Owner', OWNED);
    expect(readServed(applied.data).mapRoles.entries.slice(0, 2)).toEqual(before);
    // AND the line structure no longer depends on the reader: the separators are written as escapes
    expect(applied.data.mapRoles).toContain('"a\\u2028b"');
    expect(applied.data.mapRoles).not.toMatch(/[\u2028\u2029\u0085]/);
  });

  test('a separator that starts a foreign item is read as a line break, and the key is rewritten with escapes', () => {
    // GIVEN a comment ended by U+2028, so that the next entry starts on the same line for a YAML 1.2 reader
    const mapRoles = `${NODE_ROLE}# pasted note\u2028- rolearn: arn:aws:iam::111122223333:role/after-note\n  username: after-note\n`;
    const before = readServed({ mapRoles }).mapRoles.entries;
    expect(before).toHaveLength(2);

    // WHEN an owner adds its entry THEN EKS reads the foreign entries as before, and no raw separator is written
    const applied = AwsAuthMerge.applyOwner({ data: { mapRoles } }, 'Stack:Owner', OWNED);
    expect(readServed(applied.data).mapRoles.entries.slice(0, 2)).toEqual(before);
    expect(applied.data.mapRoles).not.toMatch(/[\u2028\u2029\u0085]/);
  });

  test('separators only inside scalars leave the block sequence in place, byte for byte', () => {
    // GIVEN a foreign user whose username and groups hold U+2028
    const mapUsers = '- userarn: arn:aws:iam::111122223333:user/quoted\n  username: "x \u2028  y"\n  groups: [a\u2028b]\n';

    // WHEN an owner adds a user
    const applied = AwsAuthMerge.applyOwner({ data: { mapUsers } }, 'Stack:Owner', { mapUsers: [{ userarn: 'arn:aws:iam::999988887777:user/owned' }] });

    // THEN the foreign text is kept and still reads as go-yaml reads it (blanks around the separator dropped)
    expect(applied.data.mapUsers.startsWith(mapUsers)).toBe(true);
    expect(readServed(applied.data).mapUsers.entries[0].mapping).toMatchObject({ username: 'x\u2028y', groups: ['a\u2028b'] });
  });

  test('a separator inside a multi-line plain scalar is refused, naming the key, and nothing is written', () => {
    // GIVEN a username continued over a U+2028 (go-yaml keeps the separator; a newline would fold to a space)
    const mapRoles = `${NODE_ROLE}- rolearn: arn:aws:iam::111122223333:role/continued\n  username: first\u2028    second\n`;

    // WHEN an owner adds an entry THEN it is refused as beyond what the library reads
    expect(() => AwsAuthMerge.applyOwner({ data: { mapRoles } }, 'Stack:Owner', OWNED))
      .toThrow(/aws-auth data key `mapRoles` cannot be changed: it goes past what this library reads: a scalar \(line 5\) continues over a line or paragraph separator/);
  });

  test('an owner\'s own username with separators and NEL is written escaped and read back as given', () => {
    // GIVEN a desired username holding U+2028, U+2029 and U+0085
    const username = 'ops\u2028team\u2029x\u0085y';

    // WHEN it is applied THEN the text has no raw separator and the model reads the same username back
    const applied = AwsAuthMerge.applyOwner({ data: { mapRoles: NODE_ROLE } }, 'Stack:Owner', { mapRoles: [{ ...OWNED.mapRoles[0], username }] });
    expect(applied.data.mapRoles).toContain('"ops\\u2028team\\u2029x\\u0085y"');
    expect(AwsAuthMerge.parse(applied).mapRoles![1]).toEqual({ rolearn: 'arn:aws:iam::999988887777:role/owned', username, groups: ['owned'] });
  });

  test('a lone UTF-16 surrogate in a desired username is refused (go-yaml refuses its only escape)', () => {
    // GIVEN a username with an unpaired surrogate WHEN applied THEN refused, naming the entry and field
    expect(() => AwsAuthMerge.applyOwner({ data: {} }, 'Stack:Owner', { mapRoles: [{ ...OWNED.mapRoles[0], username: 'bad\ud800' }] }))
      .toThrow(/desired `mapRoles` entry 1 has a `username` with a lone UTF-16 surrogate/);
  });

  test('a foreign \\ud800 escape makes the key serve nothing, as go-yaml refuses it', () => {
    // GIVEN a foreign user with an escaped surrogate WHEN parsed THEN the key is named as not read by EKS
    const mapUsers = '- userarn: arn:aws:iam::111122223333:user/bob\n  username: "bob\\ud800"\n';
    expect(() => AwsAuthMerge.parse({ data: { mapUsers } }))
      .toThrow(/aws-auth data key `mapUsers` is not read by EKS at all: a double-quoted scalar \(line 2\) escapes a surrogate/);
  });
});

/**
 * go-yaml v2's folding inside a double-quoted scalar without escapes or line feeds, written from
 * `yaml_parser_scan_flow_scalar` and `read_line` (gopkg.in/yaml.v2 v2.4.0), independently of the model: each run of
 * blanks and breaks between characters is kept as is when it has no break; otherwise its blanks are dropped, a
 * first NEL (read as a line feed) folds to a space unless more breaks follow (then those are kept), and a first
 * U+2028/U+2029 is kept with the breaks after it.
 */
function goYamlDoubleQuoted(content: string): string {
  const blank = (character: string) => character === ' ' || character === '\t';
  const lineBreak = (character: string) => character === '\u0085' || character === '\u2028' || character === '\u2029';
  let result = '';
  let position = 0;
  while (position < content.length) {
    while (position < content.length && !blank(content[position]) && !lineBreak(content[position])) {
      result += content[position++];
    }
    let whitespace = '';
    let leading: string | undefined;
    let trailing = '';
    while (position < content.length && (blank(content[position]) || lineBreak(content[position]))) {
      const character = content[position++];
      if (blank(character)) {
        whitespace += leading === undefined ? character : '';
      } else if (leading === undefined) {
        leading = character === '\u0085' ? '\n' : character;
      } else {
        trailing += character === '\u0085' ? '\n' : character;
      }
    }
    if (leading === undefined) {
      result += whitespace;
    } else {
      result += leading === '\n' ? (trailing === '' ? ' ' : trailing) : leading + trailing;
    }
  }
  return result;
}

describe('line breaks inside a quoted scalar, against go-yaml\'s folding rule', () => {
  test('the model reads what go-yaml reads, or refuses where one break follows another, and an apply keeps it', () => {
    const pieces = fc.array(fc.constantFrom('a', 'b', ' ', '\t', '\u2028', '\u2029', '\u0085'), { maxLength: 12 }).map((parts) => parts.join(''));
    fc.assert(fc.property(pieces, fc.constantFrom('block', 'flow'), (content, form) => {
      // GIVEN a foreign username written as Terraform's yamlencode or a flow list writes it, separators unescaped
      const mapRoles = form === 'block'
        ? `- "rolearn": "arn:aws:iam::111122223333:role/foreign"\n  "username": "${content}"\n`
        : `[{"rolearn": "arn:aws:iam::111122223333:role/foreign", "username": "${content}"}]`;
      const reading = readServed({ mapRoles }).mapRoles;

      // THEN either the model refuses a run holding two breaks (beyond what it reads)...
      if (reading.problem !== undefined) {
        expect(reading.problem.kind).toBe('beyond-limits');
        expect(content).toMatch(/[\u0085\u2028\u2029][ \t]*[\u0085\u2028\u2029]/);
        return;
      }
      // ...or it reads the username as go-yaml folds it
      expect(reading.entries[0].mapping.username).toBe(goYamlDoubleQuoted(content));
      // AND after an owner's apply EKS reads the foreign entry the same
      const applied = AwsAuthMerge.applyOwner({ data: { mapRoles } }, 'Stack:Owner', OWNED);
      expect(readServed(applied.data).mapRoles.entries[0]).toEqual(reading.entries[0]);
    }), { seed: 42, numRuns: 300 });
  });
});

describe('mapping keys that are lists or mappings', () => {
  test.each([
    ['an explicit list key', '- ? [rolearn]\n  : arn:aws:iam::111122223333:role/complex\n', /the mapping key `\[rolearn\]` \(line 4\) is a list/],
    ['a flow mapping key', '- rolearn: arn:aws:iam::111122223333:role/a\n  {team: a}: x\n', /the mapping key `\{team: a\}` \(line 5\) is a mapping/],
    ['an alias of a list as a key', '- rolearn: arn:aws:iam::111122223333:role/a\n  username: &list [x]\n  *list : y\n', /the mapping key `\*list` \(line 6\) is a list/],
    ['a block list as an explicit key', '- rolearn: arn:aws:iam::111122223333:role/a\n  ? - a\n    - b\n  : y\n', /the mapping key `- a - b` \(line 5\) is a list/],
  ])('%s: the key serves nothing, the merge refuses to rewrite it naming the key, and no TypeError escapes', (_case, entry, named) => {
    // GIVEN a foreign entry with a complex key after the node role
    const state = { data: { mapRoles: `${NODE_ROLE}${entry}` } };

    // THEN EKS is modelled as reading nothing from mapRoles
    expect(readServed(state.data).mapRoles.problem).toMatchObject({ kind: 'yaml', fatal: true });
    // AND parse and applyOwner refuse with the data key and the complex key named
    expect(() => AwsAuthMerge.parse(state)).toThrow(named);
    let error: unknown;
    try {
      AwsAuthMerge.applyOwner(state, 'Stack:Owner', OWNED);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/^aws-auth data key `mapRoles` cannot be changed: EKS already serves nothing from it \(the mapping key/);
    expect((error as Error).message).toMatch(named);
  });

  test('a key that only looks complex (`?` and `*` inside scalars) is read as usual', () => {
    // GIVEN scalars holding `?`, `*` and `]:`-like text WHEN read THEN the entry is served
    const mapRoles = '- rolearn: arn:aws:iam::111122223333:role/a?b\n  username: "x]: y"\n  groups: [a*]\n';
    expect(readServed({ mapRoles }).mapRoles.entries[0]).toMatchObject({ valid: true, mapping: { username: 'x]: y', groups: ['a*'] } });
  });

  test('a complex key in another data key does not stop an owner editing mapRoles', () => {
    // GIVEN mapUsers with a complex key WHEN an owner adds a role THEN mapRoles changes and mapUsers stays byte for byte
    const mapUsers = '- userarn: arn:aws:iam::111122223333:user/alice\n  {team: a}: x\n';
    const applied = AwsAuthMerge.applyOwner({ data: { mapRoles: NODE_ROLE, mapUsers } }, 'Stack:Owner', OWNED);
    expect(applied.data.mapUsers).toBe(mapUsers);
    expect(applied.data.mapRoles).toContain('role/owned');
  });
});
