/**
 * What kept a request from succeeding until the deadline: the API refused the role (401/403), the API server kept
 * failing (5xx, 429, a webhook not serving, a body cut short), or no answer came at all.
 */
export type RetriedProblem = 'access-denied' | 'server' | 'network';

/** A request whose answers kept being ones a retry might fix until the deadline. */
export class RetriesExhaustedError extends Error {
  constructor(message: string, public readonly problem: RetriedProblem, public readonly lastStatus: number | undefined) {
    super(message);
    this.name = 'RetriesExhaustedError';
  }

  /** The reason with its fix, for a request made as `roleArn`. */
  public explain(roleArn: string): string {
    switch (this.problem) {
      case 'access-denied':
        return `the Kubernetes API refused role ${roleArn} (${this.message}). ${this.lastStatus === 401
          ? 'HTTP 401 means the cluster does not know the role: it needs an EKS access entry with AmazonEKSClusterAdminPolicy '
            + '(KubernetesObjects creates it with the cluster\'s objects role; an entry takes a minute to propagate, so check that it exists)'
          : 'HTTP 403 means the role is known but not allowed: its access entry needs AmazonEKSClusterAdminPolicy, or its groups need RBAC '
            + 'get, patch and delete on these objects'}`;
      case 'network':
        return `the API server could not be reached (${this.message}). If the cluster endpoint is private or CIDR-restricted, the handler `
          + 'must run in the cluster VPC with routes to it and to STS';
      case 'server':
        return `the API server kept failing (${this.message})`;
    }
  }
}

/** The cluster stopped answering and EKS says it no longer exists: nothing is left to delete. */
export class ClusterGoneError extends Error {
  constructor(clusterName: string) {
    super(`EKS cluster "${clusterName}" does not exist (DescribeCluster: ResourceNotFoundException)`);
    this.name = 'ClusterGoneError';
  }
}
