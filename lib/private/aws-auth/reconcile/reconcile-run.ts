import { pickKubeSystemConfigMaps } from './kube-system-list';
import { EMPTY_STORE, LAST_GOOD_KEYS, LAST_GOOD_NAME, lastGoodData, LastGoodStore, readLastGood } from './last-good-store';
import { decideReconcile, describe, EntryName, UnreadableAwsAuthError } from './reconcile-decision';
import { AwsAuthState } from '../../../aws-auth-merge';
import { KubernetesRequester, KubernetesResponse } from '../../handler/kubernetes-client';
import {
  AWS_AUTH_NAMESPACE, AWS_AUTH_PATH, awsAuthStateOf, ConfigMapObject, configMapWithState, KUBE_SYSTEM_CONFIG_MAPS_PATH,
} from '../handler/aws-auth-config-map';

/** API path of the last-good ConfigMap. */
export const LAST_GOOD_PATH = `${KUBE_SYSTEM_CONFIG_MAPS_PATH}/${LAST_GOOD_NAME}`;

/** Why a run did not finish its job. */
export type ReconcileFailure = 'unreadable' | 'reconcile-role-unmapped' | 'api-error' | 'no-desired-state' | 'cannot-restore';

/** What one run did, for the log and the metrics. */
export interface ReconcileReport {
  readonly failure?: ReconcileFailure;
  /** One sentence on what happened. */
  readonly message: string;
  readonly restored: readonly EntryName[];
  readonly foreignLost: readonly EntryName[];
  readonly nodeArnsLost: readonly string[];
  readonly wroteAwsAuth: boolean;
  readonly wroteLastGood: boolean;
}

/** Who the run is for. */
export interface ReconcileTarget {
  readonly clusterName: string;
  readonly ownerId: string;
  /** The SafeAwsAuth role the run acts as; named in the lockout message. */
  readonly roleArn: string;
  /** `CONFIG_MAP` when only an aws-auth mapping lets the role in. */
  readonly authenticationMode?: string;
}

/**
 * One reconcile run: one GET (a LIST of the `kube-system` ConfigMaps, holding aws-auth and the last-good copy), then a
 * PUT of aws-auth only when an owned or adopted entry is missing or changed, and a write of the last-good ConfigMap
 * only when it changes. Both writes carry the resourceVersion each item had in the list, so anything written in
 * between (a deploy above all) wins: the run stops and the next one looks again. Nothing is retried.
 */
