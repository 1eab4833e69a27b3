import { isNodeMapping, NODE_GROUPS, NODE_PROXIER_GROUP } from '../shared/kubernetes-groups';
/** An aws-auth style mapping translated into what an EKS access entry can express. */
export interface AccessEntryTranslation {
  readonly type: 'STANDARD' | 'EC2_LINUX';
  /** Whether the entry needs AmazonEKSClusterAdminPolicy (what `system:masters` meant in aws-auth). */
  readonly clusterAdmin: boolean;
  readonly kubernetesGroups: string[];
  /** EC2_LINUX entries take no username: EKS fixes it to the node name. */
  readonly username?: string;
}

const RESERVED_USERNAME = /^(system|eks|aws|amazon|iam):/;
/** Groups EKS adds itself to node entries; harmless to name in a mapping, not expressible as kubernetesGroups. */
const IMPLIED_NODE_GROUPS = [...NODE_GROUPS, NODE_PROXIER_GROUP];

/**
 * Translates the groups of an aws-auth mapping into an access entry, or explains why EKS would reject it:
 * access entries refuse `system:` groups, which aws-auth used for admins and nodes.
 */
export function translateToAccessEntry(principalArn: string, groups: readonly string[], username?: string): AccessEntryTranslation {
  const isNode = isNodeMapping(groups);
  if (isNode) {
    const extra = groups.filter(group => !IMPLIED_NODE_GROUPS.includes(group));
    if (extra.length > 0) {
      throw new Error(`mapping of ${principalArn} joins node groups with ${extra.join(', ')}; an EC2_LINUX access entry takes no other `
        + 'groups. Map the node role with only system:bootstrappers and system:nodes, and give the other groups to another principal.');
    }
    return { type: 'EC2_LINUX', clusterAdmin: false, kubernetesGroups: [] };
  }
  const clusterAdmin = groups.includes('system:masters');
  const systemGroups = groups.filter(group => group.startsWith('system:') && group !== 'system:masters');
  if (systemGroups.length > 0) {
    throw new Error(`mapping of ${principalArn} has group(s) ${systemGroups.join(', ')}; EKS access entries reject Kubernetes groups that `
      + 'start with `system:` (only system:masters, translated to AmazonEKSClusterAdminPolicy, and the node pair system:bootstrappers + '
      + 'system:nodes, translated to an EC2_LINUX entry, have equivalents). Bind a group of your own with RBAC instead, or use '
      + '`backend: AwsAuthBackend.CONFIG_MAP`.');
  }
  if (username !== undefined && RESERVED_USERNAME.test(username)) {
    throw new Error(`mapping of ${principalArn} has username '${username}'; EKS access entries reject usernames that start with system:, `
      + 'eks:, aws:, amazon: or iam:. Leave `username` out (EKS uses the principal ARN) or choose another.');
  }
  return {
    type: 'STANDARD',
    clusterAdmin,
    kubernetesGroups: groups.filter(group => group !== 'system:masters'),
    username,
  };
}
