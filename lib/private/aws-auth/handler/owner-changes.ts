import { AwsAuthChange } from './aws-auth-writer';
import { AwsAuthMappings, AwsAuthMerge } from '../../../aws-auth-merge';
import { replaceOwner } from '../merge/merge-state';

/** Create, and Update with the same owner: the owner holds exactly `mappings` afterwards. */
export function applyOwnerChange(ownerId: string, mappings: AwsAuthMappings): AwsAuthChange {
  return (current) => AwsAuthMerge.applyOwner(current, ownerId, mappings);
}

/** Delete: the owner's entries go unless another owner holds them or they existed before any owner. */
export function removeOwnerChange(ownerId: string): AwsAuthChange {
  return (current) => AwsAuthMerge.removeOwner(current, ownerId);
}

/**
 * Update that renames the owner (the default owner id changing included): the previous owner's record moves to the
 * new id and the new owner applies its mappings, in the same write, so no reader ever sees the entries missing and
 * the entries keep their place. The `system:nodes` guard is checked against what was read.
 */
export function replaceOwnerChange(previousOwnerId: string, ownerId: string, mappings: AwsAuthMappings): AwsAuthChange {
  if (previousOwnerId === ownerId) {
    return applyOwnerChange(ownerId, mappings);
  }
  return (current) => replaceOwner(current, previousOwnerId, ownerId, mappings);
}
