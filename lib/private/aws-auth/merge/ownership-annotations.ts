import { goToLower } from './eks-reader';
import { MAPPING_KINDS, MappingKind } from './mapping-entries';
import { shortHash } from '../../shared/short-hash';

/** Annotation key of one owner's record: the prefix and the first 16 hex digits of sha256(ownerId). */
export const OWNER_ANNOTATION_PREFIX = 'cdk-eks-fargate.io/owner.';

/**
 * Annotation listing the owned entries that existed, identical, before any owner took them. It belongs to the
 * entry, not to an owner: when the adopting owner leaves and another one still holds the entry, the next owner to
 * leave must still know to keep it.
 */
export const PRE_EXISTING_ANNOTATION = 'cdk-eks-fargate.io/pre-existing';

/** Kubernetes' limit on the total size of an object's annotations (keys plus values, in bytes). */
export const ANNOTATIONS_SIZE_LIMIT = 256 * 1024;

// Bumped when the record format changes, so an older handler refuses a record it would misread.
const RECORD_VERSION = 1;

/** Identities per data key as EKS tells entries apart: lower-cased ARNs and account ids. */
export type Holdings = { readonly [kind in MappingKind]: ReadonlySet<string> };

/** What one owner holds, read from its annotation. */
export interface OwnerRecord {
  readonly ownerId: string;
  readonly holdings: Holdings;
}

/** Every owner record and the pre-existing list, read from a ConfigMap's annotations. */
export interface Ownership {
  /** Owner records by annotation key. */
  readonly owners: ReadonlyMap<string, OwnerRecord>;
  /** Entries that existed before any owner took them. */
  readonly preExisting: Holdings;
  /** Our annotations that could not be read, each with the reason. */
  readonly unreadable: ReadonlyMap<string, string>;
}

/** The annotation key that holds an owner's record. */
export function ownerAnnotationKey(ownerId: string): string {
  return OWNER_ANNOTATION_PREFIX + shortHash(ownerId, 16);
}

/** Holdings with nothing in them. */
export function emptyHoldings(): Holdings {
  return { mapRoles: new Set(), mapUsers: new Set(), mapAccounts: new Set() };
}

/** Reads the owner records and the pre-existing list; unreadable ones are reported, never guessed at. */
export function readOwnership(annotations: { readonly [key: string]: unknown }): Ownership {
  const owners = new Map<string, OwnerRecord>();
  const unreadable = new Map<string, string>();
  let preExisting = emptyHoldings();
  for (const [key, value] of Object.entries(annotations)) {
    try {
      if ((key.startsWith(OWNER_ANNOTATION_PREFIX) || key === PRE_EXISTING_ANNOTATION) && typeof value !== 'string') {
        throw new Error(`it is not a string, found ${value === null ? 'null' : typeof value}`);
      }
      if (key.startsWith(OWNER_ANNOTATION_PREFIX)) {
        owners.set(key, readOwnerRecord(key, value as string));
      } else if (key === PRE_EXISTING_ANNOTATION) {
        preExisting = readHoldings(parseRecordJson(value as string));
      }
    } catch (error) {
      unreadable.set(key, (error as Error).message);
    }
  }
  return { owners, preExisting, unreadable };
}

/** The annotation value for an owner's record, or `undefined` when it holds nothing (the record goes). */
export function formatOwnerRecord(ownerId: string, holdings: Holdings): string | undefined {
  return formatRecord({ version: RECORD_VERSION, ownerId }, holdings);
}

/** The pre-existing annotation value, or `undefined` when the list is empty (the annotation goes). */
export function formatPreExisting(holdings: Holdings): string | undefined {
  return formatRecord({ version: RECORD_VERSION }, holdings);
}

/** Total annotation size as Kubernetes counts it: UTF-8 bytes of every key and value. */
export function annotationsSize(annotations: { readonly [key: string]: unknown }): number {
  let size = 0;
  for (const [key, value] of Object.entries(annotations)) {
    size += Buffer.byteLength(key, 'utf8') + Buffer.byteLength(typeof value === 'string' ? value : String(JSON.stringify(value)), 'utf8');
  }
  return size;
}

function formatRecord(header: { readonly [field: string]: unknown }, holdings: Holdings): string | undefined {
  const record: { [field: string]: unknown } = { ...header };
  let empty = true;
  for (const kind of MAPPING_KINDS) {
    if (holdings[kind].size > 0) {
      // Sorted so the record depends on what is held, not on the order it was asked for.
      record[kind] = [...holdings[kind]].sort();
      empty = false;
    }
  }
  return empty ? undefined : JSON.stringify(record);
}

function readOwnerRecord(key: string, value: string): OwnerRecord {
  const record = parseRecordJson(value);
  const ownerId = record.ownerId;
  if (typeof ownerId !== 'string' || ownerId === '') {
    throw new Error('it has no `ownerId` string');
  }
  if (ownerAnnotationKey(ownerId) !== key) {
    throw new Error(`its ownerId ${JSON.stringify(ownerId)} does not hash to the key`);
  }
  return { ownerId, holdings: readHoldings(record) };
}

function parseRecordJson(value: string): { readonly [field: string]: unknown } {
  let record: unknown;
  try {
    record = JSON.parse(value);
  } catch {
    throw new Error('it is not JSON');
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw new Error('it is not a JSON object');
  }
  const version = (record as { readonly version?: unknown }).version;
  if (version !== RECORD_VERSION) {
    throw new Error(`it has version ${JSON.stringify(version)}; this library reads version ${RECORD_VERSION}`);
  }
  return record as { readonly [field: string]: unknown };
}

function readHoldings(record: { readonly [field: string]: unknown }): Holdings {
  const read = (kind: MappingKind): ReadonlySet<string> => {
    const identities = record[kind] ?? [];
    if (!Array.isArray(identities) || identities.some((identity) => typeof identity !== 'string' || identity === '')) {
      throw new Error(`its \`${kind}\` is not a list of non-empty strings`);
    }
    // Records written before identities were lower-cased name ARNs as written; EKS ignores their case.
    return new Set((identities as string[]).map((identity) => (kind === 'mapAccounts' ? identity : goToLower(identity))));
  };
  return { mapRoles: read('mapRoles'), mapUsers: read('mapUsers'), mapAccounts: read('mapAccounts') };
}