export async function runReconcile(
  kubernetes: KubernetesRequester, target: ReconcileTarget, log: (message: string) => void,
): Promise<ReconcileReport> {
  const nothing = { restored: [], foreignLost: [], nodeArnsLost: [], wroteAwsAuth: false, wroteLastGood: false };
  const listed = await kubernetes.request('GET', KUBE_SYSTEM_CONFIG_MAPS_PATH);
  if (listed.statusCode === 401 && target.authenticationMode === 'CONFIG_MAP') {
    return {
      ...nothing,
      failure: 'reconcile-role-unmapped',
      message: `the reconcile role is no longer mapped in aws-auth: ${target.roleArn} got 401 `
      + `from the API server of "${target.clusterName}", which only lets it in through an aws-auth mapping; restore the mapping from `
      + `kube-system/${LAST_GOOD_NAME} (key ${LAST_GOOD_KEYS.copy}), or switch the cluster to API_AND_CONFIG_MAP and give the role an access entry`,
    };
  }
  if (listed.statusCode !== 200) {
    return { ...nothing, failure: 'api-error', message: `GET ${KUBE_SYSTEM_CONFIG_MAPS_PATH} answered ${statusOf(listed)}` };
  }

  let awsAuthObject: ConfigMapObject | undefined;
  let lastGoodObject: ConfigMapObject | undefined;
  let decision;
  try {
    ({ awsAuth: awsAuthObject, lastGood: lastGoodObject } = pickKubeSystemConfigMaps(listed.body));
    const store: LastGoodStore = lastGoodObject ? readLastGood(lastGoodObject.data ?? {}) : EMPTY_STORE;
    decision = decideReconcile(target.ownerId, awsAuthObject ? awsAuthStateOf(awsAuthObject) : undefined, store);
  } catch (error) {
    // aws-auth or the store cannot be read: writing anything could only make it worse.
    const message = error instanceof UnreadableAwsAuthError ? error.message : `kube-system/${LAST_GOOD_NAME} or aws-auth is unreadable, so nothing is written: ${(error as Error).message}`;
    return { ...nothing, failure: 'unreadable', message };
  }

  const report = { restored: decision.restored, foreignLost: decision.foreignLost, nodeArnsLost: decision.nodeArnsLost };
  let wroteAwsAuth = false;
  if (decision.awsAuth) {
    const written = await writeAwsAuth(kubernetes, awsAuthObject, decision.awsAuth);
    if (written.statusCode === 409 || written.statusCode === 404) {
      return { ...nothing, message: 'aws-auth changed since it was read (a deploy or another writer): nothing written, the next run looks again' };
    }
    if (written.statusCode < 200 || written.statusCode >= 300) {
      return { ...nothing, failure: 'api-error', message: `writing aws-auth answered ${statusOf(written)}` };
    }
    wroteAwsAuth = true;
    log(`restored ${decision.restored.map(describe).join(', ')} of owner ${JSON.stringify(target.ownerId)} (desired state generation ${decision.desiredGeneration})`);
  }

  let wroteLastGood = false;
  if (decision.store) {
    const written = await writeLastGood(kubernetes, lastGoodObject, decision.store);
    if (written.statusCode === 409 || written.statusCode === 404) {
      // Another run or a deploy wrote the store; losses are counted by whoever advanced the copy.
      return { ...nothing, restored: decision.restored, wroteAwsAuth, message: `${LAST_GOOD_NAME} changed since it was read: the copy is left to the next run` };
    }
    if (written.statusCode < 200 || written.statusCode >= 300) {
      return { ...nothing, restored: decision.restored, wroteAwsAuth, failure: 'api-error', message: `writing ${LAST_GOOD_NAME} answered ${statusOf(written)}` };
    }
    wroteLastGood = true;
  }
  if (decision.foreignLost.length > 0 || decision.nodeArnsLost.length > 0) {
    log('entries of the last good aws-auth are gone and are NOT restored (they are not this library\'s): '
      + `${[...decision.foreignLost.map(describe), ...decision.nodeArnsLost.map((arn) => `system:nodes mapping of ${arn}`)].join(', ')}. `
      + `The copy from before the loss is in ConfigMap ${AWS_AUTH_NAMESPACE}/${LAST_GOOD_NAME}, key ${LAST_GOOD_KEYS.beforeLastLoss}`);
  }
  const failure = decision.problem === undefined ? undefined : decision.problem.startsWith('no desired state') ? 'no-desired-state' as const : 'cannot-restore' as const;
  const summary = decision.problem ?? (wroteAwsAuth ? 'owned entries restored' : 'every owned entry in place');
  return { ...report, failure, message: summary, wroteAwsAuth, wroteLastGood };
}

function writeAwsAuth(kubernetes: KubernetesRequester, read: ConfigMapObject | undefined, state: AwsAuthState): Promise<KubernetesResponse> {
  return read
    ? kubernetes.request('PUT', AWS_AUTH_PATH, configMapWithState(read, state))
    : kubernetes.request('POST', KUBE_SYSTEM_CONFIG_MAPS_PATH, configMapWithState(undefined, state));
}

function writeLastGood(kubernetes: KubernetesRequester, read: ConfigMapObject | undefined, store: LastGoodStore): Promise<KubernetesResponse> {
  const data = lastGoodData(store);
  return read
    ? kubernetes.request('PUT', LAST_GOOD_PATH, { ...read, data })
    : kubernetes.request('POST', KUBE_SYSTEM_CONFIG_MAPS_PATH, {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: LAST_GOOD_NAME, namespace: AWS_AUTH_NAMESPACE }, data,
    });
}

function statusOf(response: KubernetesResponse): string {
  let message = '';
  try {
    message = (JSON.parse(response.body) as { message?: string }).message ?? '';
  } catch {
    message = response.body.slice(0, 200);
  }
  return `${response.statusCode}${message ? ` (${message})` : ''}`;
}
