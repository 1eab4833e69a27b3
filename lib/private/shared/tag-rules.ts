/**
 * Tag rules of the CloudFormation resource schemas (as aws-cdk-lib's built-in validator ships them), per resource
 * type this library creates. Pure. A test reads the limits back from the validator, so the table cannot drift from
 * the schemas silently.
 */

/** Length limits of one resource type's tags; absent fields mean its schema sets no such limit. */
export interface TagLimit {
  readonly maxKeyLength?: number;
  /** 1 where the schema requires a non-empty value. */
  readonly minValueLength?: number;
  readonly maxValueLength?: number;
}

const IAM_STYLE: TagLimit = { maxKeyLength: 128, maxValueLength: 256 };
const IAM_STYLE_NON_EMPTY: TagLimit = { maxKeyLength: 128, minValueLength: 1, maxValueLength: 256 };
const EKS_PROFILE_STYLE: TagLimit = { maxKeyLength: 127, minValueLength: 1, maxValueLength: 255 };
/** EC2 and EFS file system schemas set no tag lengths (the services check at deploy time). */
const NO_LENGTH_LIMITS: TagLimit = {};

/** Every taggable resource type the library creates, with its schema's tag limits. */
export const SCHEMA_TAG_LIMITS: { readonly [resourceType: string]: TagLimit } = {
  'AWS::EKS::FargateProfile': EKS_PROFILE_STYLE,
  'AWS::EKS::Addon': EKS_PROFILE_STYLE,
  'AWS::EKS::Cluster': IAM_STYLE,
  'AWS::EKS::AccessEntry': IAM_STYLE,
  'AWS::IAM::Role': IAM_STYLE,
  'AWS::IAM::OIDCProvider': IAM_STYLE_NON_EMPTY,
  'AWS::KMS::Key': IAM_STYLE,
  'AWS::Logs::LogGroup': IAM_STYLE,
  'AWS::Lambda::Function': IAM_STYLE,
  'AWS::Events::Rule': IAM_STYLE,
  'AWS::CloudWatch::Alarm': IAM_STYLE_NON_EMPTY,
  'AWS::EC2::InternetGateway': IAM_STYLE,
  'AWS::EFS::AccessPoint': IAM_STYLE_NON_EMPTY,
  'AWS::EC2::VPC': NO_LENGTH_LIMITS,
  'AWS::EC2::Subnet': NO_LENGTH_LIMITS,
  'AWS::EC2::RouteTable': NO_LENGTH_LIMITS,
  'AWS::EC2::EIP': NO_LENGTH_LIMITS,
  'AWS::EC2::NatGateway': NO_LENGTH_LIMITS,
  'AWS::EC2::VPCEndpoint': NO_LENGTH_LIMITS,
  'AWS::EC2::FlowLog': NO_LENGTH_LIMITS,
  'AWS::EC2::SecurityGroup': NO_LENGTH_LIMITS,
  'AWS::EFS::FileSystem': NO_LENGTH_LIMITS,
};

/** What a cluster's `tags` reach: every resource under the cluster (Tags.of), so every type the library creates. */
export const CLUSTER_TAGGED_TYPES: readonly string[] = Object.keys(SCHEMA_TAG_LIMITS);

/** What a profile set's `tags` reach: its Fargate profiles. */
export const PROFILE_SET_TAGGED_TYPES: readonly string[] = ['AWS::EKS::FargateProfile'];

/** Problems with a `tags` prop whose tags reach `resourceTypes`; empty when every tag fits every one of them. */
export function tagProblems(tags: { readonly [key: string]: unknown } | undefined, resourceTypes: readonly string[]): string[] {
  if (tags === undefined) {
    return [];
  }
  if (tags === null || typeof tags !== 'object' || Array.isArray(tags)) {
    return [`\`tags\` is ${JSON.stringify(tags)}; tags are an object of key-value strings such as \`{ team: 'platform' }\`.`];
  }
  const limits = resourceTypes.map((type) => ({ type, limit: Object.hasOwn(SCHEMA_TAG_LIMITS, type) ? SCHEMA_TAG_LIMITS[type] : NO_LENGTH_LIMITS }));
  const problems: string[] = [];
  for (const [key, value] of Object.entries(tags)) {
    if (key.toLowerCase().startsWith('aws:')) {
      problems.push(`\`tags\` key '${key}' starts with 'aws:', a prefix AWS reserves for its own tags. Rename the key.`);
    }
    const keyTooLong = limits.filter(({ limit }) => limit.maxKeyLength !== undefined && key.length > limit.maxKeyLength);
    if (key.length === 0) {
      problems.push('`tags` has an empty key; a tag key has at least 1 character. Name the tag.');
    } else if (keyTooLong.length > 0) {
      problems.push(`\`tags\` key '${key}' has ${key.length} characters; ${describe(keyTooLong, 'keys', () => 1, (limit) => limit.maxKeyLength)}. `
        + 'Use a shorter key.');
    }
    if (typeof value !== 'string') {
      problems.push(`\`tags\` value of key '${key}' is ${JSON.stringify(value)}; tag values are strings.`);
      continue;
    }
    const valueOutside = limits.filter(({ limit }) => value.length < (limit.minValueLength ?? 0)
      || (limit.maxValueLength !== undefined && value.length > limit.maxValueLength));
    if (valueOutside.length > 0) {
      problems.push(`\`tags\` value of key '${key}' has ${value.length} characters; `
        + `${describe(valueOutside, 'values', (limit) => limit.minValueLength ?? 0, (limit) => limit.maxValueLength)}. `
        + `${value.length === 0 ? 'Give a value, or leave the tag out.' : 'Shorten it.'}`);
    }
  }
  return problems;
}

/** "AWS::X and AWS::Y (CloudFormation schema) take keys of 1 to 127; AWS::Z takes keys of 1 to 128": the broken limits. */
function describe(broken: ReadonlyArray<{ readonly type: string; readonly limit: TagLimit }>, what: string,
  min: (limit: TagLimit) => number, max: (limit: TagLimit) => number | undefined): string {
  const groups = new Map<string, string[]>();
  for (const { type, limit } of broken) {
    const maximum = max(limit);
    const range = maximum === undefined ? `at least ${min(limit)}` : `${min(limit)} to ${maximum}`;
    groups.set(range, [...(groups.get(range) ?? []), type]);
  }
  return [...groups.entries()].map(([range, types], index) =>
    `${types.join(' and ')}${index === 0 ? ' (CloudFormation schema)' : ''} ${types.length === 1 ? 'takes' : 'take'} ${what} of ${range}`).join('; ');
}
