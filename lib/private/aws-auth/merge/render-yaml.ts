import { GoValue } from './go-yaml-load';
import { GoScalar, goKey, resolvePlainScalar } from './go-yaml-scalars';
import { IDENTITY_FIELD, MappingEntry, MappingKind } from './mapping-entries';

// A string that every YAML reader (js-yaml, Go's yaml.v2, libyaml) takes as the same plain string: no spaces or
// comment marks, no indicator first, nothing that a YAML 1.1 or 1.2 reader would resolve to a number (digits, `+`,
// `-` and `.` cannot start it), `system:node:{{SessionName}}` and ARNs included. Everything else is quoted.
const PLAIN_STRING = /^[A-Za-z_/$][A-Za-z0-9_./:@{}$+=,*()-]*$/;
// YAML 1.1 booleans and nulls, which a YAML 1.2 reader takes as strings: quote them for both.
const RESERVED_WORD = /^(?:null|true|false|yes|no|on|off|y|n)$/i;
// Characters a YAML stream may not carry raw (outside c-printable) or that a YAML 1.1 reader breaks lines at.
const UNPRINTABLE = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g;

/**
 * Renders an owner's new entries as a YAML block sequence: only the documented fields (`rolearn`/`userarn`,
 * `username`, `groups`), in that order, so the output does not depend on what else a caller's objects hold.
 *
 * @returns YAML ending in a newline, or `''` for no entries
 */
export function renderNewEntries(kind: MappingKind, entries: readonly MappingEntry[]): string {
  const identityField = IDENTITY_FIELD[kind];
  let text = '';
  for (const entry of entries) {
    if (identityField === undefined) {
      text += `- ${renderString(entry.arn)}\n`;
      continue;
    }
    const lines = [`${identityField}: ${renderString(entry.arn)}`];
    if (entry.username !== undefined) {
      lines.push(`username: ${renderString(entry.username)}`);
    }
    if (entry.groups !== undefined) {
      lines.push(entry.groups.length === 0 ? 'groups: []'
        : `groups:\n${entry.groups.map((group) => `    - ${renderString(group)}`).join('\n')}`);
    }
    text += `- ${lines.join('\n  ')}\n`;
  }
  return text;
}

/**
 * Renders an entry as read (any shape: unknown fields, nested values, non-string scalars) as one block sequence
 * item in flow style that go-yaml reads back to the same value: strings double-quoted, other scalars as written.
 */
export function renderReadEntry(value: GoValue): string {
  return `- ${renderFlow(value)}\n`;
}

function renderFlow(value: GoValue): string {
  if (typeof value === 'string') {
    return quote(value);
  }
  if (value instanceof GoScalar) {
    return value.kind === 'null' && value.text === '' ? 'null' : value.text;
  }
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return `[${value.map(renderFlow).join(', ')}]`;
  }
  const fields: string[] = [];
  value.forEach((item, rawKey) => {
    const key = goKey(rawKey);
    fields.push(`${key.kind === 'str' ? quote(key.text) : key.text}: ${renderFlow(item)}`);
  });
  return `{${fields.join(', ')}}`;
}

function renderString(value: string): string {
  const plain = PLAIN_STRING.test(value) && !RESERVED_WORD.test(value) && !value.endsWith(':')
    && resolvePlainScalar(value) === undefined;
  return plain ? value : quote(value);
}

/** A YAML double-quoted scalar: JSON's escapes are a subset of YAML's. */
function quote(value: string): string {
  return JSON.stringify(value).replace(UNPRINTABLE, (character) =>
    `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
