import * as fc from 'fast-check';
import { AwsAuthMerge, AwsAuthState } from '../../../../lib/aws-auth-merge';
import {
  EMPTY_STORE, LAST_GOOD_KEYS, lastGoodData, readLastGood, withDesiredState, withTombstone,
} from '../../../../lib/private/aws-auth/reconcile/last-good-store';
import { decideReconcile } from '../../../../lib/private/aws-auth/reconcile/reconcile-decision';
import { eksctlAwsAuth, NODE_ROLE_MAPPING, POD_EXECUTION_ROLE_MAPPING, roleMapping } from '../handler/aws-auth-fixtures';

const OWNER = 'app/Auth';
const DESIRED = { mapRoles: [NODE_ROLE_MAPPING, roleMapping('deployer', ['system:masters'])] };
const stateArbitrary: fc.Arbitrary<AwsAuthState> = fc.record({
  data: fc.dictionary(fc.constantFrom('mapRoles', 'mapUsers', 'other', 'mapAccounts'), fc.string()),
  // Kubernetes treats an empty annotations map as none, and so does the copy.
  annotations: fc.option(fc.dictionary(fc.string({ minLength: 1 }), fc.string(), { minKeys: 1 }), { nil: undefined }),
});

function start(): AwsAuthState {
  const content = eksctlAwsAuth([POD_EXECUTION_ROLE_MAPPING]);
  return { data: content.data! };
}

describe('last-good store', () => {
  test('reads back exactly what it wrote (property)', () => {
    const optionalState = fc.option(stateArbitrary, { nil: undefined });
    fc.assert(fc.property(optionalState, optionalState, fc.nat(), (copy, previous, generation) => {
      const store = withDesiredState({ ...EMPTY_STORE, copy, previous, generation }, OWNER, DESIRED);
      expect(readLastGood(lastGoodData(store))).toEqual(store);
    }));
  });

  test('keeps copies as ConfigMap manifests that kubectl replace accepts', () => {
    const data = lastGoodData({ ...EMPTY_STORE, copy: { data: { mapRoles: '- rolearn: x' }, annotations: { a: 'b' } } });
    expect(JSON.parse(data[LAST_GOOD_KEYS.copy])).toEqual({
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'aws-auth', namespace: 'kube-system', annotations: { a: 'b' } }, data: { mapRoles: '- rolearn: x' },
    });
  });

  test('raises the generation of an owner with every deploy and with its tombstone', () => {
    const once = withDesiredState(EMPTY_STORE, OWNER, DESIRED);
    const twice = withDesiredState(once, OWNER, { mapRoles: [] });
    const deleted = withTombstone(twice, OWNER);
    expect(Object.values(deleted.owners)).toEqual([{ ownerId: OWNER, generation: 3, deleted: true }]);
  });

  test('refuses a store key that this library did not write', () => {
    expect(() => readLastGood({ 'owner.0123456789abcdef.json': '{"version":1}' })).toThrow(/is not an owner record of version 1/);
    expect(() => readLastGood({ [LAST_GOOD_KEYS.copy]: 'not json' })).toThrow(/key `aws-auth.json` is not JSON/);
    expect(() => readLastGood({ [LAST_GOOD_KEYS.generation]: '-1' })).toThrow(/is not a whole number/);
  });
});

describe('reconcile decision', () => {
  test('a second decision over the result of the first writes nothing (property)', () => {
    const extraRoles = fc.array(fc.constantFrom('a', 'b', 'c', 'deployer').map((name) => roleMapping(name)), { maxLength: 3 });
    fc.assert(fc.property(extraRoles, fc.boolean(), (foreign, deleted) => {
      const initial = AwsAuthMerge.applyOwner(start(), OWNER, DESIRED);
      let store = withDesiredState(EMPTY_STORE, OWNER, DESIRED);
      const first = decideReconcile(OWNER, initial, store);
      store = first.store ?? store;
      // Something else rewrites aws-auth with only some roles.
      const rewritten: AwsAuthState = { data: { mapRoles: JSON.stringify(deleted ? [] : foreign) } };
      const second = decideReconcile(OWNER, rewritten, store);
      const after = second.awsAuth ?? rewritten;
      const third = decideReconcile(OWNER, after, second.store ?? store);
      expect(third.awsAuth).toBeUndefined();
      expect(third.store).toBeUndefined();
      expect(third.nodeArnsLost).toEqual([]);
      expect(third.foreignLost).toEqual([]);
    }));
  });

  test('never changes an entry the owner does not want (property)', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom('a', 'b', 'c').map((name) => roleMapping(name, ['viewers'])), { maxLength: 3 }), (foreign) => {
      const current: AwsAuthState = { data: { mapRoles: JSON.stringify(foreign) } };
      const decision = decideReconcile(OWNER, current, withDesiredState(EMPTY_STORE, OWNER, DESIRED));
      const after = AwsAuthMerge.parse(decision.awsAuth ?? current).mapRoles ?? [];
      for (const entry of foreign) {
        expect(after).toContainEqual(entry);
      }
    }));
  });
});
