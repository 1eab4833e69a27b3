import { shortHash } from '../shared/short-hash';

/** EKS limit on Fargate profile names. */
export const MAX_PROFILE_NAME_LENGTH = 100;
/** Length of the hash suffix that ties a profile name to its immutable fields. */
const HASH_LENGTH = 8;
/** The prefix length left once `-<hash>` is appended. */
export const MAX_PROFILE_NAME_PREFIX_LENGTH = MAX_PROFILE_NAME_LENGTH - HASH_LENGTH - 1;

/**
 * Turns a construct path into a profile name prefix: `[0-9A-Za-z_-]` only, starting with an alphanumeric, never
 * `eks-` (reserved by EKS), short enough for the hash suffix.
 */
export function profileNamePrefixFromPath(pathSegments: readonly string[]): string {
  const joined = pathSegments
    .map(segment => segment.replace(/[^0-9A-Za-z_-]/g, ''))
    .filter(segment => segment.length > 0)
    .join('-')
    .replace(/^[^0-9A-Za-z]+/, '');
  const prefix = joined.length > 0 ? joined : 'fargate';
  const safe = /^eks-/i.test(prefix) ? `fp-${prefix}` : prefix;
  return safe.slice(0, MAX_PROFILE_NAME_PREFIX_LENGTH).replace(/[-_]+$/, '');
}

/**
 * Names a profile from its prefix and its immutable fields (selectors, subnets, role), given in a resolved,
 * token-free form so the name is identical on every synth and changes exactly when EKS would replace the profile.
 */
export function profileName(prefix: string, immutableFields: unknown): string {
  const hash = shortHash(JSON.stringify(immutableFields), HASH_LENGTH);
  return `${prefix}-${hash}`;
}
