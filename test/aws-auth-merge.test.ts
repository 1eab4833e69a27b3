import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { AwsAuthMerge, AwsAuthMappings, AwsAuthState, RoleMapping } from '../lib/aws-auth-merge';

const NODE_ROLE: RoleMapping = {
  rolearn: 'arn:aws:iam::111122223333:role/eks-nodegroup-NodeInstanceRole-1GJ6V3RZQW8XK',
  username: 'system:node:{{EC2PrivateDNSName}}',
  groups: ['system:bootstrappers', 'system:nodes'],
};
const POD_EXECUTION_ROLE: RoleMapping = {
  rolearn: 'arn:aws:iam::111122223333:role/eks-fargate-PodExecutionRole-QX8M2T1LZP0A',
  username: 'system:node:{{SessionName}}',
  groups: ['system:bootstrappers', 'system:nodes', 'system:node-proxier'],
};
const ADMIN_ROLE: RoleMapping = {
  rolearn: 'arn:aws:iam::111122223333:role/platform-admin',
  username: 'platform-admin',
  groups: ['system:masters'],
};
const OWNER_KEY_PATTERN = /^cdk-eks-fargate\.io\/owner\.[0-9a-f]{16}$/;

/** A ConfigMap fixture as the handler would read it. */
function loadConfigMap(name: string): AwsAuthState {
  const manifest = yaml.load(fs.readFileSync(path.join(__dirname, 'fixtures', 'aws-auth', name), 'utf8')) as {
    data: { [key: string]: string };
    metadata: { annotations?: { [key: string]: string } };
  };
  return manifest.metadata.annotations ? { data: manifest.data, annotations: manifest.metadata.annotations } : { data: manifest.data };
}

function ownerAnnotations(state: AwsAuthState): string[] {
  return Object.keys(state.annotations ?? {}).filter((key) => key.startsWith('cdk-eks-fargate.io/'));
}

function roleArns(state: AwsAuthState): string[] {
  return AwsAuthMerge.parse(state).mapRoles!.map((role) => role.rolearn);
}

/** Kubernetes' annotation key syntax: optional DNS-subdomain prefix (≤ 253) and a name (≤ 63). */
function isKubernetesAnnotationKey(key: string): boolean {
  const [prefix, name] = key.includes('/') ? key.split('/', 2) : [undefined, key];
  const label = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
  const prefixOk = prefix === undefined || (prefix.length <= 253 && new RegExp(`^${label}(\\.${label})*$`).test(prefix));
  return prefixOk && name.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name) && key.split('/').length <= 2;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

