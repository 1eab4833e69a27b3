// The handler asset bundles the SDK at build time (DESIGN: AWS SDK bundled); users never install it.
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

/** Temporary credentials of the role the handler acts as. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** Turns a role ARN into credentials; tests inject a fake. */
export interface RoleAssumer {
  /** Credentials of `roleArn`; `sessionName` shows up in CloudTrail and in the cluster's audit log. */
  assumeRole(roleArn: string, sessionName: string): Promise<AwsCredentials>;
}

/** What the handler assumes a role for; named in the session so audit logs say who wrote what. */
export type SessionPurpose = 'aws-auth' | 'objects';

/**
 * The role session name for one custom-resource request (`[\w+=,.@-]`, 2 to 64 characters): a fixed prefix with
 * the purpose (so audit logs say who wrote aws-auth or applied objects) and the start of the CloudFormation request
 * id (so a log line can be traced to its stack event).
 */
export function sessionNameFor(requestId: string, purpose: SessionPurpose = 'aws-auth'): string {
  const prefix = `cdk-eks-fargate-${purpose}-`;
  const suffix = requestId.replace(/[^\w+=,.@-]/g, '').slice(0, 64 - prefix.length);
  return prefix + (suffix || 'request');
}

/**
 * Assumes roles through STS with the Lambda's own credentials. The SafeAwsAuth role is what the cluster knows
 * (access entry or aws-auth mapping), so the Kubernetes token and `DescribeCluster` must be signed with it, not
 * with the execution role.
 */
export class StsRoleAssumer implements RoleAssumer {
  constructor(private readonly sts: STSClient) {}

  public async assumeRole(roleArn: string, sessionName: string): Promise<AwsCredentials> {
    const response = await this.sts.send(new AssumeRoleCommand({
      RoleArn: roleArn,
      RoleSessionName: sessionName,
      // A Lambda runs at most 15 minutes, which is also the shortest session STS grants.
      DurationSeconds: 900,
    }));
    const credentials = response.Credentials;
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) {
      throw new Error(`STS AssumeRole of ${roleArn} returned no credentials`);
    }
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
    };
  }
}
