import { AwsAuthMappings, AwsAuthMerge, AwsAuthState } from '../../../../lib/aws-auth-merge';
import { blockSequenceLayout } from '../../../../lib/private/aws-auth/merge/block-sequence-items';
import { readServed } from '../../../../lib/private/aws-auth/merge/eks-reader';
import { loadCorpus } from '../../../fixtures/aws-auth/oracle';

type Kind = 'mapRoles' | 'mapUsers' | 'mapAccounts';
const KINDS: readonly Kind[] = ['mapRoles', 'mapUsers', 'mapAccounts'];
const OWNED: { readonly [kind in Kind]: AwsAuthMappings } = {
  mapRoles: { mapRoles: [{ rolearn: 'arn:aws:iam::999988887777:role/cdk-owned', username: 'owned', groups: ['owned-group'] }] },
  mapUsers: { mapUsers: [{ userarn: 'arn:aws:iam::999988887777:user/cdk-owned', groups: ['owned-group'] }] },
  mapAccounts: { mapAccounts: ['999988887777'] },
};

function entriesRead(data: { readonly [key: string]: string }, kind: Kind): unknown[] {
  return [...readServed(data)[kind].entries];
}

function itemTexts(text: string): string[] | undefined {
  const layout = blockSequenceLayout(text);
  return layout?.items.map((item) => text.slice(item.start, item.end));
}

describe('AwsAuthMerge on the real-world corpus', () => {
  const cases = loadCorpus().flatMap(({ name, data }) => KINDS.filter((kind) => data[kind] !== undefined).map((kind) => [name, kind, data] as const));

  test.each(cases)('%s: an owner adds and removes an entry in %s, and EKS reads every other entry as before', (_name, kind, data) => {
    // GIVEN a ConfigMap as some writer left it
    const state: AwsAuthState = { data };
    const problem = readServed(data)[kind].problem;
    if (problem?.fatal === true) {
      // THEN a key EKS serves nothing from (or past the library's limits) is refused, naming it, and nothing changes
      expect(() => AwsAuthMerge.applyOwner(state, 'Stack:Owner', OWNED[kind])).toThrow(new RegExp(`aws-auth data key \`${kind}\` cannot be changed`));
      return;
    }

    // WHEN an owner adds its entry, then leaves
    const applied = AwsAuthMerge.applyOwner(state, 'Stack:Owner', OWNED[kind]);
    const removed = AwsAuthMerge.removeOwner(applied, 'Stack:Owner');

    // THEN EKS reads the foreign entries as before, followed by the owner's, and then exactly as before
    const before = entriesRead(data, kind);
    const after = entriesRead(applied.data, kind);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after).toHaveLength(before.length + 1);
    expect(entriesRead(removed.data, kind)).toEqual(before);
    for (const other of KINDS.filter((candidate) => candidate !== kind)) {
      expect(applied.data[other]).toBe(data[other]);
    }

    // THEN in a block sequence every foreign item keeps its exact text, and leaving restores the text
    const original = itemTexts(data[kind]);
    if (original !== undefined && original.length === before.length) {
      expect(itemTexts(applied.data[kind])!.slice(0, original.length)).toEqual(original);
      expect(removed.data[kind] ?? '').toBe(data[kind].trim() === '' ? '' : data[kind]);
    }
  });
});

