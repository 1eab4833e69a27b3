import { Stack, Token } from 'aws-cdk-lib';
import { jsonPathsWhere } from '../shared/json-paths';

/** The objects as the JSON text the handler reads, and its size once deployed. */
export interface ManifestsText {
  /** The text: plain JSON, or a token when the objects hold deploy-time values. */
  readonly text: string;
  /** Bytes the text takes in the event CloudFormation sends the handler (JSON-encoded, so with its escapes). */
  readonly bytes: number;
  /** Keys of the objects the text does not hold (see `protoKeyPaths`): none when the text is plain JSON. */
  readonly lostKeys: readonly LostKey[];
}

/** A key of an object that its text does not hold. */
export interface LostKey {
  readonly object: Record<string, any>;
  /** The key's JSON path in the object. */
  readonly path: string;
}

/**
 * The objects as one JSON text. Objects without tokens (nearly all) are written with `JSON.stringify`: the same text
 * aws-cdk-lib's token-aware rendering gives, without a lazy value that synth resolves twice per resource, which
 * made up a tenth of the synth time of an app with many manifests. Objects with tokens keep that rendering, which
 * drops keys named `__proto__` (see `protoKeyPaths`).
 */
export function manifestsTextOf(stack: Stack, objects: readonly Record<string, any>[]): ManifestsText {
  if (objects.every(isPlainJson)) {
    const text = JSON.stringify(objects);
    return { text, bytes: Buffer.byteLength(JSON.stringify(text), 'utf8'), lostKeys: [] };
  }
  const text = stack.toJsonString(objects);
  return {
    text,
    bytes: Buffer.byteLength(JSON.stringify(stack.resolve(text)), 'utf8'),
    lostKeys: objects.flatMap((object) => protoKeyPaths(object).map((path) => ({ object, path }))),
  };
}

/**
 * Whether `JSON.stringify` writes `value` as aws-cdk-lib's resolver would: no token anywhere, and nothing the two
 * write differently (an `undefined` array item, which the resolver drops; class instances such as dates).
 */
function isPlainJson(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
      return !Token.isUnresolved(value);
    case 'number':
      return Number.isFinite(value) && !Token.isUnresolved(value);
    case 'boolean':
      return true;
    case 'object':
      if (value === null) {
        return true;
      }
      if (Array.isArray(value)) {
        return value.every((item) => item !== undefined && isPlainJson(item));
      }
      return Object.getPrototypeOf(value) === Object.prototype
        && Object.values(value).every((item) => item === undefined || isPlainJson(item));
    default:
      return false;
  }
}

/**
 * Paths of keys named `__proto__` in `value`. JSON and YAML parsers give such a key as an ordinary field (a ConfigMap
 * may use it as a data key), and `JSON.stringify` keeps it, but aws-cdk-lib's token resolution copies objects by
 * assignment and silently loses it.
 */
export function protoKeyPaths(value: unknown): string[] {
  return jsonPathsWhere(value, (_item, key) => key === '__proto__', Token.isUnresolved);
}
