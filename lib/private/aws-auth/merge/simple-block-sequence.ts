import { looksLikeYamlNumber, YamlNumberText } from './yaml-number-text';

// The shape EKS, eksctl, Terraform and this library write aws-auth lists in, read without a general YAML parser:
//
//   - groups:                          - "rolearn": "arn:..."        - 012345678901
//     - system:bootstrappers             "groups":                    - "444455556666"
//     - system:nodes                     - "view"
//     rolearn: arn:aws:iam::1:role/x   ...
//     username: system:node:{{EC2PrivateDNSName}}
//
// Every line must match one of the forms below exactly, and every scalar must be one that any YAML reader takes
// the same way (the plain strings the renderer writes unquoted, numbers, quoted strings without escapes). On
// anything else (comments, flow collections, anchors, block scalars, tabs, CRLF, blank lines, nesting) the reader
// gives up and the caller uses js-yaml, so the result is always what js-yaml would return.

const KEY = /^(?:[A-Za-z_][A-Za-z0-9_-]*|"[A-Za-z_][A-Za-z0-9_-]*")$/;
const PLAIN_STRING = /^[A-Za-z_/$][A-Za-z0-9_./:@{}$+=,*()-]*$/;
const RESERVED_WORD = /^(?:null|true|false|yes|no|on|off|y|n)$/i;
const DOUBLE_QUOTED = /^"([\x20\x21\x23-\x5b\x5d-\x7e]*)"$/;
const SINGLE_QUOTED = /^'([\x20-\x26\x28-\x7e]*)'$/;
const NUMBER_CHARACTERS = /^[-+0-9A-Za-z_.]+$/;
const SPACE = 32;
const DASH = 45;

type Mapping = { [field: string]: unknown };

/**
 * Reads a list written in the common aws-auth shape, two to three times faster than js-yaml.
 *
 * @returns the list as js-yaml with the aws-auth schema would load it, or `undefined` when the text is not in
 * that shape (the caller then parses it with js-yaml)
 */
export function readSimpleBlockSequence(text: string): unknown[] | undefined {
  if (!text.startsWith('- ') || text.includes('\r') || text.includes('\t')) {
    return undefined;
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') {
    lines.pop();
  }
  const result: unknown[] = [];
  let entry: Mapping | undefined;
  // The key whose value is still open (`key:` alone): a block sequence may follow it.
  let openKey: string | undefined;
  let itemIndent: number | undefined;

  for (const line of lines) {
    let indent = 0;
    while (line.charCodeAt(indent) === SPACE) {
      indent++;
    }
    const dashed = line.charCodeAt(indent) === DASH && line.charCodeAt(indent + 1) === SPACE;

    if (indent > 0 && dashed) {
      // An item of the open key's sequence: at or right of the key's column (2), all at one column.
      const value = scalar(line.slice(indent + 2));
      if (entry === undefined || openKey === undefined || value === undefined || indent < 2
        || (itemIndent !== undefined && indent !== itemIndent)) {
        return undefined;
      }
      itemIndent = indent;
      const list = entry[openKey];
      if (Array.isArray(list)) {
        list.push(value);
      } else {
        entry[openKey] = [value];
      }
      continue;
    }
    openKey = undefined;
    itemIndent = undefined;

    if (indent === 0 && dashed) {
      const rest = line.slice(2);
      const pair = keyAndValue(rest);
      if (pair === undefined) {
        // `- 012345678901`, `- "444455556666"`: a scalar entry.
        const value = scalar(rest);
        if (value === undefined) {
          return undefined;
        }
        entry = undefined;
        result.push(value);
        continue;
      }
      entry = {};
      result.push(entry);
      const open = setField(entry, pair);
      if (open === null) {
        return undefined;
      }
      openKey = open;
      continue;
    }

    const pair = indent === 2 && entry !== undefined ? keyAndValue(line.slice(2)) : undefined;
    if (entry === undefined || pair === undefined) {
      return undefined;
    }
    const open = setField(entry, pair);
    if (open === null) {
      return undefined;
    }
    openKey = open;
  }
  return result;
}

/** Splits `key: value` or `key:`; `undefined` when the text is not a simple mapping pair. */
function keyAndValue(text: string): [string, string | undefined] | undefined {
  const colon = text.indexOf(':');
  if (colon <= 0 || !KEY.test(text.slice(0, colon))) {
    return undefined;
  }
  const key = text.charCodeAt(0) === 34 /* " */ ? text.slice(1, colon - 1) : text.slice(0, colon);
  if (colon === text.length - 1) {
    return [key, undefined];
  }
  return text.charCodeAt(colon + 1) === SPACE ? [key, text.slice(colon + 2)] : undefined;
}

/**
 * Stores a field. Returns the key when its value is still open (`key:` alone: null unless a block sequence
 * follows), `undefined` when the value is complete, and `null` when the field is not in the simple shape.
 */
function setField(entry: Mapping, [key, text]: [string, string | undefined]): string | undefined | null {
  // Duplicate keys make js-yaml throw; `__proto__` and YAML 1.1 boolean keys are left to js-yaml too.
  if (key === '__proto__' || RESERVED_WORD.test(key) || Object.prototype.hasOwnProperty.call(entry, key)) {
    return null;
  }
  if (text === undefined) {
    entry[key] = null;
    return key;
  }
  const value = text === '[]' ? [] : scalar(text);
  if (value === undefined) {
    return null;
  }
  entry[key] = value;
  return undefined;
}

function scalar(text: string): string | YamlNumberText | undefined {
  if (PLAIN_STRING.test(text)) {
    return RESERVED_WORD.test(text) || text.endsWith(':') ? undefined : text;
  }
  const quoted = DOUBLE_QUOTED.exec(text) ?? SINGLE_QUOTED.exec(text);
  if (quoted) {
    return quoted[1];
  }
  if (NUMBER_CHARACTERS.test(text) && looksLikeYamlNumber(text)) {
    return new YamlNumberText(text);
  }
  return undefined;
}
