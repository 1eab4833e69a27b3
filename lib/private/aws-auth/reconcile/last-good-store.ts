import type { AwsAuthMappings, AwsAuthState } from '../../../aws-auth-merge';
import { isPlainObject } from '../../shared/plain-objects';
import { shortHash } from '../../shared/short-hash';

/**
 * Name of the ConfigMap in `kube-system` that keeps the last good aws-auth and each owner's desired state. It sits
 * beside aws-auth so an operator finds it with the same kubectl access, and the SafeAwsAuth role's rights in
 * `kube-system` already cover it.
 */
export const LAST_GOOD_NAME = 'cdk-eks-fargate-aws-auth-last-good';

/** Data keys of the last-good ConfigMap. The copies are complete ConfigMap manifests, ready for `kubectl replace -f`. */
export const LAST_GOOD_KEYS = {
  copy: 'aws-auth.json',
  previous: 'aws-auth.previous.json',
  beforeLastLoss: 'aws-auth.before-last-loss.json',
  generation: 'generation',
} as const;

const OWNER_KEY_PREFIX = 'owner.';
const OWNER_KEY_SUFFIX = '.json';
const RECORD_VERSION = 1;

/**
 * What one owner wants in aws-auth, written by its custom resource at deploy, before aws-auth itself. `generation`
 * grows with every deploy of the owner; a tombstone (`deleted`) is left by the owner's Delete so a late reconcile
 * restores nothing.
 */
export interface OwnerDesiredState {
  readonly ownerId: string;
  readonly generation: number;
  readonly mappings?: AwsAuthMappings;
  readonly deleted?: boolean;
}

/** The last-good ConfigMap's contents. */
export interface LastGoodStore {
  /** The last readable aws-auth (data and annotations), the one before it, and the one before the last loss. */
  readonly copy?: AwsAuthState;
  readonly previous?: AwsAuthState;
  readonly beforeLastLoss?: AwsAuthState;
  /** Counts the copies taken. */
  readonly generation: number;
  /** Desired state by owner key. */
  readonly owners: { readonly [ownerKey: string]: OwnerDesiredState };
}

/** An empty store: no copy yet and no owner recorded. */
export const EMPTY_STORE: LastGoodStore = { generation: 0, owners: {} };

/** The data key of an owner's desired state: a hash, since owner ids may hold characters data keys refuse. */
export function ownerKeyOf(ownerId: string): string {
  return OWNER_KEY_PREFIX + shortHash(ownerId, 16) + OWNER_KEY_SUFFIX;
}

/** Reads the store from the ConfigMap's data; throws naming the key that is not what this library wrote. */
export function readLastGood(data: { readonly [key: string]: string }): LastGoodStore {
  const owners: { [key: string]: OwnerDesiredState } = {};
  for (const [key, value] of Object.entries(data)) {
    if (key.startsWith(OWNER_KEY_PREFIX) && key.endsWith(OWNER_KEY_SUFFIX)) {
      owners[key] = readOwnerRecord(key, value);
    }
  }
  const generationText = data[LAST_GOOD_KEYS.generation];
  const generation = generationText === undefined ? 0 : Number(generationText);
  if (!Number.isSafeInteger(generation) || generation < 0) {
    throw new Error(`${LAST_GOOD_NAME} key \`${LAST_GOOD_KEYS.generation}\` is not a whole number: ${JSON.stringify(generationText)}`);
  }
  return {
    copy: readCopy(data, LAST_GOOD_KEYS.copy),
    previous: readCopy(data, LAST_GOOD_KEYS.previous),
    beforeLastLoss: readCopy(data, LAST_GOOD_KEYS.beforeLastLoss),
    generation,
    owners,
  };
}

/** The ConfigMap data for a store; keys with nothing to hold are left out. */
export function lastGoodData(store: LastGoodStore): { [key: string]: string } {
  const data: { [key: string]: string } = { [LAST_GOOD_KEYS.generation]: String(store.generation) };
  const copies: Array<[string, AwsAuthState | undefined]> = [
    [LAST_GOOD_KEYS.copy, store.copy], [LAST_GOOD_KEYS.previous, store.previous], [LAST_GOOD_KEYS.beforeLastLoss, store.beforeLastLoss],
  ];
  for (const [key, copy] of copies) {
    if (copy) {
      data[key] = stableJson(awsAuthManifest(copy));
    }
  }
  for (const [key, record] of Object.entries(store.owners)) {
    data[key] = stableJson({ version: RECORD_VERSION, ...record });
  }
  return data;
}

