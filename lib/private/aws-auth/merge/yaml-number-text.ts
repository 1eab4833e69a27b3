/**
 * A YAML number kept as the text it was written with.
 *
 * aws-iam-authenticator reads aws-auth with Go's yaml into string fields, which keeps a plain scalar's text:
 * `- 012345678901` in `mapAccounts` is the account `012345678901`. js-yaml would turn it into the number
 * 12345678901 and lose the leading zero, so numbers are never converted; they are written back unquoted,
 * exactly as read, when an entry has to be re-rendered.
 */
export class YamlNumberText {
  constructor(public readonly text: string) {}
}

// YAML 1.1 (Go's yaml.v2) and 1.2 number forms together, so every string that either reader would take for a
// number is quoted on output and every number read keeps its text.
const INTEGER = /^[-+]?(?:0b[01_]+|0o[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*)$/;
const FLOAT = /^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)?$/;
const SPECIAL_FLOAT = /^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/** Whether a plain scalar would be read as a number by YAML 1.1 or 1.2. */
export function looksLikeYamlNumber(text: string): boolean {
  return INTEGER.test(text) || FLOAT.test(text) || SPECIAL_FLOAT.test(text);
}
