import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * Lets `principal` assume `role` through the role's trust policy, when the role is one of this app; a role made
 * elsewhere (imported by ARN) must trust the principal already, which its owner arranges.
 */
export function trustIfOwned(role: iam.IRole, principal: iam.IRole): void {
  if (role instanceof iam.Role) {
    role.assumeRolePolicy?.addStatements(new iam.PolicyStatement({
      actions: ['sts:AssumeRole'],
      principals: [new iam.ArnPrincipal(principal.roleArn)],
    }));
  }
}
