/** One IAM principal as a Kubernetes identity. */
export interface PrincipalMapping {
  readonly arn: string;
  readonly groups: readonly string[];
  readonly username?: string;
}

/** Where `SafeAwsAuth` puts mappings: access entries or the aws-auth merge. */
export interface MappingBackend {
  addRole(mapping: PrincipalMapping): void;
  addUser(mapping: PrincipalMapping): void;
  addAccount(accountId: string): void;
}