describe('AwsAuthMerge and ARN case', () => {
  const nodeRole = '- rolearn: arn:aws:iam::111122223333:role/NodeRole\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n    - system:bootstrappers\n    - system:nodes\n';

  test('a case variant of a foreign role with other groups is refused, naming the ARN as EKS compares it', () => {
    // GIVEN the node role mapped to system:nodes WHEN an owner adds the same role in lower case as an admin THEN refused
    expect(() => AwsAuthMerge.applyOwner({ data: { mapRoles: nodeRole } }, 'A', {
      mapRoles: [{ rolearn: 'arn:aws:iam::111122223333:role/noderole', username: 'admin', groups: ['system:masters'] }],
    })).toThrow(/entry `arn:aws:iam::111122223333:role\/noderole` \(written `arn:aws:iam::111122223333:role\/NodeRole`; EKS compares ARNs ignoring case, so both are `arn:aws:iam::111122223333:role\/noderole`\) maps to .*system:nodes/);
  });

  test('a case variant of a foreign user with other groups is refused', () => {
    // GIVEN a user mapped to view WHEN an owner adds the same user in upper case as an admin THEN refused
    const mapUsers = '- userarn: arn:aws:iam::111122223333:user/Alice\n  groups: [view]\n';
    expect(() => AwsAuthMerge.applyOwner({ data: { mapUsers } }, 'A', {
      mapUsers: [{ userarn: 'arn:aws:iam::111122223333:user/ALICE', groups: ['system:masters'] }],
    })).toThrow(/`mapUsers` entry `arn:aws:iam::111122223333:user\/ALICE` \(written `arn:aws:iam::111122223333:user\/Alice`; EKS compares ARNs ignoring case/);
  });

  test('a case variant of another owner\'s role with other groups is refused, naming that owner', () => {
    // GIVEN owner A holds a role WHEN owner B maps its case variant differently THEN refused
    const state = AwsAuthMerge.applyOwner({ data: {} }, 'A', { mapRoles: [{ rolearn: 'arn:aws:iam::1:role/Team', groups: ['a'] }] });
    expect(() => AwsAuthMerge.applyOwner(state, 'B', { mapRoles: [{ rolearn: 'arn:aws:iam::1:role/TEAM', groups: ['b'] }] }))
      .toThrow(/held by owner "A"/);
  });

  test('a case variant of one\'s own entry is the same entry, changed in place', () => {
    // GIVEN owner A holds a role
    const state = AwsAuthMerge.applyOwner({ data: { mapRoles: nodeRole } }, 'A', { mapRoles: [{ rolearn: 'arn:aws:iam::1:role/Team', groups: ['a'] }] });

    // WHEN it asks for the same role in another case, with other groups
    const next = AwsAuthMerge.applyOwner(state, 'A', { mapRoles: [{ rolearn: 'arn:aws:iam::1:role/team', groups: ['b'] }] });

    // THEN there is one entry for it, with the new groups, and the node role's text is untouched
    expect(AwsAuthMerge.parse(next).mapRoles).toEqual([
      { rolearn: 'arn:aws:iam::111122223333:role/NodeRole', username: 'system:node:{{EC2PrivateDNSName}}', groups: ['system:bootstrappers', 'system:nodes'] },
      { rolearn: 'arn:aws:iam::1:role/team', groups: ['b'] },
    ]);
    expect(next.data.mapRoles.startsWith(nodeRole)).toBe(true);
  });

  test('a case variant of a foreign role with the same mapping is adopted, not added', () => {
    // GIVEN the node role WHEN an owner wants it in lower case with the same groups in another order
    const applied = AwsAuthMerge.applyOwner({ data: { mapRoles: nodeRole } }, 'A', {
      mapRoles: [{ rolearn: 'arn:aws:iam::111122223333:role/noderole', username: 'system:node:{{EC2PrivateDNSName}}', groups: ['system:nodes', 'system:bootstrappers'] }],
    });

    // THEN the data is untouched, and the entry stays when the owner leaves
    expect(applied.data.mapRoles).toBe(nodeRole);
    expect(AwsAuthMerge.removeOwner(applied, 'A').data.mapRoles).toBe(nodeRole);
  });

  test('a role covered by an sso entry with another mapping is refused', () => {
    // GIVEN an sso entry for a permission set
    const mapRoles = '- sso:\n    permissionSetName: Admin\n    accountID: "111122223333"\n  groups: [system:masters]\n';

    // WHEN an owner maps a role of that permission set THEN it is refused
    expect(() => AwsAuthMerge.applyOwner({ data: { mapRoles } }, 'A', {
      mapRoles: [{ rolearn: 'arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_0123abcd', groups: ['view'] }],
    })).toThrow(/`sso` entry whose pattern `arn:aws:iam::111122223333:role\/awsreservedsso_admin_\*` covers/);
  });
});
