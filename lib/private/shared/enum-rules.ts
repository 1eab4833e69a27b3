/**
 * Enum-typed props that JavaScript (and other jsii languages' casts) can set to any value: a clean error listing the
 * allowed values instead of a template CloudFormation rejects or a branch that silently does something else. Pure.
 */

/** An enum object as TypeScript compiles it: string members, or numeric members with their reverse mapping. */
export type EnumObject = { readonly [name: string]: string | number };

/** Problems with `value` as a member of `enumObject`; none for undefined (the prop's default applies). */
export function enumProblems(prop: string, value: unknown, enumObject: EnumObject): string[] {
  // A numeric enum maps names to numbers and numbers back to names: only the numbers are values.
  const numeric = Object.values(enumObject).some((member) => typeof member === 'number');
  const members = Object.entries(enumObject).filter(([, member]) => typeof member === (numeric ? 'number' : 'string'));
  if (value === undefined || members.some(([, member]) => member === value)) {
    return [];
  }
  const allowed = members.map(([name, member]) => (name === member ? name : `${name} (${JSON.stringify(member)})`));
  return [`\`${prop}\` is ${JSON.stringify(value) ?? String(value)}, which is not one of ${allowed.join(', ')}. Use the enum member.`];
}
