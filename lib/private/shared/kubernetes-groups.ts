/** The Kubernetes groups EKS gives nodes and Fargate pods' kubelets (access entries and aws-auth alike). */
export const NODES_GROUP = 'system:nodes';
export const BOOTSTRAPPERS_GROUP = 'system:bootstrappers';
export const NODE_PROXIER_GROUP = 'system:node-proxier';

/** The groups of every node mapping: a mapping with both is a node (or Fargate pod execution) role. */
export const NODE_GROUPS: readonly string[] = [BOOTSTRAPPERS_GROUP, NODES_GROUP];

/** Whether a mapping's groups let its role act as a node (`system:nodes`): what nodes need to stay Ready. */
export function mapsToNodes(groups: readonly string[] | undefined): boolean {
  return (groups ?? []).includes(NODES_GROUP);
}

/** Whether groups are those of a node mapping (both `system:bootstrappers` and `system:nodes`). */
export function isNodeMapping(groups: readonly string[]): boolean {
  return NODE_GROUPS.every((group) => groups.includes(group));
}
