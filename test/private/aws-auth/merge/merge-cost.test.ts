import { AwsAuthMerge } from '../../../../lib/aws-auth-merge';
import * as reader from '../../../../lib/private/aws-auth/merge/eks-reader';
import * as goYaml from '../../../../lib/private/aws-auth/merge/go-yaml-load';
import { replaceOwner } from '../../../../lib/private/aws-auth/merge/merge-state';

// Work counted, not timed: how often a text is read and how many ARN matches run, so the test is the same on any
// machine. `npm run bench` has the times.

function nodeRoles(count: number): string {
  let text = '';
  for (let index = 0; index < count; index++) {
    text += `- rolearn: arn:aws:iam::111122223333:role/pod-execution-${index}\n  username: system:node:{{SessionName}}\n`
      + '  groups:\n    - system:bootstrappers\n    - system:nodes\n';
  }
  return text;
}

function ownRoles(count: number, group = 'readers') {
  return { mapRoles: Array.from({ length: count }, (_, index) => ({ rolearn: `arn:aws:iam::111122223333:role/own-${index}`, groups: [group] })) };
}

function readsPerText(run: () => void): Map<string, number> {
  const load = jest.spyOn(goYaml, 'loadGoYaml');
  try {
    run();
    const counts = new Map<string, number>();
    load.mock.calls.forEach(([text]) => counts.set(text, (counts.get(text) ?? 0) + 1));
    return counts;
  } finally {
    load.mockRestore();
  }
}

describe('AwsAuthMerge reads each text once', () => {
  const state = { data: { mapRoles: nodeRoles(50) } };

  test('applyOwner reads the current key once and the edited key once (its read-back also serves the system:nodes guard)', () => {
    // GIVEN a key of 50 foreign entries WHEN an owner adds its roles
    let applied: { data: { [key: string]: string } } = { data: {} };
    const reads = readsPerText(() => {
      applied = AwsAuthMerge.applyOwner(state, 'Stack:Owner', ownRoles(3));
    });

    // THEN each of the two texts was read exactly once
    expect(reads.get(state.data.mapRoles)).toBe(1);
    expect(reads.get(applied.data.mapRoles)).toBe(1);
    expect(reads.size).toBe(2);
  });

  test('an owner rename with changed mappings reads the current key once and the edited key once', () => {
    // GIVEN an owner under its previous id
    const held = AwsAuthMerge.applyOwner(state, 'Owner', ownRoles(3));
    let renamed: { data: { [key: string]: string } } = { data: {} };

    // WHEN the owner is renamed and changes its groups in the same update
    const reads = readsPerText(() => {
      renamed = replaceOwner(held, 'Owner', 'Stack:Owner', ownRoles(3, 'writers'));
    });

    // THEN each text was read once
    expect(reads.get(held.data.mapRoles)).toBe(1);
    expect(reads.get(renamed.data.mapRoles)).toBe(1);
    expect(reads.size).toBe(2);
  });

  test('removeOwner reads the current key once and the edited key once', () => {
    // GIVEN an owner's entries WHEN it leaves THEN each text was read once
    const held = AwsAuthMerge.applyOwner(state, 'Owner', ownRoles(3));
    let removed: { data: { [key: string]: string } } = { data: {} };
    const reads = readsPerText(() => {
      removed = AwsAuthMerge.removeOwner(held, 'Owner');
    });
    expect(reads.get(held.data.mapRoles)).toBe(1);
    expect(reads.get(removed.data.mapRoles)).toBe(1);
  });
});

describe('AwsAuthMerge checks sso overlaps linearly', () => {
  test('an owner\'s roles are matched only against sso patterns of their own account', () => {
    // GIVEN 200 sso entries of another account and one of the owner's account
    let mapRoles = nodeRoles(1);
    for (let index = 0; index < 200; index++) {
      mapRoles += `- sso:\n    permissionSetName: Set${index}\n    accountID: "444455556666"\n  groups: [sso-${index}]\n`;
    }
    mapRoles += '- sso:\n    permissionSetName: Admin\n    accountID: "111122223333"\n  groups: [admins]\n';
    const match = jest.spyOn(reader, 'arnLike');
    try {
      // WHEN an owner adds 100 roles of its own account
      AwsAuthMerge.applyOwner({ data: { mapRoles } }, 'Stack:Owner', ownRoles(100));

      // THEN each role is matched against the one pattern that could cover it, not all 201
      expect(match).toHaveBeenCalledTimes(100);
      expect(new Set(match.mock.calls.map(([, pattern]) => pattern))).toEqual(new Set(['arn:aws:iam::111122223333:role/awsreservedsso_admin_*']));
    } finally {
      match.mockRestore();
    }
  });

  test('a role an sso pattern covers with another mapping is still refused', () => {
    // GIVEN an sso entry for the Admin permission set WHEN an owner maps a role it covers differently THEN refused
    const mapRoles = `${nodeRoles(1)}- sso:\n    permissionSetName: Admin\n    accountID: "111122223333"\n  groups: [admins]\n`;
    expect(() => AwsAuthMerge.applyOwner({ data: { mapRoles } }, 'Stack:Owner', {
      mapRoles: [{ rolearn: 'arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_0123abcd', groups: ['viewers'] }],
    })).toThrow(/`sso` entry whose pattern `arn:aws:iam::111122223333:role\/awsreservedsso_admin_\*` covers/);
  });
});
