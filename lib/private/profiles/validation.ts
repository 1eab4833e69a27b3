import { MAX_PROFILE_NAME_PREFIX_LENGTH } from './naming';

/** A selector as validated here: the public `FargateSelector` shape. */
export interface SelectorInput {
  readonly namespace: string;
  readonly labels?: { readonly [key: string]: string };
}

/** EKS quota: labels in one selector. */
export const MAX_LABELS_PER_SELECTOR = 5;

const WILDCARD_NAMESPACE = /^[a-z0-9*?]([-a-z0-9*?]*[a-z0-9*?])?$/;
const LABEL_NAME = /^([A-Za-z0-9*?]([-A-Za-z0-9_.*?]*[A-Za-z0-9*?])?)$/;
const DNS_LABEL = /^[a-z0-9*?]([-a-z0-9*?]*[a-z0-9*?])?$/;
const PROFILE_NAME = /^[0-9A-Za-z][0-9A-Za-z_-]*$/;

/** Problems with a user-chosen profile name prefix; empty when it is valid. */
export function profileNamePrefixProblems(prefix: string): string[] {
  const problems: string[] = [];
  if (prefix.length === 0 || prefix.length > MAX_PROFILE_NAME_PREFIX_LENGTH) {
    problems.push(`\`profileNamePrefix\` '${prefix}' has ${prefix.length} characters; it must have 1 to ${MAX_PROFILE_NAME_PREFIX_LENGTH} `
      + '(EKS allows 100 and the library appends \'-\' and an 8-character hash of the profile\'s selectors, subnets and role). Use a shorter prefix.');
  }
  if (prefix.length > 0 && !PROFILE_NAME.test(prefix)) {
    problems.push(`\`profileNamePrefix\` '${prefix}' is not a valid Fargate profile name: it must start with a letter or digit and hold only `
      + 'letters, digits, \'-\' and \'_\'. Replace the other characters.');
  }
  if (/^eks-/i.test(prefix)) {
    problems.push(`\`profileNamePrefix\` '${prefix}' starts with 'eks-', a prefix EKS reserves for its own profiles. Choose another prefix.`);
  }
  return problems;
}

/** CloudFormation's `AWS::EKS::FargateProfile` schema: label keys 1 to 127 characters, values 1 to 255. */
const MAX_LABEL_KEY_LENGTH = 127;

/** Problems with a list of selectors (as JavaScript callers may pass it); empty when all are valid. */
export function selectorProblems(selectors: readonly SelectorInput[] | undefined): string[] {
  if (!Array.isArray(selectors)) {
    return [`\`selectors\` is ${describe(selectors)}; it must be a list of selectors such as \`[{ namespace: 'my-namespace' }]\`.`];
  }
  if (selectors.length === 0) {
    return ['`selectors` is empty; a Fargate profile needs at least one selector (a namespace, optionally with labels). '
      + 'Add `{ namespace: \'my-namespace\' }`.'];
  }
  return selectors.flatMap((selector: SelectorInput | null | undefined, index) => {
    if (!selector || typeof selector !== 'object') {
      return [`\`selectors[${index}]\` is ${describe(selector)}; a selector is an object such as \`{ namespace: 'my-namespace' }\`.`];
    }
    return [
      ...namespaceProblems(selector.namespace, `selectors[${index}].namespace`),
      ...labelProblems(selector.labels ?? {}, `selectors[${index}].labels`),
    ];
  });
}

/** A value as a message shows it (JSON where that is short and exact). */
function describe(value: unknown): string {
  return value === undefined ? 'undefined' : JSON.stringify(value) ?? String(value);
}

function namespaceProblems(namespace: unknown, prop: string): string[] {
  if (typeof namespace !== 'string') {
    return [`\`${prop}\` is ${describe(namespace)}; every selector needs a namespace (a string such as 'my-namespace').`];
  }
  if (namespace.length === 0 || namespace.length > 63 || !WILDCARD_NAMESPACE.test(namespace)) {
    return [`\`${prop}\` is '${namespace}'; a Kubernetes namespace is a DNS label: 1 to 63 lowercase letters, digits and '-', `
      + `starting and ending with a letter or digit (wildcards * and ? allowed). Use e.g. '${suggestNamespace(namespace)}'.`];
  }
  return [];
}

function labelProblems(labels: { readonly [key: string]: string }, prop: string): string[] {
  if (typeof labels !== 'object' || Array.isArray(labels)) {
    return [`\`${prop}\` is ${describe(labels)}; labels are an object of key-value strings such as \`{ app: 'web' }\`.`];
  }
  const keys = Object.keys(labels);
  const problems: string[] = [];
  if (keys.length > MAX_LABELS_PER_SELECTOR) {
    problems.push(`\`${prop}\` has ${keys.length} labels; a Fargate profile selector takes at most ${MAX_LABELS_PER_SELECTOR} (EKS quota). `
      + 'Split the selector, or select on fewer labels.');
  }
  for (const key of keys) {
    if (!isValidLabelKey(key)) {
      problems.push(`\`${prop}\` key '${key}' is not a valid Kubernetes label key: an optional DNS-subdomain prefix and '/', then a name `
        + 'of 1 to 63 letters, digits, \'-\', \'_\' and \'.\' starting and ending with a letter or digit (wildcards * and ? allowed).');
    }
    if (key.length > MAX_LABEL_KEY_LENGTH) {
      problems.push(`\`${prop}\` key '${key}' has ${key.length} characters; a Fargate profile label key has at most `
        + `${MAX_LABEL_KEY_LENGTH} (CloudFormation AWS::EKS::FargateProfile schema). Use a shorter key or prefix.`);
    }
    const value: unknown = labels[key];
    if (typeof value !== 'string') {
      problems.push(`\`${prop}\` value of key '${key}' is ${describe(value)}; label values are strings. Quote it, e.g. '${String(value)}'.`);
      continue;
    }
    if (value.length === 0) {
      problems.push(`\`${prop}\` value of key '${key}' is empty; a Fargate profile label value has 1 to 255 characters `
        + '(CloudFormation AWS::EKS::FargateProfile schema). Give the value, or select on the namespace alone.');
    } else if (value.length > 63 || !LABEL_NAME.test(value)) {
      problems.push(`\`${prop}\` value '${value}' of key '${key}' is not a valid Kubernetes label value: at most 63 letters, digits, `
        + '\'-\', \'_\' and \'.\' starting and ending with a letter or digit (wildcards * and ? allowed).');
    }
  }
  return problems;
}

function isValidLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  // A DNS subdomain: dot-separated DNS labels, at most 253 characters in all.
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253
    || !prefix.split('.').every(label => label.length <= 63 && DNS_LABEL.test(label)))) {
    return false;
  }
  return name.length > 0 && name.length <= 63 && LABEL_NAME.test(name);
}

function suggestNamespace(namespace: string): string {
  const suggestion = namespace.toLowerCase().replace(/[^-a-z0-9*?]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63);
  return suggestion.length > 0 ? suggestion : 'my-namespace';
}

