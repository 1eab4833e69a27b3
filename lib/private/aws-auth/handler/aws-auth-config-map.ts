import { AwsAuthState } from '../../../aws-auth-merge';

/** Namespace of the ConfigMap that aws-iam-authenticator reads. */
export const AWS_AUTH_NAMESPACE = 'kube-system';
/** Name of that ConfigMap. */
export const AWS_AUTH_NAME = 'aws-auth';
/** API path of `kube-system/aws-auth` (GET and PUT). */
export const AWS_AUTH_PATH = `/api/v1/namespaces/${AWS_AUTH_NAMESPACE}/configmaps/${AWS_AUTH_NAME}`;
/** API path that creates ConfigMaps in `kube-system` (POST). */
export const KUBE_SYSTEM_CONFIG_MAPS_PATH = `/api/v1/namespaces/${AWS_AUTH_NAMESPACE}/configmaps`;

/** The parts of ConfigMap metadata the handler reads; everything else is carried through untouched. */
export interface ConfigMapMetadata {
  readonly name?: string;
  readonly namespace?: string;
  readonly resourceVersion?: string;
  readonly annotations?: { [key: string]: string };
  readonly labels?: { [key: string]: string };
  readonly [field: string]: unknown;
}

/** A ConfigMap as the API returns it. Unknown fields (binaryData, managedFields, …) are kept on write. */
export interface ConfigMapObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: ConfigMapMetadata;
  readonly data?: { [key: string]: string };
  readonly [field: string]: unknown;
}

/** The merge engine's view of a ConfigMap; an absent ConfigMap is an empty one. */
export function awsAuthStateOf(configMap: ConfigMapObject | undefined): AwsAuthState {
  return {
    data: { ...(configMap?.data ?? {}) },
    annotations: { ...(configMap?.metadata.annotations ?? {}) },
  };
}

/**
 * The object to write for a merged state: the ConfigMap exactly as read (labels, other annotations, binaryData,
 * and the read `resourceVersion`, which makes the API refuse the write if anyone wrote in between) with `data`
 * and annotations replaced. A new ConfigMap when none was read.
 */
export function configMapWithState(read: ConfigMapObject | undefined, state: AwsAuthState, name = AWS_AUTH_NAME): ConfigMapObject {
  if (!read) {
    return {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: AWS_AUTH_NAMESPACE, annotations: { ...(state.annotations ?? {}) } },
      data: { ...state.data },
    };
  }
  return {
    ...read,
    metadata: { ...read.metadata, annotations: { ...(state.annotations ?? {}) } },
    data: { ...state.data },
  };
}

/** Whether two states would write the same ConfigMap (key order does not matter to Kubernetes). */
export function sameAwsAuthState(a: AwsAuthState, b: AwsAuthState): boolean {
  return sameStringMap(a.data, b.data) && sameStringMap(a.annotations ?? {}, b.annotations ?? {});
}

function sameStringMap(a: { [key: string]: string }, b: { [key: string]: string }): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && a[key] === b[key]);
}

/** Parses the JSON body the API answered `GET path` with, naming the request instead of throwing a bare SyntaxError. */
export function parseGetResponse(path: string, body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new Error(`The Kubernetes API answered GET ${path} with a body that is not JSON: ${(error as Error).message}`);
  }
}

/** Parses a ConfigMap from a response body, naming what was wrong instead of throwing a bare SyntaxError. */
export function parseConfigMap(body: string): ConfigMapObject {
  const candidate = parseGetResponse(AWS_AUTH_PATH, body) as Partial<ConfigMapObject> | null;
  if (!candidate || typeof candidate !== 'object' || !candidate.metadata || typeof candidate.metadata !== 'object') {
    throw new Error(`The Kubernetes API answered GET ${AWS_AUTH_PATH} with something that is not a ConfigMap`);
  }
  return candidate as ConfigMapObject;
}
