import * as yaml from 'js-yaml';
import { firstDocument } from './go-yaml-document';
import { BeyondLimitsError, GoYamlError } from './go-yaml-errors';
import { nodeChecks } from './go-yaml-node-checks';
import { GoScalar, GoScalarKind, goKey, resolvePlainScalar } from './go-yaml-scalars';

/** A YAML value as go-yaml v2 decodes it into `interface{}`: mappings are Maps with string keys. */
export type GoValue = string | GoScalar | null | GoValue[] | GoMapping;
export type GoMapping = Map<string, GoValue>;

/** Deepest nesting read, as js-yaml counts it (js-yaml's default). go-yaml allows 10,000. */
export const MAX_NESTING = 100;
/** Nodes a key may expand to through aliases, beyond one node per character of its text. */
export const MIN_NODE_BUDGET = 10_000;

// js-yaml asks every implicit type in turn about the same scalar: resolve it once.
let lastText: string | undefined;
let lastKind: GoScalarKind | undefined;

function plainKind(text: string): GoScalarKind | undefined {
  if (text !== lastText) {
    lastText = text;
    lastKind = resolvePlainScalar(text)?.kind;
  }
  return lastKind;
}

function goType(tag: string, ...kinds: GoScalarKind[]): yaml.Type {
  const resolves = (data: string) => {
    const kind = plainKind(data);
    return kind !== undefined && kinds.includes(kind);
  };
  return new yaml.Type(tag, {
    kind: 'scalar',
    resolve: (data: unknown) => (data === null && kinds.includes('null')) || (typeof data === 'string' && resolves(data)),
    construct: (data: string | null) => resolvePlainScalar(data ?? '') ?? new GoScalar(kinds[0], data ?? ''),
    instanceOf: GoScalar,
  });
}

// go-yaml v2 decodes `!!binary` into the string of its bytes.
const BINARY = new yaml.Type('tag:yaml.org,2002:binary', {
  kind: 'scalar',
  resolve: (data: unknown) => typeof data === 'string' && /^[A-Za-z0-9+/=\s]*$/.test(data),
  construct: (data: string) => Buffer.from(data.replace(/\s/g, ''), 'base64').toString('utf8'),
});

/**
 * YAML 1.1 as go-yaml v2 resolves plain scalars: strings, null, booleans (`yes`/`no`/`on`/`off`/`y`/`n` too),
 * ints and floats kept as text, and `<<` as a key of its own kind (merged below in go-yaml's order).
 */
const GO_YAML_SCHEMA = yaml.FAILSAFE_SCHEMA.extend({
  implicit: [
    goType('tag:cdk-eks-fargate,2026:merge', 'merge'),
    goType('tag:yaml.org,2002:null', 'null'),
    goType('tag:yaml.org,2002:bool', 'bool'),
    goType('tag:yaml.org,2002:int', 'int'),
    goType('tag:yaml.org,2002:float', 'float', 'nan-or-inf'),
  ],
  explicit: [BINARY],
});

/**
 * Reads YAML as go-yaml v2 does for the authenticator: only the first document, nothing after a complete flow
 * node, NEL, U+2028 and U+2029 as line breaks, duplicate keys take the last value, merge keys apply in order (a
 * later merge overrides explicit keys before it), and a null key, a list or mapping as a key, or a merge of a
 * non-mapping fails.
 *
 * @throws GoYamlError when go-yaml would fail; BeyondLimitsError past `MAX_NESTING` or the alias node budget
 */
