import * as yaml from 'js-yaml';
import { isMapping } from './parse-mappings';
import { YamlNumberText } from './yaml-number-text';
import { AWS_AUTH_DUMP_OPTIONS } from './yaml-or-json';

// A string that every YAML reader (js-yaml, Go's yaml.v2, libyaml) takes as the same plain string: no spaces or
// comment marks, no indicator first, nothing that a YAML 1.1 or 1.2 reader would resolve to a number (digits, `+`,
// `-` and `.` cannot start it), `system:node:{{SessionName}}` and ARNs included. Everything else is quoted.
const PLAIN_STRING = /^[A-Za-z_/$][A-Za-z0-9_./:@{}$+=,*()-]*$/;
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
// YAML 1.1 booleans and nulls, which a YAML 1.2 reader takes as strings: quote them for both.
const RESERVED_WORD = /^(?:null|true|false|yes|no|on|off|y|n)$/i;
// Characters a YAML stream may not carry raw (outside c-printable) or that a YAML 1.1 reader breaks lines at.
const UNPRINTABLE = /[\u007f-\u0084\u0086-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g;

/**
 * Renders a list of entries as a YAML block sequence, one entry after the other.
 *
 * The entries seen in aws-auth (a mapping of strings and string lists, or an account id) are written directly:
 * js-yaml's general dumper takes ~40 ms on a 5,000-entry list, which would dominate every merge. An entry of any
 * other shape (nested mappings from hand edits, unusual keys) goes through js-yaml with the same schema, so every
 * field survives. Numbers keep the text they were read with.
 *
 * @returns YAML ending in a newline, or `''` for an empty list
 */
export function renderEntries(entries: readonly unknown[]): string {
  let text = '';
  for (const entry of entries) {
    text += renderFlatEntry(entry) ?? yaml.dump([entry], AWS_AUTH_DUMP_OPTIONS);
  }
  return text;
}

function renderFlatEntry(entry: unknown): string | undefined {
  const scalar = renderScalar(entry);
  if (scalar !== undefined) {
    return `- ${scalar}\n`;
  }
  if (!isMapping(entry) || Object.getPrototypeOf(entry) !== Object.prototype) {
    return undefined;
  }
  const lines: string[] = [];
  for (const [key, value] of Object.entries(entry)) {
    if (!PLAIN_KEY.test(key) || RESERVED_WORD.test(key)) {
      return undefined;
    }
    const field = renderField(key, value);
    if (field === undefined) {
      return undefined;
    }
    lines.push(field);
  }
  if (lines.length === 0) {
    return undefined;
  }
  return `- ${lines.join('\n  ')}\n`;
}

function renderField(key: string, value: unknown): string | undefined {
  if (!Array.isArray(value)) {
    const scalar = renderScalar(value);
    return scalar === undefined ? undefined : `${key}: ${scalar}`;
  }
  if (value.length === 0) {
    return `${key}: []`;
  }
  const items: string[] = [];
  for (const item of value) {
    const scalar = renderScalar(item);
    if (scalar === undefined) {
      return undefined;
    }
    items.push(`  - ${scalar}`);
  }
  return `${key}:\n  ${items.join('\n  ')}`;
}

function renderScalar(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return PLAIN_STRING.test(value) && !RESERVED_WORD.test(value) && !value.endsWith(':') ? value : quote(value);
  }
  if (value instanceof YamlNumberText) {
    return value.text;
  }
  if (typeof value === 'boolean' || value === null) {
    return String(value);
  }
  return undefined;
}

/** A YAML double-quoted scalar: JSON's escapes are a subset of YAML's. */
function quote(value: string): string {
  return JSON.stringify(value).replace(UNPRINTABLE, (character) =>
    `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
