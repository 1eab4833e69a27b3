import * as yaml from 'js-yaml';
import { CLUSTER, OWNER, ReconcileHarness } from './reconcile-harness';
import { AWS_AUTH_PATH, KUBE_SYSTEM_CONFIG_MAPS_PATH } from '../../../../lib/private/aws-auth/handler/aws-auth-config-map';
import { LAST_GOOD_KEYS, LAST_GOOD_NAME, ownerKeyOf } from '../../../../lib/private/aws-auth/reconcile/last-good-store';
import { ADMIN_USER_MAPPING, eksctlAwsAuth, mappingsIn, NODE_ROLE_MAPPING, POD_EXECUTION_ROLE_MAPPING, roleArnsIn, roleMapping } from '../handler/aws-auth-fixtures';

const DEPLOYER = roleMapping('deployer', ['system:masters']);
const DEPLOYER_V2 = roleMapping('deployer-v2', ['system:masters']);
/** The owner declares the node role exactly as it is mapped, which adopts it (`protectNodeRole`). */
const OWNED = { mapRoles: [NODE_ROLE_MAPPING, DEPLOYER] };
/** What a later deploy of the owner wants. */
const NEWER = { mapRoles: [NODE_ROLE_MAPPING, DEPLOYER_V2] };

/** The incident's aws-auth: an outside process rewrote it with only the Fargate pod execution role. */
const INCIDENT = { data: { mapRoles: yaml.dump([POD_EXECUTION_ROLE_MAPPING]) } };

let harness: ReconcileHarness;

beforeEach(async () => {
  harness = await ReconcileHarness.start();
  harness.api.setAwsAuth(eksctlAwsAuth([POD_EXECUTION_ROLE_MAPPING]));
});

afterEach(() => harness.close());

/** The owner's desired-state record in the last-good store. */
function ownerRecord() {
  return harness.store()?.owners[ownerKeyOf(OWNER)];
}

async function deployAndSettle(): Promise<void> {
  expect((await harness.deploys.create(harness.properties(OWNED))).Status).toBe('SUCCESS');
  // The first run takes the first copy.
  expect((await harness.run())?.failure).toBeUndefined();
}

