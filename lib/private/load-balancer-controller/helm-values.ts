import { isPlainObject } from '../shared/plain-objects';
/**
 * Chart values the construct sets itself and the option to use instead; a user value for them would break the
 * controller on Fargate (no IMDS to discover the VPC and region, the IRSA service account made outside the chart) or
 * contradict an option.
 */
const RESERVED_VALUES: ReadonlyArray<[string[], string]> = [
  [['clusterName'], 'it is the cluster\'s name'],
  [['region'], 'it is the stack\'s region (Fargate pods have no instance metadata to discover it)'],
  [['vpcId'], 'it is the cluster\'s VPC (Fargate pods have no instance metadata to discover it)'],
  [['serviceAccount'], 'the construct creates the IRSA service account `aws-load-balancer-controller` itself'],
  [['image', 'repository'], 'use the `imageRepository` option'],
  [['image', 'tag'], 'use the `imageTag` option'],
  [['replicaCount'], 'use the `replicas` option'],
];


function hasPath(values: { [key: string]: unknown }, path: readonly string[]): boolean {
  let current: unknown = values;
  for (const key of path) {
    if (!isPlainObject(current) || !Object.prototype.hasOwnProperty.call(current, key)) {
      return false;
    }
    current = current[key];
  }
  return true;
}

/** Problems with user-supplied values: one message for each reserved value that is set. */
export function reservedValueProblems(values: { [key: string]: unknown }): string[] {
  return RESERVED_VALUES
    .filter(([path]) => hasPath(values, path))
    .map(([path, reason]) => `\`helmValues\` sets \`${path.join('.')}\`, which the construct owns: ${reason}. Remove it from \`helmValues\`.`);
}

/**
 * `overrides` merged over `base`: nested objects are merged key by key, anything else (arrays included) replaces the
 * base value. Neither argument is modified.
 */
export function mergeValues(base: { [key: string]: unknown }, overrides: { [key: string]: unknown }): { [key: string]: unknown } {
  const merged: { [key: string]: unknown } = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    const current = Object.prototype.hasOwnProperty.call(merged, key) ? merged[key] : undefined;
    // defineProperty, not assignment: a key named `__proto__` is data here, not the object's prototype.
    Object.defineProperty(merged, key, {
      value: isPlainObject(current) && isPlainObject(value) ? mergeValues(current, value) : value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return merged;
}

/** The string-valued entries of `helmValues.podLabels`, which the chart adds to the controller pods. */
export function extraPodLabels(values: { [key: string]: unknown }): { [key: string]: string } {
  const labels = values.podLabels;
  if (!isPlainObject(labels)) {
    return {};
  }
  return Object.fromEntries(Object.entries(labels).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}
