import { GoMapping, GoValue } from './go-yaml-load';
import { GoScalar } from './go-yaml-scalars';

/** An `sso` matcher of a role entry (config.SSOARNMatcher). */
export interface SsoMatcher {
  readonly permissionSetName: string;
  readonly accountID: string;
  readonly partition: string;
}

/** A role entry as encoding/json fills config.RoleMapping: empty strings and `null` groups when absent. */
export interface DecodedRole {
  readonly rolearn: string;
  readonly sso?: SsoMatcher;
  readonly username: string;
  readonly groups: readonly string[] | null;
  readonly userid: string;
}

/** A user entry as encoding/json fills config.UserMapping. */
export interface DecodedUser {
  readonly userarn: string;
  readonly username: string;
  readonly groups: readonly string[] | null;
  readonly userid: string;
}

/** The decoded list and encoding/json's first type error (it keeps decoding past type errors). */
export interface DecodedList<M> {
  readonly items: readonly M[];
  readonly typeError?: string;
}

type FieldKind = 'string' | 'strings' | 'sso';
interface FieldSpec { readonly name: string; readonly kind: FieldKind }
type Fields = { [name: string]: unknown };

const ROLE_FIELDS: readonly FieldSpec[] = [
  { name: 'rolearn', kind: 'string' }, { name: 'sso', kind: 'sso' }, { name: 'username', kind: 'string' },
  { name: 'groups', kind: 'strings' }, { name: 'userid', kind: 'string' },
];
const USER_FIELDS: readonly FieldSpec[] = [
  { name: 'userarn', kind: 'string' }, { name: 'username', kind: 'string' }, { name: 'groups', kind: 'strings' },
  { name: 'userid', kind: 'string' },
];
const SSO_FIELDS: readonly FieldSpec[] = [
  { name: 'permissionSetName', kind: 'string' }, { name: 'accountID', kind: 'string' }, { name: 'partition', kind: 'string' },
];

/** json.Unmarshal of the YAML value (as sigs.k8s.io/yaml made it JSON) into `[]config.RoleMapping`. */
export function decodeRoles(value: GoValue): DecodedList<DecodedRole> {
  return decodeList(value, ROLE_FIELDS, 'RoleMapping', (fields) => ({
    rolearn: (fields.rolearn as string | undefined) ?? '',
    ...(fields.sso === undefined || fields.sso === null ? {} : { sso: ssoOf(fields.sso as Fields) }),
    username: (fields.username as string | undefined) ?? '',
    groups: (fields.groups as string[] | null | undefined) ?? null,
    userid: (fields.userid as string | undefined) ?? '',
  }));
}

/** json.Unmarshal into `[]config.UserMapping`. */
export function decodeUsers(value: GoValue): DecodedList<DecodedUser> {
  return decodeList(value, USER_FIELDS, 'UserMapping', (fields) => ({
    userarn: (fields.userarn as string | undefined) ?? '',
    username: (fields.username as string | undefined) ?? '',
    groups: (fields.groups as string[] | null | undefined) ?? null,
    userid: (fields.userid as string | undefined) ?? '',
  }));
}

/**
 * go-yaml v2 decoding into `[]string` (mapAccounts): every scalar keeps the text it was written with, a null item
 * is `""`, and an item that is a list or mapping is skipped with a type error.
 */
export function decodeAccounts(value: GoValue): DecodedList<string> {
  if (value === null || (value instanceof GoScalar && value.kind === 'null')) {
    return { items: [] };
  }
  if (!Array.isArray(value)) {
    return { items: [], typeError: `cannot unmarshal ${yamlKind(value)} into []string` };
  }
  const items: string[] = [];
  let typeError: string | undefined;
  for (const item of value) {
    if (item === null || (item instanceof GoScalar && item.kind === 'null')) {
      items.push('');
    } else if (typeof item === 'string' || item instanceof GoScalar) {
      items.push(typeof item === 'string' ? item : item.text);
    } else {
      typeError = typeError ?? `cannot unmarshal ${yamlKind(item)} into string`;
    }
  }
  return { items, typeError };
}

/** Whether the value holds a NaN or infinity anywhere, which sigs.k8s.io/yaml cannot turn into JSON. */
export function holdsNanOrInfinity(value: GoValue): boolean {
  if (value instanceof GoScalar) {
    return value.kind === 'nan-or-inf';
  }
  if (Array.isArray(value)) {
    return value.some(holdsNanOrInfinity);
  }
  if (value instanceof Map) {
    return [...value.values()].some(holdsNanOrInfinity);
  }
  return false;
}

