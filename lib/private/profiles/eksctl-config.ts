import * as yaml from 'js-yaml';
import { isPlainObject } from '../shared/plain-objects';

/**
 * Reads the Fargate profiles of an eksctl `ClusterConfig` (`apiVersion: eksctl.io/v1alpha5`), so that a cluster
 * described for eksctl can be moved to `FargateProfileSet.fromEksctlConfig` without retyping its selectors.
 *
 * Everything that is not understood is reported rather than silently dropped: unknown fields of a profile become
 * notes, other ClusterConfig sections one note, and wrong shapes an Error naming the path
 * (`fargateProfiles[1].selectors[0].namespace`).
 *
 * @see https://eksctl.io/usage/fargate-support/
 */

/** A Fargate profile selector as eksctl writes it. */
export interface EksctlFargateSelector {
  /** Namespace pattern (`*` and `?` allowed). */
  readonly namespace: string;
  /** Labels the pod must carry. */
  readonly labels?: { [key: string]: string };
}

/** One entry of `fargateProfiles`. */
export interface EksctlFargateProfile {
  /** `name`. */
  readonly name: string;
  /** `selectors`, at least one. */
  readonly selectors: EksctlFargateSelector[];
  /** `subnets`: subnet ids. */
  readonly subnets?: string[];
  /** `podExecutionRoleARN`. */
  readonly podExecutionRoleArn?: string;
  /** `tags`. */
  readonly tags?: { [key: string]: string };
}

/** The profiles read from a ClusterConfig, and what was ignored on the way. */
export interface EksctlFargateProfiles {
  /** Profiles in document order. */
  readonly profiles: EksctlFargateProfile[];
  /** One sentence per ignored field or section; empty when everything was used. */
  readonly notes: string[];
}

const API_VERSION = 'eksctl.io/v1alpha5';
const KIND = 'ClusterConfig';
/** Top-level keys that are read (or identify the document) and so are not reported as ignored. */
const READ_SECTIONS = ['apiVersion', 'kind', 'metadata', 'fargateProfiles'];
// eksctl configs are hand-written YAML where merge keys (`<<: *anchor`) are common; js-yaml's core schema lacks them.
const MERGE_KEY = new yaml.Type('tag:yaml.org,2002:merge', {
  kind: 'scalar',
  resolve: (data: unknown) => data === '<<' || data === null,
});
const EKSCTL_YAML_SCHEMA = yaml.CORE_SCHEMA.extend({ implicit: [MERGE_KEY] });
const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const PROFILE_FIELDS = ['name', 'selectors', 'subnets', 'podExecutionRoleARN', 'tags'];
const SELECTOR_FIELDS = ['namespace', 'labels'];

type Mapping = Record<string, unknown>;

const isMapping: (value: unknown) => value is Mapping = isPlainObject;

/** A short rendering of a value for error messages. */
function shown(value: unknown): string {
  if (value === null || value === undefined) {
    return 'nothing';
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  if (isMapping(value)) {
    return 'a mapping';
  }
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** `path.key`, or `path["key"]` when the key is not a plain word (label keys such as `app.kubernetes.io/name`). */
function child(path: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function fail(path: string, problem: string): never {
  throw new Error(`eksctl config: \`${path}\` ${problem}`);
}

function requireString(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    fail(path, `must be a non-empty string, got ${shown(value)}`);
  }
  return value;
}

/** A map of strings; YAML numbers and booleans are refused because eksctl (Go) refuses them too. */
function readStringMap(value: unknown, path: string): { [key: string]: string } | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (!isMapping(value)) {
    fail(path, `must be a mapping of strings, got ${shown(value)}`);
  }
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') {
      const hint = typeof item === 'number' || typeof item === 'boolean' ? ` (quote it: "${String(item)}")` : '';
      fail(child(path, key), `must be a string, got ${shown(item)}${hint}`);
    }
  }
  // fromEntries defines own properties, so even a `__proto__` key stays an ordinary entry.
  return Object.fromEntries(Object.entries(value)) as { [key: string]: string };
}

/** Fields eksctl writes back into a profile (its state, not configuration). */
const PROFILE_STATUS_FIELDS = ['status'];

function noteUnknownFields(value: Mapping, known: string[], path: string, profileName: string, notes: string[]): void {
  for (const key of Object.keys(value).filter((field) => !known.includes(field))) {
    const what = known === PROFILE_FIELDS && PROFILE_STATUS_FIELDS.includes(key)
      ? 'is status that eksctl reports, not configuration'
      : 'is not a field this library supports';
    notes.push(`\`${child(path, key)}\` (profile ${profileName}) ${what}; ignored.`);
  }
}

