import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

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

/**
 * How messages name a principal: its ARN when known at synth, else its construct path (a token would print as
 * `${Token[...]}`, which tells the user nothing).
 */
export function principalName(principal: IConstruct, arn: string): string {
  return Token.isUnresolved(arn) ? principal.node.path : arn;
}

/** How messages name a mapping's principal. */
export function displayOf(mapping: PrincipalMapping): string {
  return mapping.display ?? mapping.arn;
}
