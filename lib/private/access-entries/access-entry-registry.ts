/** The access entries of one cluster in this app: EKS allows one entry a principal. */
export class AccessEntryRegistry {
  /** Construct path of the entry of each principal. */
  public readonly principals = new Map<string, string>();
  /** Whether some entry gives the cluster an administrator. */
  public clusterAdmin = false;
}