function readSelector(value: unknown, path: string, profileName: string, notes: string[]): EksctlFargateSelector {
  if (!isMapping(value)) {
    fail(path, `must be a mapping with \`namespace\` (and optional \`labels\`), got ${shown(value)}`);
  }
  const namespace = requireString(value.namespace, child(path, 'namespace'));
  const labels = readStringMap(value.labels, child(path, 'labels'));
  noteUnknownFields(value, SELECTOR_FIELDS, path, profileName, notes);
  return labels && Object.keys(labels).length > 0 ? { namespace, labels } : { namespace };
}

function readSubnets(value: unknown, path: string): string[] | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (!Array.isArray(value)) {
    fail(path, `must be a list of subnet ids, got ${shown(value)}`);
  }
  return value.map((subnet, index) => {
    const id = requireString(subnet, `${path}[${index}]`);
    if (!id.startsWith('subnet-')) {
      fail(`${path}[${index}]`, `must be a subnet id (subnet-...), got ${JSON.stringify(id)}`);
    }
    return id;
  });
}

function readProfile(value: unknown, index: number, notes: string[]): EksctlFargateProfile {
  const path = `fargateProfiles[${index}]`;
  if (!isMapping(value)) {
    fail(path, `must be a mapping with \`name\` and \`selectors\`, got ${shown(value)}`);
  }
  const name = requireString(value.name, `${path}.name`);
  noteUnknownFields(value, PROFILE_FIELDS, path, name, notes);
  if (!Array.isArray(value.selectors) || value.selectors.length === 0) {
    fail(`${path}.selectors`, `must be a non-empty list (a Fargate profile needs at least one selector), got ${shown(value.selectors)}`);
  }
  const selectors = value.selectors.map((selector, i) => readSelector(selector, `${path}.selectors[${i}]`, name, notes));
  const subnets = readSubnets(value.subnets, `${path}.subnets`);
  let podExecutionRoleArn: string | undefined;
  if (value.podExecutionRoleARN !== undefined && value.podExecutionRoleARN !== null) {
    podExecutionRoleArn = requireString(value.podExecutionRoleARN, `${path}.podExecutionRoleARN`);
    if (!IAM_ROLE_ARN.test(podExecutionRoleArn)) {
      fail(`${path}.podExecutionRoleARN`, 'must be an IAM role ARN (arn:<partition>:iam::<12-digit account>:role/<name>), got '
        + JSON.stringify(podExecutionRoleArn));
    }
  }
  const tags = readStringMap(value.tags, `${path}.tags`);
  return {
    name,
    selectors,
    ...(subnets ? { subnets } : {}),
    ...(podExecutionRoleArn ? { podExecutionRoleArn } : {}),
    ...(tags ? { tags } : {}),
  };
}

/**
 * Reads `fargateProfiles` from the YAML text of an eksctl ClusterConfig.
 *
 * @throws Error for YAML that does not parse, a document that is not an `eksctl.io/v1alpha5` ClusterConfig, a
 *   config without Fargate profiles, or a field of the wrong shape (the message names its path)
 */
export function parseEksctlFargateProfiles(yamlText: string): EksctlFargateProfiles {
  let document: unknown;
  try {
    // CORE_SCHEMA, not the default: eksctl reads dates and similar scalars as plain strings, and so do we; merge
    // keys (`<<: *profile`) as eksctl's YAML reader resolves them.
    document = yaml.load(yamlText, { schema: EKSCTL_YAML_SCHEMA });
  } catch (error) {
    throw new Error(`eksctl config is not valid YAML: ${(error as Error).message}`);
  }
  if (!isMapping(document)) {
    throw new Error(`eksctl config must be a mapping (an eksctl ClusterConfig), got ${shown(document)}`);
  }
  if (document.apiVersion !== API_VERSION) {
    fail('apiVersion', `is ${shown(document.apiVersion)}; expected "${API_VERSION}"`);
  }
  if (document.kind !== KIND) {
    fail('kind', `is ${shown(document.kind)}; expected "${KIND}"`);
  }
  if (!Array.isArray(document.fargateProfiles) || document.fargateProfiles.length === 0) {
    fail('fargateProfiles', `must be a non-empty list of Fargate profiles, got ${shown(document.fargateProfiles)}`);
  }

  const notes: string[] = [];
  const ignoredSections = Object.keys(document).filter((key) => !READ_SECTIONS.includes(key));
  if (ignoredSections.length > 0) {
    notes.push(`ClusterConfig sections ${ignoredSections.map((key) => `\`${key}\``).join(', ')} are ignored: `
      + 'only `fargateProfiles` is read.');
  }
  const profiles = document.fargateProfiles.map((profile, index) => readProfile(profile, index, notes));
  const seen = new Map<string, number>();
  profiles.forEach((profile, index) => {
    const first = seen.get(profile.name);
    if (first !== undefined) {
      fail(`fargateProfiles[${index}].name`, `repeats the name "${profile.name}" of fargateProfiles[${first}]; profile names must be unique`);
    }
    seen.set(profile.name, index);
  });
  return { profiles, notes };
}
