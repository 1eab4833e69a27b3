import { isPlainObject } from './plain-objects';

/**
 * JSON paths (`.a[0].b`, the root being '') of the values in `root` for which `test` holds, given each value and the
 * object key it sits under. Arrays and plain objects are entered unless `isOpaque` says not to (tokens, at synth).
 */
export function jsonPathsWhere(
  root: unknown,
  test: (value: unknown, key: string | undefined) => boolean,
  isOpaque: (value: unknown) => boolean,
): string[] {
  const found: string[] = [];
  const walk = (value: unknown, path: string, key?: string): void => {
    if (test(value, key)) {
      found.push(path);
    }
    if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, `${path}[${index}]`));
    } else if (isPlainObject(value) && !isOpaque(value)) {
      for (const [childKey, item] of Object.entries(value)) {
        walk(item, `${path}.${childKey}`, childKey);
      }
    }
  };
  walk(root, '');
  return found;
}
