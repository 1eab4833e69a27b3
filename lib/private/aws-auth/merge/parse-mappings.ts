import { IDENTITY_FIELD, MappingEntry, MappingKind } from './mapping-entries';
import { YamlNumberText } from './yaml-number-text';
import { DataTextError, loadYamlOrJson } from './yaml-or-json';

/** A plain YAML/JSON mapping as loaded. */
export type LoadedMapping = { readonly [field: string]: unknown };

/**
 * Reads one aws-auth data value into entries. Empty, missing, comment-only and `null` values are empty lists.
 *
 * @throws Error naming the data key and, for a bad entry, its position counted from 1
 */
export function parseDataKey(kind: MappingKind, text: string | undefined): MappingEntry[] {
  if (text === undefined) {
    return [];
  }
  let loaded: unknown;
  try {
    loaded = loadYamlOrJson(text);
  } catch (error) {
    if (error instanceof DataTextError) {
      throw new Error(`aws-auth data key \`${kind}\` is not valid YAML or JSON: ${error.message}`);
    }
    throw error;
  }
  if (loaded === undefined || loaded === null) {
    return [];
  }
  if (!Array.isArray(loaded)) {
    throw new Error(`aws-auth data key \`${kind}\` must be a list, found ${describeValue(loaded)}`);
  }
  return loaded.map((item: unknown, index) => readEntry(kind, item, (problem) =>
    new Error(`aws-auth data key \`${kind}\`: entry ${index + 1} ${problem}`)));
}

/**
 * Reads one entry, of a data value or of an owner's desired mappings. `fail` builds the error from the
 * problem ("has no `rolearn`") so both callers can say where the entry came from.
 */
export function readEntry(kind: MappingKind, item: unknown, fail: (problem: string) => Error): MappingEntry {
  const identityField = IDENTITY_FIELD[kind];
  if (identityField === undefined) {
    const account = scalarText(item);
    if (account === undefined) {
      throw fail(`is not an account id (a string or number), found ${describeValue(item)}`);
    }
    if (account === '') {
      throw fail('is an empty account id');
    }
    return { identity: account, raw: item };
  }

  if (!isMapping(item)) {
    throw fail(`is not a mapping, found ${describeValue(item)}`);
  }
  const identityValue = item[identityField];
  if (identityValue === undefined || identityValue === null) {
    throw fail(`has no \`${identityField}\``);
  }
  const identity = scalarText(identityValue);
  if (identity === undefined || identity === '') {
    throw fail(`has a \`${identityField}\` that is not a non-empty string, found ${describeValue(identityValue)}`);
  }
  const username = readUsername(item.username, (problem) => fail(`(\`${identity}\`) ${problem}`));
  const groups = readGroups(item.groups, (problem) => fail(`(\`${identity}\`) ${problem}`));
  return { identity, username, groups, raw: item };
}

function readUsername(value: unknown, fail: (problem: string) => Error): string | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  const text = scalarText(value);
  if (text === undefined) {
    throw fail(`has a \`username\` that is not a string, found ${describeValue(value)}`);
  }
  return text === '' ? undefined : text;
}

function readGroups(value: unknown, fail: (problem: string) => Error): readonly string[] | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  const groups = Array.isArray(value) ? value.map(scalarText) : undefined;
  if (groups === undefined || groups.some((group) => group === undefined)) {
    throw fail(`has \`groups\` that is not a list of strings, found ${describeValue(value)}`);
  }
  return groups as string[];
}

/** A string, or a number as written; `undefined` for anything else. */
function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value;
  }
  return value instanceof YamlNumberText ? value.text : undefined;
}

/** Whether a loaded value is a mapping (not a list, scalar or number). */
export function isMapping(value: unknown): value is LoadedMapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof YamlNumberText);
}

function describeValue(value: unknown): string {
  if (value === undefined || value === null) {
    return 'nothing';
  }
  if (Array.isArray(value)) {
    return `a list of ${value.length}`;
  }
  if (value instanceof YamlNumberText) {
    return `the number ${value.text}`;
  }
  if (typeof value === 'object') {
    return 'a mapping';
  }
  const shown = String(value);
  return `the ${typeof value} ${JSON.stringify(shown.length > 60 ? `${shown.slice(0, 57)}...` : shown)}`;
}
