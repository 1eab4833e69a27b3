import { LAST_GOOD_NAME } from './last-good-store';
import { isPlainObject } from '../../shared/plain-objects';
import { AWS_AUTH_NAME, ConfigMapObject, KUBE_SYSTEM_CONFIG_MAPS_PATH, parseGetResponse } from '../handler/aws-auth-config-map';

/** aws-auth and the last-good ConfigMap as one LIST of `kube-system` ConfigMaps returned them; absent ones are undefined. */
export interface KubeSystemConfigMaps {
  readonly awsAuth?: ConfigMapObject;
  readonly lastGood?: ConfigMapObject;
}

/**
 * Picks aws-auth and the last-good ConfigMap out of a `ConfigMapList` body. One LIST reads both at the same
 * resourceVersion of the API server (two GETs could straddle a deploy), and each item keeps its own
 * `metadata.resourceVersion` for the conditional writes. List items carry no `apiVersion`/`kind`; they are put back so
 * a write sends a complete object.
 */
export function pickKubeSystemConfigMaps(body: string): KubeSystemConfigMaps {
  const items = (parseGetResponse(KUBE_SYSTEM_CONFIG_MAPS_PATH, body) as { items?: unknown } | null)?.items;
  if (!Array.isArray(items)) {
    throw new Error(`The Kubernetes API answered GET ${KUBE_SYSTEM_CONFIG_MAPS_PATH} with something that is not a ConfigMapList`);
  }
  const named = (name: string): ConfigMapObject | undefined => {
    const item = items.find((candidate) => isConfigMap(candidate) && candidate.metadata.name === name) as ConfigMapObject | undefined;
    return item ? { apiVersion: 'v1', kind: 'ConfigMap', ...item } : undefined;
  };
  return { awsAuth: named(AWS_AUTH_NAME), lastGood: named(LAST_GOOD_NAME) };
}

function isConfigMap(value: unknown): value is ConfigMapObject {
  return isPlainObject((value as { metadata?: unknown } | null)?.metadata);
}
