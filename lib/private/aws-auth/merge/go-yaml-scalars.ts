/**
 * A plain YAML scalar that go-yaml v2 (YAML 1.1) resolves to something other than a string, kept with its text.
 *
 * The authenticator turns such a value into a JSON number, boolean or null before decoding entries, so in a string
 * field it leaves the field empty, while `mapAccounts` keeps its text. `merge` is the `<<` merge key.
 */
export class GoScalar {
  constructor(public readonly kind: GoScalarKind, public readonly text: string, private readonly keyText = text) {}

  /** So that js-yaml uses `toString` when the scalar is a mapping key (see `goKey`). */
  public get [Symbol.toStringTag](): string {
    return 'GoScalar';
  }

  /** A key string no YAML text can produce, so the key's kind survives js-yaml's string keys. */
  public toString(): string {
    return `${KEY_MARK}${this.kind}${KEY_MARK}${this.keyText}`;
  }
}

export type GoScalarKind = 'null' | 'bool' | 'int' | 'float' | 'nan-or-inf' | 'merge';

// A NUL cannot appear in a YAML stream, so no real key starts with it.
const KEY_MARK = '\u0000';

/** A mapping key as js-yaml stored it: a string, or a non-string scalar's kind and text. */
export function goKey(key: string): { readonly kind: GoScalarKind | 'str'; readonly text: string } {
  if (!key.startsWith(KEY_MARK)) {
    return { kind: 'str', text: key };
  }
  const end = key.indexOf(KEY_MARK, 1);
  return { kind: key.slice(1, end) as GoScalarKind, text: key.slice(end + 1) };
}

const BOOLEANS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON',
  'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const NAN_OR_INF = new Set(['.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF']);
// go-yaml v2's yamlStyleFloat, applied after underscores are removed.
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
// strconv.ParseFloat of a text starting with `.` (no sign, no base prefix, no underscores).
const DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;
// strconv.ParseInt/ParseUint with base 0: sign, then 0x/0o/0b prefixes, a leading 0 for octal, or decimal.
const GO_INTEGER = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
const INT64_MAX = BigInt('9223372036854775807');
const UINT64_MAX = BigInt('18446744073709551615');

let mergeKeys = 0;

/**
 * How go-yaml v2 resolves a plain (unquoted, untagged) scalar: `undefined` for a string, else its kind.
 * Mirrors `resolve()` of gopkg.in/yaml.v2 2.4.0: the table of booleans and nulls, `.nan`/`.inf`, the merge key, and
 * ints (int64 or uint64 after removing `_`) and floats (`yamlStyleFloat`, finite). Timestamps stay strings.
 */
export function resolvePlainScalar(text: string): GoScalar | undefined {
  if (BOOLEANS.has(text)) {
    return new GoScalar('bool', text);
  }
  if (NULLS.has(text)) {
    return new GoScalar('null', text);
  }
  if (NAN_OR_INF.has(text)) {
    return new GoScalar('nan-or-inf', text);
  }
  if (text === '<<') {
    // Each merge key is a distinct mapping key, so two of them in one mapping both survive js-yaml.
    mergeKeys += 1;
    return new GoScalar('merge', text, String(mergeKeys));
  }
  const first = text.charAt(0);
  if (first === '.') {
    return DOT_FLOAT.test(text) && Number.isFinite(Number(text)) ? new GoScalar('float', text) : undefined;
  }
  if (!/[-+0-9]/.test(first)) {
    return undefined;
  }
  const plain = text.replace(/_/g, '');
  if (isGoInteger(plain)) {
    return new GoScalar('int', text);
  }
  if (YAML_STYLE_FLOAT.test(plain) && Number.isFinite(Number(plain))) {
    return new GoScalar('float', text);
  }
  return undefined;
}

function isGoInteger(plain: string): boolean {
  const match = GO_INTEGER.exec(plain);
  if (match === null) {
    return false;
  }
  const [, sign, digits] = match;
  const prefix = digits.slice(0, 2).toLowerCase();
  let magnitude: bigint;
  if (prefix === '0x' || prefix === '0b') {
    magnitude = BigInt(digits.toLowerCase());
  } else if (prefix === '0o') {
    magnitude = BigInt(`0o${digits.slice(2)}`);
  } else if (digits.length > 1 && digits.startsWith('0')) {
    magnitude = BigInt(`0o${digits.slice(1)}`);
  } else {
    magnitude = BigInt(digits);
  }
  if (sign === '-') {
    return magnitude <= INT64_MAX + BigInt(1);
  }
  // ParseUint takes no sign: a `+` number must fit int64.
  return magnitude <= (sign === '+' ? INT64_MAX : UINT64_MAX);
}
