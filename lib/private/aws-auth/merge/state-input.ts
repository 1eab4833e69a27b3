import { isPlainObject } from '../../shared/plain-objects';
/** An `AwsAuthState` as given, checked to be objects so that no property access can throw. */
export interface StateParts {
  readonly data: { readonly [key: string]: string };
  readonly annotations: { readonly [key: string]: string };
  readonly hadAnnotations: boolean;
}

/**
 * Checks the outer shape of a ConfigMap state from JavaScript callers: `data` and `annotations` must be plain
 * objects when present. Values are checked where they are read (mapping keys, ownership annotations); others pass
 * through as given.
 *
 * @throws Error naming the part that is not an object
 */
export function readState(current: unknown): StateParts {
  if (current === undefined || current === null) {
    return { data: {}, annotations: {}, hadAnnotations: false };
  }
  if (!isRecord(current)) {
    throw new Error(`AwsAuthMerge: the ConfigMap state must be an object with \`data\`, found ${describe(current)}`);
  }
  const data = current.data ?? {};
  const annotations = current.annotations;
  if (!isRecord(data)) {
    throw new Error(`AwsAuthMerge: the ConfigMap's \`data\` must be an object, found ${describe(data)}`);
  }
  if (annotations !== undefined && annotations !== null && !isRecord(annotations)) {
    throw new Error(`AwsAuthMerge: the ConfigMap's \`annotations\` must be an object, found ${describe(annotations)}`);
  }
  return {
    data: data as { readonly [key: string]: string },
    annotations: (annotations ?? {}) as { readonly [key: string]: string },
    hadAnnotations: annotations !== undefined && annotations !== null,
  };
}

const isRecord: (value: unknown) => value is { readonly [key: string]: unknown } = isPlainObject;

function describe(value: unknown): string {
  return Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value;
}
