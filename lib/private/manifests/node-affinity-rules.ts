import { describe } from './kubernetes-object-identity';
import { podTemplatePathOf } from './pod-bearing';
import { plainObjectOf } from '../shared/plain-objects';
import { ALL_RESOLVED, IsUnresolved } from '../shared/tokens';

/**
 * The shape Kubernetes requires of a pod's node affinity (`NodeSelectorTerm`, `NodeSelectorRequirement`), checked at
 * synth so that a number or an object where the API takes a string fails with its path instead of at deploy time.
 * Pure. Values `isUnresolved` says are deploy-time tokens are not judged; `null` stands for absent, as in the API.
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#NodeAffinity
 */

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'];

/** One finding: where (a dotted path from the object's root) and what is wrong there, with the fix. */
export interface ShapeProblem {
  readonly path: string;
  readonly problem: string;
}


/** The node affinity problems of one object (empty when it has no pod template or its affinity is well formed). */
export function nodeAffinityProblems(object: Record<string, any>, isUnresolved: IsUnresolved = ALL_RESOLVED): ShapeProblem[] {
  const templatePath = podTemplatePathOf(object.kind);
  if (!templatePath) {
    return [];
  }
  let current: unknown = object;
  for (const key of [...templatePath, 'spec', 'affinity', 'nodeAffinity']) {
    current = plainObjectOf(current)?.[key];
  }
  const nodeAffinity = plainObjectOf(current);
  if (!nodeAffinity) {
    return [];
  }
  const base = [...templatePath, 'spec', 'affinity', 'nodeAffinity'].join('.');
  const problems: ShapeProblem[] = [];
  const required = nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution;
  const requiredPath = `${base}.requiredDuringSchedulingIgnoredDuringExecution`;
  if (required !== undefined && required !== null && !isUnresolved(required)) {
    if (!plainObjectOf(required)) {
      problems.push(notA(requiredPath, required, 'an object with `nodeSelectorTerms`'));
    } else {
      eachItem(required.nodeSelectorTerms, `${requiredPath}.nodeSelectorTerms`, isUnresolved, problems,
        (term, path) => termProblems(term, path, isUnresolved, problems));
    }
  }
  eachItem(nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution, `${base}.preferredDuringSchedulingIgnoredDuringExecution`,
    isUnresolved, problems, (preferred, path) => {
      const weight = preferred.weight;
      if (!isUnresolved(weight) && (!Number.isInteger(weight) || weight < 1 || weight > 100)) {
        problems.push({ path: `${path}.weight`, problem: `is ${describe(weight)}; a preferred scheduling term's weight is an integer from 1 to 100` });
      }
      const preference = preferred.preference;
      if (preference !== undefined && preference !== null && !isUnresolved(preference)) {
        if (!plainObjectOf(preference)) {
          problems.push(notA(`${path}.preference`, preference, 'a node selector term (an object with `matchExpressions`)'));
        } else {
          termProblems(preference, `${path}.preference`, isUnresolved, problems);
        }
      }
    });
  return problems;
}

function termProblems(term: Record<string, any>, path: string, isUnresolved: IsUnresolved, problems: ShapeProblem[]): void {
  for (const field of ['matchExpressions', 'matchFields']) {
    eachItem(term[field], `${path}.${field}`, isUnresolved, problems,
      (requirement, requirementPath) => requirementProblems(requirement, requirementPath, isUnresolved, problems));
  }
}

/** A `NodeSelectorRequirement`: a string key, one of six operators, and as many string values as the operator takes. */
function requirementProblems(requirement: Record<string, any>, path: string, isUnresolved: IsUnresolved, problems: ShapeProblem[]): void {
  const { key, operator, values } = requirement;
  if (!isUnresolved(key) && (typeof key !== 'string' || key === '')) {
    problems.push({ path: `${path}.key`, problem: `is ${describe(key)}; a node selector requirement's key is a label key string. Write it as e.g. 'kubernetes.io/arch'` });
  }
  if (!isUnresolved(operator) && (typeof operator !== 'string' || !OPERATORS.includes(operator))) {
    problems.push({ path: `${path}.operator`, problem: `is ${describe(operator)}; a node selector requirement's operator is one of ${OPERATORS.join(', ')}` });
  }
  if (values === undefined || values === null || isUnresolved(values)) {
    checkValueCount(typeof operator === 'string' ? operator : undefined, 0, path, problems);
    return;
  }
  if (!Array.isArray(values)) {
    problems.push(notA(`${path}.values`, values, 'a list of strings'));
    return;
  }
  values.forEach((value, index) => {
    if (value !== null && !isUnresolved(value) && typeof value !== 'string') {
      const problem = `is ${describe(value)}; node selector requirement values are label value strings. `
        + 'Write each value as a string (quote numbers and booleans in YAML)';
      problems.push({ path: `${path}.values[${index}]`, problem });
    }
  });
  checkValueCount(typeof operator === 'string' ? operator : undefined, values.length, path, problems);
  if ((operator === 'Gt' || operator === 'Lt') && values.length === 1 && typeof values[0] === 'string' && !/^-?\d+$/.test(values[0])) {
    problems.push({ path: `${path}.values[0]`, problem: `is ${describe(values[0])}; operator ${operator} compares with an integer. Write a whole number such as '3'` });
  }
}

function checkValueCount(operator: string | undefined, count: number, path: string, problems: ShapeProblem[]): void {
  if ((operator === 'In' || operator === 'NotIn') && count === 0) {
    problems.push({ path: `${path}.values`, problem: `has no values; operator ${operator} needs at least one. Add the label values to match` });
  } else if ((operator === 'Exists' || operator === 'DoesNotExist') && count > 0) {
    problems.push({ path: `${path}.values`, problem: `has ${count} value(s); operator ${operator} takes none. Remove \`values\`` });
  } else if ((operator === 'Gt' || operator === 'Lt') && count !== 1) {
    problems.push({ path: `${path}.values`, problem: `has ${count} values; operator ${operator} takes exactly one integer` });
  }
}

/** Calls `check` on each object of the list at `path`; a present non-list, or a non-object item, is a problem. */
function eachItem(list: unknown, path: string, isUnresolved: IsUnresolved, problems: ShapeProblem[],
  check: (item: Record<string, any>, itemPath: string) => void): void {
  if (list === undefined || list === null || isUnresolved(list)) {
    return;
  }
  if (!Array.isArray(list)) {
    problems.push(notA(path, list, 'a list'));
    return;
  }
  list.forEach((item, index) => {
    if (isUnresolved(item)) {
      return;
    }
    const object = plainObjectOf(item);
    if (!object) {
      problems.push(notA(`${path}[${index}]`, item, 'an object'));
    } else {
      check(object, `${path}[${index}]`);
    }
  });
}

function notA(path: string, value: unknown, expected: string): ShapeProblem {
  return { path, problem: `is ${describe(value)}; Kubernetes takes ${expected} here` };
}
