/** A role of this library that writes aws-auth, as the API server names its sessions. */
export interface AwsAuthWriterRole {
  readonly partition: string;
  readonly account: string;
  /** The role name without its IAM path: STS session ARNs never carry the path. */
  readonly roleName: string;
}

/**
 * The CloudWatch Logs filter pattern for EKS audit events that are completed, successful writes (create, update,
 * patch, delete) of `kube-system/aws-auth` by anyone but `writers`. The API server's username of an IAM role with an
 * access entry and no custom username is `arn:<partition>:sts::<account>:assumed-role/<role name>/<session>` (path
 * removed, as the authenticator's canonical ARN); that prefix is what excludes the library's own roles. Nobody else
 * is excluded, AWS's own writers included.
 */
export function outsideWritePattern(writers: readonly AwsAuthWriterRole[]): string {
  const conditions = [
    '$.objectRef.resource = "configmaps"',
    '$.objectRef.namespace = "kube-system"',
    '$.objectRef.name = "aws-auth"',
    '$.stage = "ResponseComplete"',
    '$.verb = "create" || $.verb = "update" || $.verb = "patch" || $.verb = "delete"',
    '$.responseStatus.code >= 200',
    '$.responseStatus.code < 300',
    ...writers.map((writer) => `$.user.username != "${writerUsernamePrefix(writer)}*"`),
  ];
  return `{ ${conditions.map((condition) => `(${condition})`).join(' && ')} }`;
}

/** `arn:<partition>:sts::<account>:assumed-role/<role name>/`: how the API server names the role's sessions. */
export function writerUsernamePrefix(writer: AwsAuthWriterRole): string {
  return `arn:${writer.partition}:sts::${writer.account}:assumed-role/${writer.roleName}/`;
}

/** CloudWatch Logs limits a filter pattern to 1,024 characters; each excluded role takes up to this many. */
export const MAX_WRITER_CONDITION_LENGTH = '($.user.username != "arn:aws-us-gov:sts::123456789012:assumed-role//*") && '.length + 64;

/** How many writer roles always fit in the 1,024 characters, whatever their names. */
export const MAX_EXCLUDED_WRITERS = Math.floor((1024 - outsideWritePattern([]).length) / MAX_WRITER_CONDITION_LENGTH);
