import { decodeAccounts, decodeRoles, decodeUsers, DecodedRole, DecodedUser, holdsNanOrInfinity } from './eks-decode';
import { BeyondLimitsError, GoYamlError } from './go-yaml-errors';
import { GoValue, loadGoYaml } from './go-yaml-load';

// The one model of how EKS reads aws-auth, written after aws-iam-authenticator at commit
// 81b1daba00d194c00d3cdd8b0a0fece5ba648d4e (`pkg/mapper/configmap` ParseMap and saveMap, `pkg/config` Validate and
// Key), with k8s.io/apimachinery `ToJSON`, sigs.k8s.io/yaml v1.6.0 and gopkg.in/yaml.v2 2.4.0. Every decision about
// what an entry means (parse, conflicts, the system:nodes guard, adoption, checking a rewrite) goes through here.

/** The authenticator commit this model follows. */
export const AUTHENTICATOR_COMMIT = '81b1daba00d194c00d3cdd8b0a0fece5ba648d4e';

/** The partitions an `sso` entry may name (pkg/endpoints PARTITIONS). */
export const AWS_PARTITIONS: readonly string[] = ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc'];

export type ReadProblemKind = 'yaml' | 'yaml-type' | 'json-syntax' | 'json-type' | 'beyond-limits';

/** Why a key did not decode cleanly. `fatal`: the key serves nothing (else only some fields or items are lost). */
export interface ReadProblem {
  readonly kind: ReadProblemKind;
  readonly message: string;
  readonly fatal: boolean;
}

/** One decoded entry of mapRoles or mapUsers, in document order. */
export interface ReadEntry<M> {
  readonly mapping: M;
  /** False when the authenticator's Validate() drops the entry (the others still load). */
  readonly valid: boolean;
  readonly error?: string;
  /**
   * How EKS keys the entry when valid: the lower-cased `rolearn` or `sso` pattern for roles, the lower-cased
   * `userarn` for users (looked up case-insensitively).
   */
  readonly identity?: string;
}

/** How the authenticator read one data key. */
export interface KeyReading<E> {
  readonly present: boolean;
  /** One of the empty forms (blank, `""`, `''`, two backticks): served as nothing, no error. */
  readonly skipped: boolean;
  readonly form?: 'json' | 'yaml';
  readonly problem?: ReadProblem;
  readonly entries: readonly E[];
  /** The YAML value read (yaml form only): its items line up with `entries`. */
  readonly value?: GoValue;
}

export type RoleEntry = ReadEntry<DecodedRole>;
export type UserEntry = ReadEntry<DecodedUser>;

/** Whether a key's text is one of the authenticator's skipped empty forms. */
export function isSkippable(text: string): boolean {
  const trimmed = goTrimSpace(text);
  return trimmed === '' || trimmed === '``' || trimmed === '""' || trimmed === '\'\'';
}

/** Reads `mapRoles`. */
export function readRoles(text: string | undefined): KeyReading<RoleEntry> {
  return readMappingKey(text, (value) => decodeRoles(value), (mapping) => validateRole(mapping));
}

/** Reads `mapUsers`. */
export function readUsers(text: string | undefined): KeyReading<UserEntry> {
  return readMappingKey(text, (value) => decodeUsers(value), (mapping) => validateUser(mapping));
}

/** Reads `mapAccounts`: every item's text, as go-yaml decodes it into `[]string`. */
export function readAccounts(text: string | undefined): KeyReading<string> {
  if (text === undefined) {
    return { present: false, skipped: false, entries: [] };
  }
  if (isSkippable(text)) {
    return { present: true, skipped: true, entries: [] };
  }
  const loaded = loadValue(text);
  if ('problem' in loaded) {
    return { present: true, skipped: false, form: 'yaml', problem: loaded.problem, entries: [] };
  }
  const decoded = decodeAccounts(loaded.value);
  const problem: ReadProblem | undefined = decoded.typeError === undefined ? undefined
    : { kind: 'yaml-type', message: decoded.typeError, fatal: !Array.isArray(loaded.value) };
  return { present: true, skipped: false, form: 'yaml', problem, entries: decoded.items, value: loaded.value };
}