function decodeList<M>(value: GoValue, fields: readonly FieldSpec[], typeName: string, build: (fields: Fields) => M): DecodedList<M> {
  const errors: string[] = [];
  if (isJsonNull(value)) {
    return { items: [] };
  }
  if (!Array.isArray(value)) {
    return { items: [], typeError: `json: cannot unmarshal ${jsonKind(value)} into Go value of type []config.${typeName}` };
  }
  const items = value.map((item) => {
    const target: Fields = {};
    if (item instanceof Map) {
      decodeStruct(item, fields, target, typeName, errors);
    } else if (!isJsonNull(item)) {
      errors.push(`json: cannot unmarshal ${jsonKind(item)} into Go value of type config.${typeName}`);
    }
    return build(target);
  });
  return { items, typeError: errors[0] };
}

/** encoding/json's object decoding: keys in sorted order (as json.Marshal wrote them), each into its field. */
function decodeStruct(mapping: GoMapping, fields: readonly FieldSpec[], target: Fields, typeName: string, errors: string[]): void {
  const keys = [...mapping.keys()];
  // json.Marshal sorts keys by their UTF-8 bytes; for ASCII keys that is JavaScript's own order.
  if (keys.every((key) => /^[\x00-\x7f]*$/.test(key))) {
    keys.sort();
  } else {
    keys.sort((left, right) => Buffer.compare(Buffer.from(left, 'utf8'), Buffer.from(right, 'utf8')));
  }
  for (const key of keys) {
    const field = fields.find((candidate) => candidate.name === key) ?? fields.find((candidate) => foldEquals(candidate.name, key));
    if (field === undefined) {
      continue;
    }
    const value = mapping.get(key)!;
    const mismatch = () => errors.push(`json: cannot unmarshal ${jsonKind(value)} into Go struct field ${typeName}.${field.name} of type `
      + (field.kind === 'string' ? 'string' : field.kind === 'strings' ? '[]string' : 'config.SSOARNMatcher'));
    if (field.kind === 'string') {
      if (typeof value === 'string') {
        target[field.name] = value;
      } else if (!isJsonNull(value)) {
        mismatch();
      }
    } else if (field.kind === 'strings') {
      if (isJsonNull(value)) {
        target[field.name] = null;
      } else if (Array.isArray(value)) {
        const previous = (target[field.name] as string[] | null | undefined) ?? [];
        target[field.name] = value.map((item, index) => {
          if (typeof item === 'string') {
            return item;
          }
          if (!isJsonNull(item)) {
            mismatch();
          }
          return previous[index] ?? '';
        });
      } else {
        mismatch();
      }
    } else if (isJsonNull(value)) {
      target[field.name] = null;
    } else if (value instanceof Map) {
      const sso = (target[field.name] as Fields | null | undefined) ?? {};
      decodeStruct(value, SSO_FIELDS, sso, 'SSOARNMatcher', errors);
      target[field.name] = sso;
    } else {
      // encoding/json allocates the pointer before it finds the type wrong.
      target[field.name] = target[field.name] ?? {};
      mismatch();
    }
  }
}

/**
 * encoding/json's case-insensitive field match for an ASCII field name: ASCII letters fold, and the key may use
 * U+017F for `s` and U+212A (Kelvin) for `k`, as Unicode simple folding has it.
 */
function foldEquals(name: string, key: string): boolean {
  const characters = [...key];
  if (characters.length !== name.length) {
    return false;
  }
  return characters.every((character, index) => {
    const expected = name[index].toLowerCase();
    if (character.length === 1 && character.charCodeAt(0) < 128) {
      return character.toLowerCase() === expected;
    }
    return (character === '\u017f' && expected === 's') || (character === '\u212a' && expected === 'k');
  });
}

function ssoOf(fields: Fields): SsoMatcher {
  return {
    permissionSetName: (fields.permissionSetName as string | undefined) ?? '',
    accountID: (fields.accountID as string | undefined) ?? '',
    partition: (fields.partition as string | undefined) ?? '',
  };
}

function isJsonNull(value: GoValue): boolean {
  return value === null || (value instanceof GoScalar && value.kind === 'null');
}

function jsonKind(value: GoValue): string {
  if (typeof value === 'string') {
    return 'string';
  }
  if (Array.isArray(value)) {
    return 'array';
  }
  if (value instanceof Map) {
    return 'object';
  }
  return value instanceof GoScalar && value.kind === 'bool' ? 'bool' : 'number';
}

function yamlKind(value: GoValue): string {
  if (Array.isArray(value)) {
    return '!!seq';
  }
  return value instanceof Map ? '!!map' : '!!str';
}
