/** One IAM principal as a Kubernetes identity. */
export interface PrincipalMapping {
  readonly arn: string;
  readonly groups: readonly string[];
  readonly username?: string;
  /** How messages name the principal: the construct path when the ARN is only known at deploy time. */
  readonly display?: string;
}

/** Where `SafeAwsAuth` puts mappings: access entries or the aws-auth merge. */
export interface MappingBackend {
  addRole(mapping: PrincipalMapping): void;
  addUser(mapping: PrincipalMapping): void;
  addAccount(accountId: string): void;
}
