/** Whether `value` is a plain object (not null, not an array): what JSON and YAML objects parse to. */
export function isPlainObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` when it is a plain object, else undefined. */
export function plainObjectOf(value: unknown): Record<string, any> | undefined {
  return isPlainObject(value) ? value : undefined;
}

/** The plain-object elements of `value` when it is an array, else an empty array. */
export function plainObjectsOf(value: unknown): Record<string, any>[] {
  return Array.isArray(value) ? value.filter(isPlainObject) : [];
}
