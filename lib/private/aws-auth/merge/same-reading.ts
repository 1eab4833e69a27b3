import { DecodedRole, DecodedUser, SsoMatcher } from './eks-decode';
import { ReadEntry } from './eks-reader';

/** One entry as the model reads it: a decoded mapping, or an account's text (`null`: an item EKS skips). */
export type ReadItem = ReadEntry<DecodedRole | DecodedUser> | string | null;

/**
 * Whether two readings of an entry are the same for EKS: validity, error, identity and every decoded field
 * (groups item by item). Compares the fields directly, as the check runs on every entry of a key.
 */
export function sameReading(left: ReadItem, right: ReadItem): boolean {
  if (left === null || right === null || typeof left === 'string' || typeof right === 'string') {
    return left === right;
  }
  return left.valid === right.valid && left.error === right.error && left.identity === right.identity
    && sameDecoded(left.mapping, right.mapping);
}

function sameDecoded(left: DecodedRole | DecodedUser, right: DecodedRole | DecodedUser): boolean {
  const role = (mapping: DecodedRole | DecodedUser) => ('rolearn' in mapping ? mapping : undefined);
  const user = (mapping: DecodedRole | DecodedUser) => ('userarn' in mapping ? mapping : undefined);
  return role(left)?.rolearn === role(right)?.rolearn && user(left)?.userarn === user(right)?.userarn
    && sameSso(role(left)?.sso, role(right)?.sso)
    && left.username === right.username && left.userid === right.userid && sameGroups(left.groups, right.groups);
}

function sameSso(left: SsoMatcher | undefined, right: SsoMatcher | undefined): boolean {
  if (left === undefined || right === undefined) {
    return left === right;
  }
  return left.permissionSetName === right.permissionSetName && left.accountID === right.accountID && left.partition === right.partition;
}

function sameGroups(left: readonly string[] | null, right: readonly string[] | null): boolean {
  if (left === null || right === null) {
    return left === right;
  }
  if (left.length !== right.length) {
    return false;
  }
  for (let index = 0; index < left.length; index++) {
    if (left[index] !== right[index]) {
      return false;
    }
  }
  return true;
}