/** The store after a deploy of `ownerId` that wants `mappings`: its generation grows by one. */
export function withDesiredState(store: LastGoodStore, ownerId: string, mappings: AwsAuthMappings): LastGoodStore {
  return withOwner(store, ownerId, { mappings });
}

/** The store after the owner's Delete: a tombstone with a higher generation than any desired state before it. */
export function withTombstone(store: LastGoodStore, ownerId: string): LastGoodStore {
  return withOwner(store, ownerId, { deleted: true });
}

/** A ConfigMap manifest of a copy, so `kubectl replace -f` (or `create -f` when aws-auth is gone) restores it. */
export function awsAuthManifest(copy: AwsAuthState): object {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'aws-auth', namespace: 'kube-system', ...(copy.annotations && Object.keys(copy.annotations).length > 0 ? { annotations: copy.annotations } : {}) },
    data: copy.data,
  };
}

function withOwner(store: LastGoodStore, ownerId: string, content: { mappings?: AwsAuthMappings; deleted?: boolean }): LastGoodStore {
  const key = ownerKeyOf(ownerId);
  const previous = store.owners[key];
  if (previous && previous.ownerId !== ownerId) {
    throw new Error(`${LAST_GOOD_NAME} key \`${key}\` belongs to owner ${JSON.stringify(previous.ownerId)}, whose id has the same hash as `
      + `${JSON.stringify(ownerId)}; use another ownerId`);
  }
  const record: OwnerDesiredState = { ownerId, generation: (previous?.generation ?? 0) + 1, ...content };
  return { ...store, owners: { ...store.owners, [key]: record } };
}

function readOwnerRecord(key: string, value: string): OwnerDesiredState {
  const record = parseObject(key, value);
  const { ownerId, generation, mappings, deleted } = record;
  if (record.version !== RECORD_VERSION || typeof ownerId !== 'string' || ownerKeyOf(ownerId) !== key
    || typeof generation !== 'number' || !Number.isSafeInteger(generation)
    || (deleted !== undefined && deleted !== true)
    || (deleted !== true && (typeof mappings !== 'object' || mappings === null || Array.isArray(mappings)))) {
    throw new Error(`${LAST_GOOD_NAME} key \`${key}\` is not an owner record of version ${RECORD_VERSION} `
      + '({ version, ownerId hashing to the key, generation, mappings or deleted })');
  }
  return deleted ? { ownerId, generation, deleted: true } : { ownerId, generation, mappings: mappings as AwsAuthMappings };
}

function readCopy(data: { readonly [key: string]: string }, key: string): AwsAuthState | undefined {
  const text = data[key];
  if (text === undefined) {
    return undefined;
  }
  const manifest = parseObject(key, text);
  const copyData = manifest.data ?? {};
  const metadata = (manifest.metadata ?? {}) as { annotations?: unknown };
  if (!isStringMap(copyData) || (metadata.annotations !== undefined && !isStringMap(metadata.annotations))) {
    throw new Error(`${LAST_GOOD_NAME} key \`${key}\` is not a ConfigMap manifest with string data and annotations`);
  }
  return metadata.annotations === undefined ? { data: { ...copyData } } : { data: { ...copyData }, annotations: { ...metadata.annotations } };
}

function parseObject(key: string, text: string): { [field: string]: unknown } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${LAST_GOOD_NAME} key \`${key}\` is not JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${LAST_GOOD_NAME} key \`${key}\` is not a JSON object`);
  }
  return parsed as { [field: string]: unknown };
}

function isStringMap(value: unknown): value is { [key: string]: string } {
  return isPlainObject(value) && Object.values(value).every((v) => typeof v === 'string');
}

/** JSON with object keys sorted, so equal contents give equal text and an unchanged store is never rewritten. */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), undefined, 2);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(sortKeys);
  }
  if (value && typeof value === 'object') {
    // fromEntries defines properties, so a key such as `__proto__` stays a key.
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys((value as { [key: string]: unknown })[key])]));
  }
  return value;
}
