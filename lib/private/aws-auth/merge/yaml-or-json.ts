import * as yaml from 'js-yaml';
import { readSimpleBlockSequence } from './simple-block-sequence';
import { looksLikeYamlNumber, YamlNumberText } from './yaml-number-text';

function numberAsText(tag: string): yaml.Type {
  return new yaml.Type(tag, {
    kind: 'scalar',
    resolve: (data: unknown) => typeof data === 'string' && looksLikeYamlNumber(data),
    construct: (data: string) => new YamlNumberText(data),
    instanceOf: YamlNumberText,
    represent: (value: object) => (value as YamlNumberText).text,
  });
}

// Go's yaml.v2 honours merge keys (`<<: *anchor`) in hand-edited ConfigMaps; js-yaml's core schema does not.
export const MERGE_KEY = new yaml.Type('tag:yaml.org,2002:merge', {
  kind: 'scalar',
  resolve: (data: unknown) => data === '<<' || data === null,
});

/**
 * The core schema (null, booleans) with numbers kept as text and merge keys resolved. Replacing the `int` and
 * `float` tags (same tag, same kind) swaps js-yaml's own number types out of the schema.
 */
export const AWS_AUTH_YAML_SCHEMA = yaml.CORE_SCHEMA.extend({
  implicit: [numberAsText('tag:yaml.org,2002:int'), numberAsText('tag:yaml.org,2002:float'), MERGE_KEY],
});

/** Options for every js-yaml dump of aws-auth entries. */
export const AWS_AUTH_DUMP_OPTIONS: yaml.DumpOptions = {
  schema: AWS_AUTH_YAML_SCHEMA,
  // Anchors in the output would make two entries one; ARNs are never folded across lines.
  noRefs: true,
  lineWidth: -1,
};

/** A parse failure with the position, without js-yaml's multi-line source snippet. */
export class DataTextError extends Error {}

/**
 * Reads a data value written as YAML (eksctl, EKS, Terraform, hand edits) or JSON (aws-cdk-lib).
 *
 * JSON goes through `JSON.parse` (an order of magnitude faster than a YAML parser on a 5,000-entry list) unless
 * it holds a number that a double cannot represent exactly; then the YAML reader keeps its text. YAML in the
 * shape aws-auth writers use goes through a reader of just that shape, anything else through js-yaml.
 *
 * @returns `undefined` for an empty or comment-only value
 * @throws DataTextError when the text is neither valid JSON nor valid YAML
 */
export function loadYamlOrJson(text: string): unknown {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    const fromJson = loadJson(text);
    if (fromJson !== undefined) {
      return fromJson.value;
    }
  }
  const simple = readSimpleBlockSequence(text);
  if (simple !== undefined) {
    return simple;
  }
  try {
    return yaml.load(text, { schema: AWS_AUTH_YAML_SCHEMA });
  } catch (error) {
    if (error instanceof yaml.YAMLException) {
      const where = error.mark ? ` (line ${error.mark.line + 1}, column ${error.mark.column + 1})` : '';
      throw new DataTextError(`${error.reason}${where}`);
    }
    throw error;
  }
}

function loadJson(text: string): { value: unknown } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Flow-style YAML (`[{rolearn: arn:...}]`) also starts with a bracket.
    return undefined;
  }
  // A walk after parsing: a JSON.parse reviver is called for every value and costs more than the parse itself.
  let exact = true;
  const numbersAsText = (item: unknown): unknown => {
    if (typeof item === 'number') {
      exact = exact && Number.isSafeInteger(item);
      return new YamlNumberText(String(item));
    }
    if (typeof item === 'object' && item !== null) {
      for (const [key, field] of Object.entries(item)) {
        if (typeof field === 'object' || typeof field === 'number') {
          // defineProperty, so that a `__proto__` key stays an ordinary field.
          Object.defineProperty(item, key, { value: numbersAsText(field), enumerable: true, writable: true, configurable: true });
        }
      }
    }
    return item;
  };
  value = numbersAsText(value);
  return exact ? { value } : undefined;
}