export function loadGoYaml(text: string): GoValue {
  const document = firstDocument(text);
  let loaded: unknown;
  try {
    const listener = nodeChecks(document);
    // js-yaml 4.3 takes `maxDepth`; its type definitions predate it.
    const options: yaml.LoadOptions & { readonly maxDepth: number } = {
      schema: GO_YAML_SCHEMA, json: true, maxDepth: MAX_NESTING, ...(listener === undefined ? {} : { listener }),
    };
    loaded = yaml.load(document.document, options);
  } catch (error) {
    if (error instanceof yaml.YAMLException) {
      const where = error.mark ? ` (line ${error.mark.line + 1}, column ${error.mark.column + 1})` : '';
      if (/maxDepth/.test(error.reason)) {
        throw new BeyondLimitsError(`it nests deeper than ${MAX_NESTING} levels, more than this library reads${where}`);
      }
      throw new GoYamlError(`${error.reason}${where}`);
    }
    if (error instanceof RangeError) {
      throw new BeyondLimitsError('it nests too deeply for this library to read');
    }
    throw error;
  }
  const walk: Walk = { nodesLeft: Math.max(MIN_NODE_BUDGET, text.length), decodes: 0, aliases: 0, aliasDepth: 0, seen: new Set() };
  count(walk);
  return toGoValue(loaded, walk);
}

/** A walk over js-yaml's result that counts nodes as go-yaml v2's decoder does, aliases expanded. */
interface Walk {
  nodesLeft: number;
  decodes: number;
  aliases: number;
  aliasDepth: number;
  /** Collections met so far: meeting one again is an alias (js-yaml shares the object). */
  readonly seen: Set<object>;
}

function count(walk: Walk): void {
  walk.decodes += 1;
  walk.nodesLeft -= 1;
  if (walk.aliasDepth > 0) {
    walk.aliases += 1;
  }
  if (walk.aliases > 100 && walk.decodes > 1000 && walk.aliases / walk.decodes > allowedAliasRatio(walk.decodes)) {
    throw new GoYamlError('document contains excessive aliasing');
  }
  if (walk.nodesLeft < 0) {
    throw new BeyondLimitsError('its aliases expand it to more nodes than it has characters, more than this library '
      + `reads (at least ${MIN_NODE_BUDGET} nodes are always allowed)`);
  }
}

/** go-yaml v2's allowedAliasRatio. */
function allowedAliasRatio(decodes: number): number {
  if (decodes <= 400_000) {
    return 0.99;
  }
  if (decodes >= 4_000_000) {
    return 0.10;
  }
  return 0.99 - 0.89 * ((decodes - 400_000) / 3_600_000);
}

function toGoValue(value: unknown, walk: Walk): GoValue {
  if (typeof value === 'object' && value !== null && !(value instanceof GoScalar)) {
    if (walk.seen.has(value)) {
      count(walk);
      walk.aliasDepth += 1;
      try {
        return toGoCollection(value, walk);
      } finally {
        walk.aliasDepth -= 1;
      }
    }
    walk.seen.add(value);
    return toGoCollection(value, walk);
  }
  count(walk);
  return value === undefined || value === null ? null : value as string | GoScalar;
}

function toGoCollection(value: object, walk: Walk): GoValue {
  count(walk);
  if (Array.isArray(value)) {
    return value.map((item) => toGoValue(item, walk));
  }
  const source = value as { readonly [key: string]: unknown };
  const mapping: GoMapping = new Map();
  for (const rawKey of Object.keys(source)) {
    const key = goKey(rawKey);
    if (key.kind !== 'merge') {
      count(walk);
    }
    const item = toGoValue(source[rawKey], walk);
    if (key.kind === 'merge') {
      mergeInto(mapping, item);
    } else if (key.kind === 'null') {
      throw new GoYamlError('a mapping has a null key, which JSON cannot hold');
    } else {
      // Keys that are not strings never name a field; they only need to stay apart from the string keys.
      mapping.set(key.kind === 'str' ? key.text : rawKey, item);
    }
  }
  return mapping;
}

/** go-yaml v2's merge: a mapping's keys override what is there; a list of mappings, the first one wins. */
function mergeInto(mapping: GoMapping, value: GoValue): void {
  const sources = Array.isArray(value) ? [...value].reverse() : [value];
  for (const source of sources) {
    if (!(source instanceof Map)) {
      throw new GoYamlError('map merge requires map or sequence of maps as the value');
    }
    source.forEach((item, key) => mapping.set(key, item));
  }
}
