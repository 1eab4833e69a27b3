import { AwsAuthChange } from './aws-auth-writer';
import { AwsAuthMappings, AwsAuthMerge, AwsAuthState } from '../../../aws-auth-merge';

const NODES_GROUP = 'system:nodes';

/** Create, and Update with the same owner: the owner holds exactly `mappings` afterwards. */
export function applyOwnerChange(ownerId: string, mappings: AwsAuthMappings): AwsAuthChange {
  return (current) => AwsAuthMerge.applyOwner(current, ownerId, mappings);
}

/** Delete: the owner's entries go unless another owner holds them or they existed before any owner. */
export function removeOwnerChange(ownerId: string): AwsAuthChange {
  return (current) => AwsAuthMerge.removeOwner(current, ownerId);
}

/**
 * Update that renames the owner: the previous owner leaves and the new one applies its mappings in the same write,
 * so no reader ever sees the entries missing. The previous owner leaves first, so a mapping that changes together
 * with the owner id is not a conflict with itself.
 *
 * `applyOwner` refuses to drop the last `system:nodes` mapping only relative to its input, which here is already
 * without the previous owner; the guard is therefore checked again against what was read.
 */
export function replaceOwnerChange(previousOwnerId: string, ownerId: string, mappings: AwsAuthMappings): AwsAuthChange {
  if (previousOwnerId === ownerId) {
    return applyOwnerChange(ownerId, mappings);
  }
  return (current) => {
    const next = AwsAuthMerge.applyOwner(AwsAuthMerge.removeOwner(current, previousOwnerId), ownerId, mappings);
    if (hasNodesMapping(current) && !hasNodesMapping(next)) {
      throw new Error(`Renaming owner "${previousOwnerId}" to "${ownerId}" would remove the last aws-auth mapping to the `
        + `\`${NODES_GROUP}\` group, which stops nodes from joining the cluster; keep that mapping in the new owner's mappings`);
    }
    return next;
  };
}

function hasNodesMapping(state: AwsAuthState): boolean {
  const mappings = AwsAuthMerge.parse(state);
  return [...(mappings.mapRoles ?? []), ...(mappings.mapUsers ?? [])].some((entry) => entry.groups?.includes(NODES_GROUP));
}