describe('AwsAuthMerge', () => {
  describe('the incident ConfigMap', () => {
    test('an owner mapping the pod execution role keeps the node role mapping and the data untouched', () => {
      // GIVEN the CONFIG_MAP cluster's aws-auth with the node role and the EKS-written pod execution role
      const incident = loadConfigMap('incident-config-map.yaml');

      // WHEN a profile set owner maps the pod execution role
      const applied = AwsAuthMerge.applyOwner(incident, 'Stack/Profiles/AwsAuth', { mapRoles: [POD_EXECUTION_ROLE] });

      // THEN the identical entry is adopted: the data is unchanged, byte for byte
      expect(applied.data).toEqual(incident.data);
      expect(AwsAuthMerge.parse(applied).mapRoles).toEqual([NODE_ROLE, POD_EXECUTION_ROLE]);
    });

    test('removing that owner keeps both the node role and the adopted pod execution role mapping', () => {
      // GIVEN the owner applied to the incident ConfigMap
      const incident = loadConfigMap('incident-config-map.yaml');
      const applied = AwsAuthMerge.applyOwner(incident, 'Stack/Profiles/AwsAuth', { mapRoles: [POD_EXECUTION_ROLE] });

      // WHEN the stack is deleted
      const removed = AwsAuthMerge.removeOwner(applied, 'Stack/Profiles/AwsAuth');

      // THEN the ConfigMap is exactly what it was
      expect(removed).toEqual(incident);
    });

    test('removing, re-adding and changing owners never loses the node role mapping', () => {
      // GIVEN the incident ConfigMap
      let state = loadConfigMap('incident-config-map.yaml');

      // WHEN owners come, go, come back and change what they want
      const steps: Array<(current: AwsAuthState) => AwsAuthState> = [
        (current) => AwsAuthMerge.applyOwner(current, 'Profiles', { mapRoles: [POD_EXECUTION_ROLE] }),
        (current) => AwsAuthMerge.applyOwner(current, 'Admins', { mapRoles: [ADMIN_ROLE] }),
        (current) => AwsAuthMerge.removeOwner(current, 'Profiles'),
        (current) => AwsAuthMerge.applyOwner(current, 'Profiles', { mapRoles: [POD_EXECUTION_ROLE] }),
        (current) => AwsAuthMerge.applyOwner(current, 'Admins', { mapRoles: [ADMIN_ROLE, POD_EXECUTION_ROLE] }),
        (current) => AwsAuthMerge.applyOwner(current, 'Profiles', {}),
        (current) => AwsAuthMerge.removeOwner(current, 'Admins'),
      ];

      // THEN after every step the node role mapping is there, unchanged, and first
      for (const step of steps) {
        state = step(state);
        expect(AwsAuthMerge.parse(state).mapRoles![0]).toEqual(NODE_ROLE);
        expect(roleArns(state)).toContain(POD_EXECUTION_ROLE.rolearn);
      }
      expect(AwsAuthMerge.parse(state)).toEqual(AwsAuthMerge.parse(loadConfigMap('incident-config-map.yaml')));
      expect(state.annotations).toBeUndefined();
    });

    test('an owner that adds a role and leaves restores the original entries and no annotations', () => {
      // GIVEN an owner that added an admin role to the incident ConfigMap
      const incident = loadConfigMap('incident-config-map.yaml');
      const applied = AwsAuthMerge.applyOwner(incident, 'Admins', { mapRoles: [ADMIN_ROLE] });
      expect(roleArns(applied)).toEqual([NODE_ROLE.rolearn, POD_EXECUTION_ROLE.rolearn, ADMIN_ROLE.rolearn]);

      // WHEN the owner leaves
      const removed = AwsAuthMerge.removeOwner(applied, 'Admins');

      // THEN the parsed entries and the annotations are as before
      expect(AwsAuthMerge.parse(removed)).toEqual(AwsAuthMerge.parse(incident));
      expect(removed.annotations).toBeUndefined();
    });
  });

  describe('ownership', () => {
    test('an adopted entry stays after its adopter leaves while another owner joined, and after that one leaves', () => {
      // GIVEN owner A adopted the pod execution role, then owner B asked for the same mapping
      const incident = loadConfigMap('incident-config-map.yaml');
      let state = AwsAuthMerge.applyOwner(incident, 'A', { mapRoles: [POD_EXECUTION_ROLE] });
      state = AwsAuthMerge.applyOwner(state, 'B', { mapRoles: [POD_EXECUTION_ROLE] });

      // WHEN A leaves, then B leaves
      state = AwsAuthMerge.removeOwner(state, 'A');
      const afterA = roleArns(state);
      state = AwsAuthMerge.removeOwner(state, 'B');

      // THEN the pre-existing entry is never removed
      expect(afterA).toContain(POD_EXECUTION_ROLE.rolearn);
      expect(state).toEqual(incident);
    });

    test('an entry added by two owners stays until the last of them leaves', () => {
      // GIVEN two owners that both want the admin role
      let state = AwsAuthMerge.applyOwner(loadConfigMap('incident-config-map.yaml'), 'A', { mapRoles: [ADMIN_ROLE] });
      state = AwsAuthMerge.applyOwner(state, 'B', { mapRoles: [ADMIN_ROLE] });

      // WHEN the first leaves, then the second
      state = AwsAuthMerge.removeOwner(state, 'A');
      const afterA = roleArns(state);
      state = AwsAuthMerge.removeOwner(state, 'B');

      // THEN the entry survives the first and goes with the last
      expect(afterA).toContain(ADMIN_ROLE.rolearn);
      expect(roleArns(state)).not.toContain(ADMIN_ROLE.rolearn);
    });

    test('re-applying without an entry removes it when nobody else holds it', () => {
      // GIVEN an owner holding the admin role and a reader role
      const reader: RoleMapping = { rolearn: 'arn:aws:iam::111122223333:role/reader', groups: ['view'] };
      const state = AwsAuthMerge.applyOwner(loadConfigMap('incident-config-map.yaml'), 'A', { mapRoles: [ADMIN_ROLE, reader] });

      // WHEN it re-applies wanting only the reader role
      const next = AwsAuthMerge.applyOwner(state, 'A', { mapRoles: [reader] });

      // THEN the admin role is gone and the rest stays in order
      expect(roleArns(next)).toEqual([NODE_ROLE.rolearn, POD_EXECUTION_ROLE.rolearn, reader.rolearn]);
    });

    test('an owner alone on its entry changes the mapping in place', () => {
      // GIVEN an owner holding the admin role, followed by a foreign entry added by hand
      let state = AwsAuthMerge.applyOwner({ data: {} }, 'A', { mapRoles: [ADMIN_ROLE, NODE_ROLE] });
      state = { ...state, data: { mapRoles: `${state.data.mapRoles}- rolearn: arn:aws:iam::111122223333:role/by-hand\n` } };

      // WHEN it re-applies the admin role with another group
      const next = AwsAuthMerge.applyOwner(state, 'A', { mapRoles: [{ ...ADMIN_ROLE, groups: ['admins'] }, NODE_ROLE] });

      // THEN the entry keeps its place with the new mapping
      expect(AwsAuthMerge.parse(next).mapRoles).toEqual([
        { ...ADMIN_ROLE, groups: ['admins'] }, NODE_ROLE, { rolearn: 'arn:aws:iam::111122223333:role/by-hand' },
      ]);
    });

    test('a foreign ARN listed twice is adopted and kept twice', () => {
      // GIVEN the pod execution role written twice by hand
      const mapRoles = loadConfigMap('incident-config-map.yaml').data.mapRoles;
      const twice: AwsAuthState = { data: { mapRoles: mapRoles + mapRoles.split('\n').slice(5).join('\n') } };
      expect(roleArns(twice)).toEqual([NODE_ROLE.rolearn, POD_EXECUTION_ROLE.rolearn, POD_EXECUTION_ROLE.rolearn]);

      // WHEN an owner adopts it and leaves
      const applied = AwsAuthMerge.applyOwner(twice, 'A', { mapRoles: [POD_EXECUTION_ROLE] });
      const removed = AwsAuthMerge.removeOwner(applied, 'A');

      // THEN both copies stay untouched
      expect(applied.data).toEqual(twice.data);
      expect(removed).toEqual(twice);
    });

    test('an owned ARN duplicated by hand becomes one entry when its owner changes it', () => {
      // GIVEN an owner's entry that someone copied
      const applied = AwsAuthMerge.applyOwner({ data: {} }, 'A', { mapRoles: [ADMIN_ROLE] });
      const copied = { ...applied, data: { mapRoles: applied.data.mapRoles.repeat(2) } };

      // WHEN the owner changes its groups
      const next = AwsAuthMerge.applyOwner(copied, 'A', { mapRoles: [{ ...ADMIN_ROLE, groups: ['admins'] }] });

      // THEN one entry is left, with the new mapping
      expect(AwsAuthMerge.parse(next).mapRoles).toEqual([{ ...ADMIN_ROLE, groups: ['admins'] }]);
    });

    test('groups in another order are the same mapping', () => {
      // GIVEN the incident ConfigMap
      const incident = loadConfigMap('incident-config-map.yaml');

      // WHEN an owner asks for the pod execution role with its groups reordered
      const applied = AwsAuthMerge.applyOwner(incident, 'A', { mapRoles: [{ ...POD_EXECUTION_ROLE, groups: [...POD_EXECUTION_ROLE.groups!].reverse() }] });

      // THEN it adopts the entry without rewriting it
      expect(applied.data).toEqual(incident.data);
      expect(ownerAnnotations(applied)).toContain('cdk-eks-fargate.io/pre-existing');
    });

    test('the owner record names the owner and its entries, and the adopted entries are listed apart', () => {
      // GIVEN the incident ConfigMap
      const incident = loadConfigMap('incident-config-map.yaml');

      // WHEN an owner adopts one entry and adds another, a user and an account
      const applied = AwsAuthMerge.applyOwner(incident, 'Stack/AwsAuth', {
        mapRoles: [POD_EXECUTION_ROLE, ADMIN_ROLE],
        mapUsers: [{ userarn: 'arn:aws:iam::111122223333:user/alice', groups: ['system:masters'] }],
        mapAccounts: ['444455556666'],
      });

      // THEN the annotations say who holds what
      const hash = createHash('sha256').update('Stack/AwsAuth').digest('hex').slice(0, 16);
      expect(JSON.parse(applied.annotations![`cdk-eks-fargate.io/owner.${hash}`])).toEqual({
        version: 1,
        ownerId: 'Stack/AwsAuth',
        mapRoles: [POD_EXECUTION_ROLE.rolearn, ADMIN_ROLE.rolearn].map((arn) => arn.toLowerCase()).sort(),
        mapUsers: ['arn:aws:iam::111122223333:user/alice'],
        mapAccounts: ['444455556666'],
      });
      expect(JSON.parse(applied.annotations!['cdk-eks-fargate.io/pre-existing'])).toEqual({ version: 1, mapRoles: [POD_EXECUTION_ROLE.rolearn.toLowerCase()] });
    });

    test('the annotation keys satisfy the Kubernetes annotation key syntax', () => {
      // GIVEN owner ids of every shape
      const ownerIds = ['A', 'Stack/Nested/Very-Long-Construct-Path/'.repeat(20), 'ünïcødé owner', ' '];

      // WHEN each applies a mapping
      const keys = ownerIds.flatMap((ownerId) =>
        ownerAnnotations(AwsAuthMerge.applyOwner(loadConfigMap('incident-config-map.yaml'), ownerId, { mapRoles: [POD_EXECUTION_ROLE] })));

      // THEN every key is a valid annotation key
      expect(keys.filter((key) => key !== 'cdk-eks-fargate.io/pre-existing')).toHaveLength(4);
      keys.forEach((key) => expect(isKubernetesAnnotationKey(key) ? key : `invalid: ${key}`).toBe(key));
      expect(keys.filter((key) => OWNER_KEY_PATTERN.test(key))).toHaveLength(4);
    });

    test('an apply whose annotations would exceed 256 KiB throws', () => {
      // GIVEN an owner that wants 3,000 long role ARNs recorded
      const roles = Array.from({ length: 3000 }, (_, index) => ({ rolearn: `arn:aws:iam::111122223333:role/${'x'.repeat(60)}-${index}`, groups: ['g'] }));

      // WHEN it applies THEN the size limit is named
      expect(() => AwsAuthMerge.applyOwner({ data: {} }, 'A', { mapRoles: roles }))
        .toThrow(/annotations would take \d+ bytes .* at most 262144 bytes \(256 KiB\)/);
    });

    test('an unreadable ownership annotation stops an apply and names it', () => {
      // GIVEN a ConfigMap whose owner record was damaged by hand
      const applied = AwsAuthMerge.applyOwner(loadConfigMap('incident-config-map.yaml'), 'A', { mapRoles: [ADMIN_ROLE] });
      const key = ownerAnnotations(applied)[0];
      const damaged = { ...applied, annotations: { ...applied.annotations, [key]: '{"ownerId": ' } };

      // WHEN another owner applies THEN the annotation is named
      expect(() => AwsAuthMerge.applyOwner(damaged, 'B', { mapRoles: [POD_EXECUTION_ROLE] }))
        .toThrow(new RegExp(`annotation \`${key.replace(/\./g, '\\.')}\` \\(it is not JSON\\) is not a valid cdk-eks-fargate ownership record`));
    });

    test('an unreadable ownership annotation does not stop a removal, which then keeps every entry', () => {
      // GIVEN owners A and B, and B's record damaged by hand
      let state = AwsAuthMerge.applyOwner(loadConfigMap('incident-config-map.yaml'), 'A', { mapRoles: [ADMIN_ROLE] });
      state = AwsAuthMerge.applyOwner(state, 'B', { mapRoles: [{ rolearn: 'arn:aws:iam::111122223333:role/b', groups: ['b'] }] });
      const keyOfB = ownerAnnotations(state).find((key) => JSON.parse(state.annotations![key]).ownerId === 'B')!;
      state = { ...state, annotations: { ...state.annotations, [keyOfB]: '{"version": 99}' } };

      // WHEN A leaves
      const removed = AwsAuthMerge.removeOwner(state, 'A');

      // THEN A's record goes but its entry stays, since B's record might hold it
      expect(roleArns(removed)).toContain(ADMIN_ROLE.rolearn);
      expect(ownerAnnotations(removed)).toEqual([keyOfB]);
    });

    test('every way an ownership record can be damaged is named', () => {
      // GIVEN records without an owner id, under the wrong key, not an object, with a bad list, of a newer version
      const key = (ownerId: string) => `cdk-eks-fargate.io/owner.${createHash('sha256').update(ownerId).digest('hex').slice(0, 16)}`;
      const annotations = {
        [key('a')]: '{"version":1,"mapRoles":["x"]}',
        [key('b')]: '{"version":1,"ownerId":"not-b"}',
        [key('c')]: '[1]',
        [key('d')]: '{"version":1,"ownerId":"d","mapUsers":"arn"}',
        'cdk-eks-fargate.io/pre-existing': '{"version":2}',
      };

      // WHEN an owner applies THEN each problem is named
      expect(() => AwsAuthMerge.applyOwner({ data: {}, annotations }, 'e', {}))
        .toThrow(/\(it has no `ownerId` string\).*\(its ownerId "not-b" does not hash to the key\).*\(it is not a JSON object\).*\(its `mapUsers` is not a list of non-empty strings\).*`cdk-eks-fargate\.io\/pre-existing` \(it has version 2; this library reads version 1\)/);
    });

    test('a removal whose own record is unreadable drops the record and keeps every entry', () => {
      // GIVEN an owner whose record was damaged by hand
      const applied = AwsAuthMerge.applyOwner(loadConfigMap('incident-config-map.yaml'), 'A', { mapRoles: [ADMIN_ROLE] });
      const key = ownerAnnotations(applied)[0];
      const damaged = { ...applied, annotations: { ...applied.annotations, [key]: 'garbage' } };

      // WHEN it is removed
      const removed = AwsAuthMerge.removeOwner(damaged, 'A');

      // THEN its entry stays (it cannot be told apart from a foreign one) and the record goes
      expect(removed).toEqual({ data: applied.data });
    });

    test('removing an unknown owner is a no-op', () => {
      // GIVEN a ConfigMap with an owner
      const applied = AwsAuthMerge.applyOwner(loadConfigMap('incident-config-map.yaml'), 'A', { mapRoles: [ADMIN_ROLE] });

      // WHEN another owner id is removed THEN nothing changes
      expect(AwsAuthMerge.removeOwner(applied, 'never-applied')).toEqual(applied);
    });
  });

  describe('conflicts', () => {
    test('mapping a foreign ARN differently throws, naming the ARN, both mappings and the holder', () => {
      // GIVEN the incident ConfigMap
      const incident = loadConfigMap('incident-config-map.yaml');

      // WHEN an owner maps the node role to other groups THEN it is refused
      expect(() => AwsAuthMerge.applyOwner(incident, 'A', { mapRoles: [{ rolearn: NODE_ROLE.rolearn, groups: ['system:masters'] }] }))
        .toThrow(/`mapRoles` entry `arn:aws:iam::111122223333:role\/eks-nodegroup-NodeInstanceRole-1GJ6V3RZQW8XK` maps to \{"username":"system:node:\{\{EC2PrivateDNSName\}\}","groups":\["system:bootstrappers","system:nodes"\]\} \(a foreign entry: not written by cdk-eks-fargate, so never changed by it\); owner "A" wants \{"username":"","groups":\["system:masters"\]\}/);
    });

    test('mapping an ARN held by another owner differently throws, naming that owner', () => {
      // GIVEN owner A holding the admin role
      const state = AwsAuthMerge.applyOwner({ data: {} }, 'Stack-A/AwsAuth', { mapRoles: [ADMIN_ROLE] });

      // WHEN owner B maps it to another username THEN A is named
      expect(() => AwsAuthMerge.applyOwner(state, 'Stack-B/AwsAuth', { mapRoles: [{ ...ADMIN_ROLE, username: 'someone-else' }] }))
        .toThrow(/maps to \{"username":"platform-admin","groups":\["system:masters"\]\} \(held by owner "Stack-A\/AwsAuth"\); owner "Stack-B\/AwsAuth" wants \{"username":"someone-else"/);
    });

    test('changing an adopted entry throws because it existed before any owner', () => {
      // GIVEN an owner that adopted the pod execution role
      const state = AwsAuthMerge.applyOwner(loadConfigMap('incident-config-map.yaml'), 'A', { mapRoles: [POD_EXECUTION_ROLE] });

      // WHEN the same owner asks for another username THEN it is refused
      expect(() => AwsAuthMerge.applyOwner(state, 'A', { mapRoles: [{ ...POD_EXECUTION_ROLE, username: 'fargate' }] }))
        .toThrow(/it existed before any owner took it, so it is never changed/);
    });

    test('desired mappings that list one ARN twice with different mappings throw', () => {
      // GIVEN desired mappings with the admin role twice
      const desired: AwsAuthMappings = { mapRoles: [ADMIN_ROLE, { ...ADMIN_ROLE, groups: ['other'] }] };

      // WHEN applied THEN the duplicate is named
      expect(() => AwsAuthMerge.applyOwner({ data: {} }, 'A', desired))
        .toThrow(/desired `mapRoles` entry 2 maps `arn:aws:iam::111122223333:role\/platform-admin` again with a different mapping/);
    });

    test('desired mappings without an ARN throw, naming the entry', () => {
      // GIVEN a desired user mapping without userarn (as a JavaScript caller might send)
      const desired = { mapUsers: [{ username: 'alice' }] } as unknown as AwsAuthMappings;

      // WHEN applied THEN the entry is named
      expect(() => AwsAuthMerge.applyOwner({ data: {} }, 'A', desired)).toThrow(/desired `mapUsers` entry 1 has no `userarn`/);
    });

    test('a desired account that is not a string throws', () => {
      // GIVEN an account id as a number (as a JavaScript caller might send)
      const desired = { mapAccounts: [123456789012] } as unknown as AwsAuthMappings;

      // WHEN applied THEN the entry is named
      expect(() => AwsAuthMerge.applyOwner({ data: {} }, 'A', desired)).toThrow(/desired `mapAccounts` entry 1 is not an account id string, found number/);
    });

    test('a data value that is not a string throws', () => {
      // GIVEN a data value of the wrong type (as a JavaScript caller might send)
      const state = { data: { mapRoles: 42 } } as unknown as AwsAuthState;

      // WHEN parsed THEN the key is named
      expect(() => AwsAuthMerge.parse(state)).toThrow(/aws-auth data key `mapRoles` is not a string, found number/);
    });

    test('an empty owner id throws', () => {
      // GIVEN an empty owner id WHEN applied THEN it is refused
      expect(() => AwsAuthMerge.applyOwner({ data: {} }, '', {})).toThrow(/`ownerId` must be a non-empty string/);
    });
  });

  describe('the system:nodes guard', () => {
    test('an apply that would leave no system:nodes mapping is refused, naming the rule', () => {
      // GIVEN an owner that created the only system:nodes mapping
      const state = AwsAuthMerge.applyOwner({ data: {} }, 'Profiles', { mapRoles: [POD_EXECUTION_ROLE] });

      // WHEN it re-applies without it THEN the update is refused
      expect(() => AwsAuthMerge.applyOwner(state, 'Profiles', { mapRoles: [ADMIN_ROLE] }))
        .toThrow(/it would remove the last aws-auth mapping to the `system:nodes` group as EKS reads it \(rule: an update never removes the last `system:nodes` mapping/);
    });

    test('removing the owner of the last system:nodes mapping proceeds', () => {
      // GIVEN an owner that created the only system:nodes mapping
      const state = AwsAuthMerge.applyOwner({ data: {} }, 'Profiles', { mapRoles: [POD_EXECUTION_ROLE] });

      // WHEN the owner is removed (stack deletion)
      const removed = AwsAuthMerge.removeOwner(state, 'Profiles');

      // THEN the mapping is gone and the list with it
      expect(removed).toEqual({ data: {} });
    });

    test('a system:nodes mapping left in mapUsers satisfies the guard', () => {
      // GIVEN a node user mapping in mapUsers and an owner holding the only node role
      const nodeUser = '- userarn: arn:aws:iam::111122223333:user/node\n  groups:\n    - system:nodes\n';
      const state = AwsAuthMerge.applyOwner({ data: { mapUsers: nodeUser } }, 'A', { mapRoles: [POD_EXECUTION_ROLE] });

      // WHEN the owner drops the role
      const next = AwsAuthMerge.applyOwner(state, 'A', {});

      // THEN the update proceeds
      expect(next.data).toEqual({ mapUsers: nodeUser });
    });
  });

  describe('idempotence and purity', () => {
    test('applying the same mappings twice gives byte-identical output', () => {
      // GIVEN an aws-cdk-lib ConfigMap (JSON values)
      const state = loadConfigMap('aws-cdk-lib-config-map.yaml');
      const desired: AwsAuthMappings = { mapRoles: [POD_EXECUTION_ROLE], mapUsers: [{ userarn: 'arn:aws:iam::111122223333:user/bob', groups: ['dev'] }] };

      // WHEN the same owner applies twice
      const once = AwsAuthMerge.applyOwner(state, 'A', desired);
      const twice = AwsAuthMerge.applyOwner(once, 'A', desired);

      // THEN the second apply changes nothing
      expect(JSON.stringify(twice)).toBe(JSON.stringify(once));
    });

    test('no function modifies its inputs', () => {
      // GIVEN frozen inputs
      const state = deepFreeze(AwsAuthMerge.applyOwner(loadConfigMap('hand-edited-config-map.yaml'), 'A', { mapRoles: [ADMIN_ROLE] }));
      const desired = deepFreeze<AwsAuthMappings>({ mapRoles: [POD_EXECUTION_ROLE, ADMIN_ROLE], mapAccounts: ['123456789012'] });
      const before = JSON.stringify([state, desired]);

      // WHEN every function runs on them
      const applied = AwsAuthMerge.applyOwner(state, 'A', desired);
      AwsAuthMerge.removeOwner(applied, 'A');
      AwsAuthMerge.removeOwner(state, 'A');
      AwsAuthMerge.parse(state);

      // THEN they are unchanged (frozen objects would also have thrown on a write)
      expect(JSON.stringify([state, desired])).toBe(before);
    });
  });

  describe('preserving what is not ours', () => {
    test('a data key whose entries do not change keeps its text byte for byte', () => {
      // GIVEN a hand-edited ConfigMap with comments and anchors
      const state = loadConfigMap('hand-edited-config-map.yaml');

      // WHEN an owner adds a user
      const applied = AwsAuthMerge.applyOwner(state, 'A', { mapUsers: [{ userarn: 'arn:aws:iam::111122223333:user/bob' }] });

      // THEN mapRoles, mapAccounts and the unknown key are the same strings
      expect(applied.data.mapRoles).toBe(state.data.mapRoles);
      expect(applied.data.mapAccounts).toBe(state.data.mapAccounts);
      expect(applied.data.comment).toBe(state.data.comment);
      expect(Object.keys(applied.data)).toEqual([...Object.keys(state.data), 'mapUsers']);
    });

    test('a rewritten key keeps every field and the order of foreign entries', () => {
      // GIVEN a hand-edited ConfigMap whose entries carry an unknown field and a merge key
      const state = loadConfigMap('hand-edited-config-map.yaml');

      // WHEN an owner adds a role
      const applied = AwsAuthMerge.applyOwner(state, 'A', { mapRoles: [ADMIN_ROLE] });

      // THEN the foreign entries read the same, unknown field included, and come first
      const load = (text: string) => yaml.load(text) as object[];
      expect(load(applied.data.mapRoles)).toEqual([...load(state.data.mapRoles), ADMIN_ROLE]);
      expect(applied.data.mapRoles).toContain('  ticket: OPS-1234\n');
    });

    test('a foreign entry with nested fields keeps them through a rewrite', () => {
      // GIVEN a foreign entry carrying a nested mapping, a list of mappings and an empty mapping
      const mapUsers = '- userarn: arn:aws:iam::111122223333:user/carol\n  labels: {team: data, tier: 1}\n  history:\n    - {by: alice, at: 2021-01-01}\n  extra: {}\n';
      const state: AwsAuthState = { data: { mapUsers } };

      // WHEN an owner adds a user, so mapUsers is rewritten
      const applied = AwsAuthMerge.applyOwner(state, 'A', { mapUsers: [{ userarn: 'arn:aws:iam::111122223333:user/dave' }] });

      // THEN the foreign entry reads the same
      const load = (text: string) => yaml.load(text, { schema: yaml.CORE_SCHEMA }) as object[];
      expect(load(applied.data.mapUsers)).toEqual([...load(mapUsers), { userarn: 'arn:aws:iam::111122223333:user/dave' }]);
    });

    test('annotations and data keys that are not ours pass through', () => {
      // GIVEN a ConfigMap with a foreign annotation and an unknown data key
      const state = loadConfigMap('hand-edited-config-map.yaml');

      // WHEN an owner applies and leaves
      const applied = AwsAuthMerge.applyOwner(state, 'A', { mapRoles: [ADMIN_ROLE] });
      const removed = AwsAuthMerge.removeOwner(applied, 'A');

      // THEN they are untouched throughout
      expect(applied.annotations!['example.com/owner-team']).toBe('platform');
      expect(removed.annotations).toEqual(state.annotations);
      expect(removed.data.comment).toBe(state.data.comment);
      expect(AwsAuthMerge.parse(removed)).toEqual(AwsAuthMerge.parse(state));
    });

    test('a list the owners emptied is removed from the data', () => {
      // GIVEN an owner that added the only account
      const applied = AwsAuthMerge.applyOwner({ data: { other: 'x' } }, 'A', { mapAccounts: ['123456789012'] });

      // WHEN it leaves
      const removed = AwsAuthMerge.removeOwner(applied, 'A');

      // THEN mapAccounts is gone again
      expect(applied.data.mapAccounts).toBe('- "123456789012"\n');
      expect(removed).toEqual({ data: { other: 'x' } });
    });

    test('new entries are written as YAML that quotes what YAML would misread', () => {
      // GIVEN an empty ConfigMap WHEN an owner adds entries with awkward values
      const applied = AwsAuthMerge.applyOwner({ data: {} }, 'A', {
        mapRoles: [{ rolearn: 'arn:aws:iam::111122223333:role/r', username: 'yes', groups: ['a: b', '# not a comment', '123'] }],
        mapAccounts: ['012345678901'],
      });

      // THEN the YAML reads back as strings
      expect(applied.data.mapRoles).toBe('- rolearn: arn:aws:iam::111122223333:role/r\n  username: "yes"\n  groups:\n    - "a: b"\n    - "# not a comment"\n    - "123"\n');
      expect(AwsAuthMerge.parse(applied)).toEqual({
        mapRoles: [{ rolearn: 'arn:aws:iam::111122223333:role/r', username: 'yes', groups: ['a: b', '# not a comment', '123'] }],
        mapUsers: [],
        mapAccounts: ['012345678901'],
      });
    });
  });

  describe('parse', () => {
    test('reads eksctl YAML', () => {
      // GIVEN an eksctl-written ConfigMap WHEN parsed THEN every list is read
      expect(AwsAuthMerge.parse(loadConfigMap('eksctl-config-map.yaml'))).toEqual({
        mapRoles: [{
          rolearn: 'arn:aws:iam::111122223333:role/eksctl-prod-nodegroup-ng-1-NodeInstanceRole-7QJ3K2',
          username: 'system:node:{{EC2PrivateDNSName}}',
          groups: ['system:bootstrappers', 'system:nodes'],
        }],
        mapUsers: [{ userarn: 'arn:aws:iam::111122223333:user/alice', username: 'alice', groups: ['system:masters'] }],
        mapAccounts: ['444455556666'],
      });
    });

    test('reads Terraform yamlencode YAML with quoted keys', () => {
      // GIVEN a Terraform-written ConfigMap WHEN parsed THEN quoted keys and values are read
      expect(AwsAuthMerge.parse(loadConfigMap('terraform-config-map.yaml'))).toEqual({
        mapRoles: [
          { rolearn: 'arn:aws:iam::111122223333:role/tf-prod-node-role', username: 'system:node:{{EC2PrivateDNSName}}', groups: ['system:bootstrappers', 'system:nodes'] },
          { rolearn: 'arn:aws:iam::111122223333:role/tf-platform-admin', username: 'platform-admin', groups: ['platform-admins'] },
        ],
        mapUsers: [],
        mapAccounts: ['012345678901'],
      });
    });

    test('reads aws-cdk-lib JSON', () => {
      // GIVEN an aws-cdk-lib-written ConfigMap WHEN parsed THEN the JSON arrays are read
      expect(AwsAuthMerge.parse(loadConfigMap('aws-cdk-lib-config-map.yaml'))).toEqual({
        mapRoles: [
          { rolearn: 'arn:aws:iam::111122223333:role/cdk-NodegroupRole-1X2Y3Z', username: 'system:node:{{EC2PrivateDNSName}}', groups: ['system:bootstrappers', 'system:nodes'] },
          { rolearn: 'arn:aws:iam::111122223333:role/cdk-MastersRole-9A8B7C', username: 'arn:aws:iam::111122223333:role/cdk-MastersRole-9A8B7C', groups: ['system:masters'] },
        ],
        mapUsers: [],
        mapAccounts: ['777788889999'],
      });
    });

    test('reads hand edits with comments, flow lists, anchors and merge keys', () => {
      // GIVEN a hand-edited ConfigMap WHEN parsed THEN comments are ignored and merges resolved
      expect(AwsAuthMerge.parse(loadConfigMap('hand-edited-config-map.yaml')).mapRoles).toEqual([
        { rolearn: 'arn:aws:iam::111122223333:role/node-role', username: 'system:node:{{EC2PrivateDNSName}}', groups: ['system:bootstrappers', 'system:nodes'] },
        { rolearn: 'arn:aws:iam::111122223333:role/readers', username: 'readers', groups: ['view-only'] },
        { rolearn: 'arn:aws:iam::111122223333:role/auditors', username: 'readers', groups: ['view-only'] },
      ]);
    });

    test('keeps an unquoted account number exactly as written, leading zero included', () => {
      // GIVEN accounts written as bare numbers (YAML would read 012345678901 as 12345678901)
      const state: AwsAuthState = { data: { mapAccounts: '- 012345678901\n- 210987654321\n- "000000000001"\n' } };

      // WHEN parsed THEN the digits are kept as text
      expect(AwsAuthMerge.parse(state).mapAccounts).toEqual(['012345678901', '210987654321', '000000000001']);
    });

    test('reads numbers in JSON accounts as their digits', () => {
      // GIVEN accounts as JSON numbers WHEN parsed THEN they are strings
      expect(AwsAuthMerge.parse({ data: { mapAccounts: '[123456789012, "000011112222"]' } }).mapAccounts).toEqual(['123456789012', '000011112222']);
    });

    test('reads empty, null, comment-only and missing values as empty lists', () => {
      // GIVEN every way of saying "nothing" WHEN parsed THEN the lists are empty
      const nothing = { mapRoles: [], mapUsers: [], mapAccounts: [] };
      expect(AwsAuthMerge.parse({ data: {} })).toEqual(nothing);
      expect(AwsAuthMerge.parse({ data: { mapRoles: '', mapUsers: '[]', mapAccounts: '# none yet\n' } })).toEqual(nothing);
      expect(AwsAuthMerge.parse({ data: { mapRoles: 'null', mapUsers: '~', mapAccounts: '   \n' } })).toEqual(nothing);
    });

    test('omits username and groups an entry does not have', () => {
      // GIVEN a role with an empty username and null groups WHEN parsed THEN only the ARN is returned
      expect(AwsAuthMerge.parse({ data: { mapRoles: '- rolearn: arn:aws:iam::111122223333:role/r\n  username: ""\n  groups: null\n' } }).mapRoles)
        .toEqual([{ rolearn: 'arn:aws:iam::111122223333:role/r' }]);
    });

    test('a key EKS cannot read at all throws, naming the data key and the position', () => {
      // GIVEN a value that is not YAML WHEN parsed THEN the key is named
      expect(() => AwsAuthMerge.parse({ data: { mapRoles: '- rolearn: a\n  groups: [x\n' } }))
        .toThrow(/aws-auth data key `mapRoles` is not read by EKS at all: .*\(line \d+, column \d+\)/);
    });

    test('a truncated JSON list throws, naming the data key', () => {
      // GIVEN a truncated JSON value WHEN parsed THEN the key is named
      expect(() => AwsAuthMerge.parse({ data: { mapUsers: '[{"userarn": "arn:aws:iam::1:user/a"' } }))
        .toThrow(/aws-auth data key `mapUsers` is not read by EKS at all/);
    });

    test('a value that is not a list throws', () => {
      // GIVEN a mapping where a list belongs WHEN parsed THEN the key is named
      expect(() => AwsAuthMerge.parse({ data: { mapRoles: 'rolearn: arn:aws:iam::1:role/a\n' } }))
        .toThrow(/aws-auth data key `mapRoles` is not read by EKS at all: json: cannot unmarshal object/);
    });

    test('entries EKS drops are left out and the others read, as EKS does', () => {
      // GIVEN entries without an identity, of the wrong shape, or of the wrong type, among good ones
      const state: AwsAuthState = {
        data: {
          mapRoles: '- rolearn: a\n- rolearn: b\n- username: c\n- arn:aws:iam::1:role/bare\n- rolearn: true\n',
          mapUsers: '[{"rolearn": "arn:aws:iam::1:role/a"}, {"userarn": "arn:aws:iam::1:user/u"}]',
        },
      };

      // WHEN parsed THEN only the entries EKS serves are returned
      expect(AwsAuthMerge.parse(state)).toEqual({
        mapRoles: [{ rolearn: 'a' }, { rolearn: 'b' }],
        mapUsers: [{ userarn: 'arn:aws:iam::1:user/u' }],
        mapAccounts: [],
      });
    });

    test('a wrongly typed username or groups reads as empty, as EKS reads it', () => {
      // GIVEN groups written as one string and a username written as a list WHEN parsed THEN both are empty
      expect(AwsAuthMerge.parse({ data: { mapRoles: '- rolearn: a\n  groups: system:masters\n- rolearn: b\n  username: [x]\n  groups: [g]\n' } }).mapRoles)
        .toEqual([{ rolearn: 'a' }, { rolearn: 'b', groups: ['g'] }]);
    });

    test('field names match in any case and the last of a duplicated key wins, as EKS reads them', () => {
      // GIVEN Terraform-style and hand-typed field names, and a key written twice
      const mapRoles = '- roleARN: arn:aws:iam::1:role/a\n  UserName: a\n  Groups: [g]\n- rolearn: arn:aws:iam::1:role/b\n  username: first\n  username: second\n';

      // WHEN parsed THEN both entries are read
      expect(AwsAuthMerge.parse({ data: { mapRoles } }).mapRoles).toEqual([
        { rolearn: 'arn:aws:iam::1:role/a', username: 'a', groups: ['g'] },
        { rolearn: 'arn:aws:iam::1:role/b', username: 'second' },
      ]);
    });

    test('an account item that is a mapping is skipped and the others kept, as EKS reads them', () => {
      // GIVEN an account written as a mapping and an empty one WHEN parsed THEN the scalars are kept as text
      expect(AwsAuthMerge.parse({ data: { mapAccounts: '- "111122223333"\n- account: 444455556666\n- ""\n' } }).mapAccounts)
        .toEqual(['111122223333', '']);
    });

    test('a malformed key the owner does not touch does not stop an apply', () => {
      // GIVEN a broken mapUsers next to the node role
      const state: AwsAuthState = { data: { mapRoles: loadConfigMap('incident-config-map.yaml').data.mapRoles, mapUsers: '{{ broken' } };

      // WHEN an owner adds a role THEN mapUsers is passed through
      expect(AwsAuthMerge.applyOwner(state, 'A', { mapRoles: [ADMIN_ROLE] }).data.mapUsers).toBe('{{ broken');
    });
  });

  describe('scale', () => {
    test('an apply and a removal on 5,000 entries keep every foreign entry', () => {
      // GIVEN a 5,000-entry mapRoles
      let mapRoles = '';
      for (let index = 0; index < 5000; index++) {
        mapRoles += `- groups:\n  - system:bootstrappers\n  - system:nodes\n  rolearn: arn:aws:iam::111122223333:role/node-${index}\n  username: system:node:{{EC2PrivateDNSName}}\n`;
      }
      const state: AwsAuthState = { data: { mapRoles } };
      const desired: AwsAuthMappings = { mapRoles: [ADMIN_ROLE, { rolearn: 'arn:aws:iam::111122223333:role/node-2500', username: 'system:node:{{EC2PrivateDNSName}}', groups: ['system:nodes', 'system:bootstrappers'] }] };

      // WHEN an owner adds one role and adopts another, then leaves (timings are in bench/aws-auth-merge.ts)
      const applied = AwsAuthMerge.applyOwner(state, 'A', desired);
      const removed = AwsAuthMerge.removeOwner(applied, 'A');

      // THEN all 5,000 foreign entries stay in order, byte for byte
      expect(roleArns(applied)).toHaveLength(5001);
      expect(applied.data.mapRoles.startsWith(mapRoles)).toBe(true);
      expect(removed.data).toEqual(state.data);
    });
  });
});