/** strings.ToLower, rune by rune (no context rules). */
export function goToLower(text: string): string {
  let lower = '';
  for (const character of text) {
    lower += character === '\u0130' ? 'i' : character.toLowerCase();
  }
  return lower;
}

/** The pattern an `sso` entry is stored under (RoleMapping.SSOArnLike); a named partition is left out, as there. */
export function ssoArnLike(sso: { readonly permissionSetName: string; readonly accountID: string; readonly partition: string }): string {
  const partition = sso.partition === '' ? 'aws' : '';
  return goToLower(`arn:${partition}:iam::${sso.accountID}:role/AWSReservedSSO_${sso.permissionSetName}_*`);
}

/** arn.ArnLike: each of the six `:` sections matches its pattern section, `*` and `?` being wildcards. */
export function arnLike(arn: string, pattern: string): boolean {
  const arnSections = arnParts(arn);
  const patternSections = arnParts(pattern);
  if (arnSections === undefined || patternSections === undefined) {
    return false;
  }
  return arnSections.every((section, index) => {
    const glob = patternSections[index].replace(/[\\.+()|[\]{}^$]/g, '\\$&').replace(/[*?]/g, '.$&');
    return new RegExp(`^${glob}$`, 's').test(section);
  });
}

function arnParts(arn: string): string[] | undefined {
  if (!arn.startsWith('arn:')) {
    return undefined;
  }
  const parts = arn.split(':');
  if (parts.length < 6) {
    return undefined;
  }
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

function readMappingKey<M>(text: string | undefined, decode: (value: GoValue) => { items: readonly M[]; typeError?: string },
  validate: (mapping: M) => { error?: string; identity?: string }): KeyReading<ReadEntry<M>> {
  if (text === undefined) {
    return { present: false, skipped: false, entries: [] };
  }
  if (isSkippable(text)) {
    return { present: true, skipped: true, entries: [] };
  }
  if (goTrimLeftSpace(text).startsWith('{')) {
    // ToJSON passes `{` text to encoding/json as is; an object never decodes into a list.
    return { present: true, skipped: false, form: 'json', problem: jsonObjectProblem(text), entries: [] };
  }
  const loaded = loadValue(text);
  if ('problem' in loaded) {
    return { present: true, skipped: false, form: 'yaml', problem: loaded.problem, entries: [] };
  }
  if (holdsNanOrInfinity(loaded.value)) {
    return {
      present: true,
      skipped: false,
      form: 'yaml',
      entries: [],
      problem: { kind: 'yaml', message: 'json: unsupported value: NaN or infinity', fatal: true },
    };
  }
  const decoded = decode(loaded.value);
  const fatal = !Array.isArray(loaded.value) && loaded.value !== null;
  const problem: ReadProblem | undefined = decoded.typeError === undefined ? undefined
    : { kind: 'json-type', message: decoded.typeError, fatal };
  const entries = decoded.items.map((mapping): ReadEntry<M> => {
    const { error, identity } = validate(mapping);
    return error === undefined ? { mapping, valid: true, identity } : { mapping, valid: false, error };
  });
  return { present: true, skipped: false, form: 'yaml', problem, entries, value: loaded.value };
}

function loadValue(text: string): { value: GoValue } | { problem: ReadProblem } {
  try {
    return { value: loadGoYaml(text) };
  } catch (error) {
    if (error instanceof GoYamlError) {
      return { problem: { kind: 'yaml', message: error.message, fatal: true } };
    }
    if (error instanceof BeyondLimitsError) {
      return { problem: { kind: 'beyond-limits', message: error.message, fatal: true } };
    }
    throw error;
  }
}

function jsonObjectProblem(text: string): ReadProblem {
  try {
    JSON.parse(text);
  } catch (error) {
    const message = error instanceof RangeError ? 'nested too deeply' : (error as Error).message;
    return { kind: 'json-syntax', message: `not valid JSON: ${message}`, fatal: true };
  }
  return { kind: 'json-type', message: 'a JSON object, not a list of entries', fatal: true };
}

function validateRole(mapping: DecodedRole): { error?: string; identity?: string } {
  if (mapping.rolearn === '' && mapping.sso === undefined) {
    return { error: 'one of rolearn or SSO must be supplied' };
  }
  if (mapping.rolearn !== '' && mapping.sso !== undefined) {
    return { error: 'only one of rolearn or SSO can be supplied' };
  }
  const sso = mapping.sso;
  if (sso === undefined) {
    return { identity: goToLower(mapping.rolearn) };
  }
  if (!/^[0-9]{12}$/.test(sso.accountID)) {
    return { error: `AccountID '${sso.accountID}' is not a valid AWS Account ID` };
  }
  if (!/^[0-9A-Za-z_+=,.@-]{1,32}$/.test(sso.permissionSetName)) {
    return { error: `PermissionSetName '${sso.permissionSetName}' is not a valid AWS SSO PermissionSet Name` };
  }
  if (sso.partition !== '' && !AWS_PARTITIONS.includes(sso.partition)) {
    return { error: `partition '${sso.partition}' is not a valid AWS partition` };
  }
  return { identity: ssoArnLike(sso) };
}

function validateUser(mapping: DecodedUser): { error?: string; identity?: string } {
  return mapping.userarn === '' ? { error: 'value for userarn must be supplied' } : { identity: goToLower(mapping.userarn) };
}

// unicode.IsSpace: the ASCII spaces, U+0085, U+00A0 and the Unicode White_Space characters.
const GO_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/;

function goTrimLeftSpace(text: string): string {
  let start = 0;
  while (start < text.length && GO_SPACE.test(text[start])) {
    start++;
  }
  return text.slice(start);
}

// Walks back from the end: a `\s+$` pattern would be tried at every run of spaces in a large key.
function goTrimSpace(text: string): string {
  const trimmed = goTrimLeftSpace(text);
  let end = trimmed.length;
  while (end > 0 && GO_SPACE.test(trimmed[end - 1])) {
    end--;
  }
  return trimmed.slice(0, end);
}

/** What EKS serves from a ConfigMap's data, after each key is read on its own. */
export interface ServedMappings {
  readonly mapRoles: KeyReading<RoleEntry>;
  readonly mapUsers: KeyReading<UserEntry>;
  readonly mapAccounts: KeyReading<string>;
  /** Role mappings by their stored key (lower-cased ARN or sso pattern): the last valid entry wins. */
  readonly roles: ReadonlyMap<string, RoleEntry>;
  /** User mappings by `userarn` as written (the last wins); lookups ignore case. */
  readonly users: ReadonlyMap<string, UserEntry>;
  /** Account ids served, as text. */
  readonly accounts: ReadonlySet<string>;
}

/** Reads the three keys of a ConfigMap's data as the authenticator does. */
export function readServed(data: { readonly [key: string]: unknown }): ServedMappings {
  const text = (key: string) => (typeof data[key] === 'string' ? data[key] as string : undefined);
  const mapRoles = readRoles(text('mapRoles'));
  const mapUsers = readUsers(text('mapUsers'));
  const mapAccounts = readAccounts(text('mapAccounts'));
  const roles = new Map<string, RoleEntry>();
  for (const entry of mapRoles.entries) {
    if (entry.valid) {
      roles.set(entry.identity!, entry);
    }
  }
  const users = new Map<string, UserEntry>();
  for (const entry of mapUsers.entries) {
    if (entry.valid) {
      users.set(entry.mapping.userarn, entry);
    }
  }
  return { mapRoles, mapUsers, mapAccounts, roles, users, accounts: new Set(mapAccounts.entries) };
}
