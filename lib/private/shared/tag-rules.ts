/**
 * Tag limits of the CloudFormation resource schemas (as aws-cdk-lib 2.276's built-in validator enforces them), for
 * the resources a cluster's or profile set's `tags` reach. The strictest of them is the limit for the prop.
 */
export interface TagLimits {
  readonly resourceTypes: readonly string[];
  readonly maxKeyLength: number;
  readonly minValueLength: number;
  readonly maxValueLength: number;
}

/** `AWS::EKS::FargateProfile` and `AWS::EKS::Addon`: keys 1 to 127 characters, values 1 to 255. */
export const PROFILE_TAG_LIMITS: TagLimits = {
  resourceTypes: ['AWS::EKS::FargateProfile', 'AWS::EKS::Addon'],
  maxKeyLength: 127,
  minValueLength: 1,
  maxValueLength: 255,
};

/** Problems with a `tags` prop; empty when every tag fits. */
export function tagProblems(tags: { readonly [key: string]: unknown } | undefined, limits: TagLimits): string[] {
  if (tags === undefined) {
    return [];
  }
  if (tags === null || typeof tags !== 'object' || Array.isArray(tags)) {
    return [`\`tags\` is ${JSON.stringify(tags)}; tags are an object of key-value strings such as \`{ team: 'platform' }\`.`];
  }
  const schema = `${limits.resourceTypes.join(' and ')} (CloudFormation schema)`;
  const problems: string[] = [];
  for (const [key, value] of Object.entries(tags)) {
    if (key.toLowerCase().startsWith('aws:')) {
      problems.push(`\`tags\` key '${key}' starts with 'aws:', a prefix AWS reserves for its own tags. Rename the key.`);
    }
    if (key.length === 0 || key.length > limits.maxKeyLength) {
      problems.push(`\`tags\` key '${key}' has ${key.length} characters; ${schema} take keys of 1 to ${limits.maxKeyLength}. `
        + 'Use a shorter key.');
    }
    if (typeof value !== 'string') {
      problems.push(`\`tags\` value of key '${key}' is ${JSON.stringify(value)}; tag values are strings.`);
    } else if (value.length < limits.minValueLength || value.length > limits.maxValueLength) {
      problems.push(`\`tags\` value of key '${key}' has ${value.length} characters; ${schema} take values of `
        + `${limits.minValueLength} to ${limits.maxValueLength}. ${value.length === 0 ? 'Give a value, or leave the tag out.' : 'Shorten it.'}`);
    }
  }
  return problems;
}