describe('aws-auth reconcile', () => {
  test('after the incident, the next run restores the owner entries, leaves the rest, and reports the lost node role once', async () => {
    await deployAndSettle();
    harness.api.setAwsAuth(INCIDENT);

    const report = await harness.run();

    expect(report?.failure).toBeUndefined();
    expect(roleArnsIn(harness.api)).toEqual([POD_EXECUTION_ROLE_MAPPING.rolearn, NODE_ROLE_MAPPING.rolearn, DEPLOYER.rolearn]);
    expect(mappingsIn(harness.api).mapRoles).toContainEqual(NODE_ROLE_MAPPING);
    // The foreign admin user is not this library's to restore: reported, with where the copy is.
    expect(mappingsIn(harness.api).mapUsers).toEqual([]);
    expect(report?.nodeArnsLost).toEqual([NODE_ROLE_MAPPING.rolearn]);
    expect(report?.foreignLost).toEqual([{ key: 'mapUsers', identity: ADMIN_USER_MAPPING.userarn }]);
    expect(harness.logs.join('\n')).toContain(`mapUsers: ${ADMIN_USER_MAPPING.userarn}`);
    expect(harness.logs.join('\n')).toContain(`kube-system/${LAST_GOOD_NAME}, key ${LAST_GOOD_KEYS.beforeLastLoss}`);
    expect(harness.runs[1]).toMatchObject({ NodeRoleArnsLost: 1, ForeignEntriesLost: 1, EntriesRestored: 2, RunsFailed: 0, Heartbeat: 1 });
    // The copy from before the loss still holds the admin user.
    const beforeLoss = harness.store()?.beforeLastLoss;
    expect(beforeLoss?.data.mapUsers).toContain(ADMIN_USER_MAPPING.userarn);

    await harness.run();
    expect(harness.runs[2]).toMatchObject({ NodeRoleArnsLost: 0, ForeignEntriesLost: 0, EntriesRestored: 0, RunsFailed: 0 });
  });

  test('an aws-auth deleted entirely is created again with the owner entries only', async () => {
    await deployAndSettle();
    harness.api.setAwsAuth(undefined);

    const report = await harness.run();

    expect(roleArnsIn(harness.api)).toEqual([NODE_ROLE_MAPPING.rolearn, DEPLOYER.rolearn]);
    expect(harness.api.count('POST')).toBeGreaterThan(0);
    expect(report?.nodeArnsLost).toEqual([NODE_ROLE_MAPPING.rolearn, POD_EXECUTION_ROLE_MAPPING.rolearn]);
    expect(harness.runs[1]).toMatchObject({ NodeRoleArnsLost: 2, ForeignEntriesLost: 2, EntriesRestored: 2 });
  });

  test('a malformed aws-auth is never written, and the run counts as failed', async () => {
    await deployAndSettle();
    harness.api.setAwsAuth({ data: { mapRoles: '- rolearn: [unclosed' } });
    harness.api.resetFaults();

    const report = await harness.run();

    expect(report?.failure).toBe('unreadable');
    expect(harness.api.writesTo('aws-auth')).toBe(0);
    expect(harness.api.writesTo(LAST_GOOD_NAME)).toBe(0);
    expect(harness.runs[1]).toMatchObject({ RunsFailed: 1, EntriesRestored: 0, Heartbeat: 1 });
  });

  test('a LIST answer cut off in the middle is unreadable: nothing is written', async () => {
    await deployAndSettle();
    harness.api.setAwsAuth(INCIDENT);
    harness.api.resetFaults();
    harness.api.inject({ kind: 'garble', times: 1, methods: ['GET'] });

    const report = await harness.run();

    expect(report?.failure).toBe('unreadable');
    expect(report?.message).toMatch(/answered GET \/api\/v1\/namespaces\/kube-system\/configmaps with a body that is not JSON/);
    expect(harness.api.requests).toHaveLength(1);
  });

  test('on a CONFIG_MAP cluster, losing the reconcile role mapping is reported as its own failure', async () => {
    await harness.close();
    harness = await ReconcileHarness.start('CONFIG_MAP');
    harness.api.setAwsAuth(eksctlAwsAuth([POD_EXECUTION_ROLE_MAPPING]));
    await deployAndSettle();
    // The overwrite removed the role's mapping, so the authenticator no longer knows it.
    harness.api.inject({ kind: 'status', status: 401, times: 1, methods: ['GET'] });

    const report = await harness.run();

    expect(report?.failure).toBe('reconcile-role-unmapped');
    expect(report?.message).toMatch(/the reconcile role is no longer mapped in aws-auth/);
    expect(harness.runs[1]).toMatchObject({ RunsFailed: 1, ReconcileRoleUnmapped: 1 });
  });

  test('a deploy that lands between the run reading aws-auth and writing it wins', async () => {
    await deployAndSettle();
    harness.api.setAwsAuth(INCIDENT);
    // The run's PUT of aws-auth waits until a deploy of newer mappings is done.
    harness.deployDuring(OWNED, NEWER, ['PUT']);

    const report = await harness.run();

    expect(report?.wroteAwsAuth).toBe(false);
    expect(roleArnsIn(harness.api)).toEqual([POD_EXECUTION_ROLE_MAPPING.rolearn, NODE_ROLE_MAPPING.rolearn, DEPLOYER_V2.rolearn]);
    expect(ownerRecord()).toMatchObject({ generation: 2, mappings: NEWER });
  });

  test('a deploy that lands between the run writing aws-auth and writing the last-good copy wins', async () => {
    await deployAndSettle();
    harness.api.setAwsAuth(INCIDENT);
    // The run restores aws-auth (first PUT); its PUT of the last-good copy (second) waits for the deploy.
    harness.deployDuring(OWNED, NEWER, ['PUT'], 1);

    const report = await harness.run();
    await harness.run();

    expect(report?.wroteAwsAuth).toBe(true);
    expect(report?.wroteLastGood).toBe(false);
    // The older mappings never come back: the deployer role stays gone, and the newer desired state stays recorded.
    expect(roleArnsIn(harness.api)).not.toContain(DEPLOYER.rolearn);
    expect(roleArnsIn(harness.api)).toContain(DEPLOYER_V2.rolearn);
    expect(ownerRecord()).toMatchObject({ generation: 2, mappings: NEWER });
  });

  test('a run reads aws-auth and the last-good copy with one LIST and writes each with the resourceVersion it listed', async () => {
    await deployAndSettle();
    harness.api.setAwsAuth(INCIDENT);
    const listedVersions = {
      awsAuth: harness.api.awsAuth()!.metadata.resourceVersion,
      lastGood: harness.api.configMap(LAST_GOOD_NAME)!.metadata.resourceVersion,
    };
    harness.api.resetFaults();

    await harness.run();

    const [read, ...writes] = harness.api.requests;
    expect(read).toMatchObject({ method: 'GET', path: KUBE_SYSTEM_CONFIG_MAPS_PATH });
    const sent = writes.map(({ method, path, body }) => ({
      method, path, apiVersion: body.apiVersion, kind: body.kind, resourceVersion: body.metadata.resourceVersion,
    }));
    expect(sent).toEqual([
      { method: 'PUT', path: AWS_AUTH_PATH, apiVersion: 'v1', kind: 'ConfigMap', resourceVersion: listedVersions.awsAuth },
      { method: 'PUT', path: `${KUBE_SYSTEM_CONFIG_MAPS_PATH}/${LAST_GOOD_NAME}`, apiVersion: 'v1', kind: 'ConfigMap', resourceVersion: listedVersions.lastGood },
    ]);
  });

  test('a run after the owner was deleted restores nothing (tombstone)', async () => {
    await deployAndSettle();
    expect((await harness.deploys.delete(OWNER, harness.properties(OWNED))).Status).toBe('SUCCESS');
    harness.api.setAwsAuth(INCIDENT);
    harness.api.resetFaults();

    const report = await harness.run();

    expect(report?.restored).toEqual([]);
    expect(roleArnsIn(harness.api)).toEqual([POD_EXECUTION_ROLE_MAPPING.rolearn]);
    expect(harness.api.writesTo('aws-auth')).toBe(0);
    expect(ownerRecord()).toMatchObject({ deleted: true, generation: 2 });
  });

  test('an Update that turns the reconcile off tombstones the owner, so a run before the schedule is gone restores nothing', async () => {
    await deployAndSettle();
    // The Update drops the deployer role; the schedule is only removed in the cleanup phase after it.
    expect((await harness.deploys.update(OWNER, harness.unguardedProperties(NEWER), harness.properties(OWNED))).Status).toBe('SUCCESS');
    harness.api.setAwsAuth(INCIDENT);
    harness.api.resetFaults();

    const report = await harness.run();

    expect(report?.restored).toEqual([]);
    expect(harness.api.writesTo('aws-auth')).toBe(0);
    expect(roleArnsIn(harness.api)).not.toContain(DEPLOYER.rolearn);
    expect(ownerRecord()).toMatchObject({ deleted: true, generation: 2 });
  });

  test('turning the reconcile on again records the mappings of that deploy, never the ones from before it was off', async () => {
    await deployAndSettle();
    await harness.deploys.update(OWNER, harness.unguardedProperties(OWNED), harness.properties(OWNED));
    await harness.deploys.update(OWNER, harness.unguardedProperties(NEWER), harness.unguardedProperties(OWNED));
    expect((await harness.deploys.update(OWNER, harness.properties(NEWER), harness.unguardedProperties(NEWER))).Status).toBe('SUCCESS');
    harness.api.setAwsAuth(INCIDENT);

    await harness.run();

    expect(ownerRecord()).toMatchObject({ generation: 3, mappings: NEWER });
    expect(roleArnsIn(harness.api)).toEqual([POD_EXECUTION_ROLE_MAPPING.rolearn, NODE_ROLE_MAPPING.rolearn, DEPLOYER_V2.rolearn]);
  });

  test('48 runs with nothing to do make one GET each and write neither ConfigMap', async () => {
    await deployAndSettle();
    harness.api.resetFaults();

    for (let run = 0; run < 48; run++) {
      expect((await harness.run())?.failure).toBeUndefined();
    }

    expect(harness.api.writesTo('aws-auth')).toBe(0);
    expect(harness.api.writesTo(LAST_GOOD_NAME)).toBe(0);
    // One request a run: the LIST that reads both ConfigMaps.
    expect(harness.api.requests).toHaveLength(48);
    expect(harness.api.requests.every(({ method, path }) => method === 'GET' && path === KUBE_SYSTEM_CONFIG_MAPS_PATH)).toBe(true);
  });

  test('an entry another process changed while the owner annotation stayed is written back', async () => {
    await deployAndSettle();
    const stored = harness.api.awsAuth()!;
    const roles = (yaml.load(stored.data!.mapRoles) as any[]).map((entry) => entry.rolearn === DEPLOYER.rolearn ? { ...entry, groups: ['viewers'] } : entry);
    harness.api.setAwsAuth({ ...stored, data: { ...stored.data, mapRoles: yaml.dump(roles) } });

    const report = await harness.run();

    expect(report?.restored).toEqual([{ key: 'mapRoles', identity: DEPLOYER.rolearn }]);
    expect(mappingsIn(harness.api).mapRoles).toContainEqual(DEPLOYER);
  });

  test('a run without a recorded desired state restores nothing and counts as failed', async () => {
    harness.api.resetFaults();

    const report = await harness.run();

    expect(report?.failure).toBe('no-desired-state');
    expect(harness.api.writesTo('aws-auth')).toBe(0);
    expect(harness.runs[0]).toMatchObject({ RunsFailed: 1 });
  });

  test('an event naming another cluster or owner is refused before anything is read', async () => {
    await expect(harness.run(OWNER, { clusterName: CLUSTER, ownerId: 'someone-else' })).rejects.toThrow(/reconciles owner "app\/Cluster\/AwsAuth" of cluster "prod" only/);
    expect(harness.api.requests).toHaveLength(0);
  });
});
