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
const DNS_SUBDOMAIN = /^[a-z0-9*?]([-a-z0-9.*?]*[a-z0-9*?])?$/;
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

/** Problems with a list of selectors; empty when all are valid. */
export function selectorProblems(selectors: readonly SelectorInput[]): string[] {
  if (selectors.length === 0) {
    return ['`selectors` is empty; a Fargate profile needs at least one selector (a namespace, optionally with labels). '
      + 'Add `{ namespace: \'my-namespace\' }`.'];
  }
  return selectors.flatMap((selector, index) => [
    ...namespaceProblems(selector.namespace, `selectors[${index}].namespace`),
    ...labelProblems(selector.labels ?? {}, `selectors[${index}].labels`),
  ]);
}

function namespaceProblems(namespace: string, prop: string): string[] {
  if (namespace.length === 0 || namespace.length > 63 || !WILDCARD_NAMESPACE.test(namespace)) {
    return [`\`${prop}\` is '${namespace}'; a Kubernetes namespace is a DNS label: 1 to 63 lowercase letters, digits and '-', `
      + `starting and ending with a letter or digit (wildcards * and ? allowed). Use e.g. '${suggestNamespace(namespace)}'.`];
  }
  return [];
}

function labelProblems(labels: { readonly [key: string]: string }, prop: string): string[] {
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
    const value = labels[key];
    if (value.length > 63 || (value.length > 0 && !LABEL_NAME.test(value))) {
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
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    return false;
  }
  return name.length > 0 && name.length <= 63 && LABEL_NAME.test(name);
}

function suggestNamespace(namespace: string): string {
  const suggestion = namespace.toLowerCase().replace(/[^-a-z0-9*?]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63);
  return suggestion.length > 0 ? suggestion : 'my-namespace';
}

