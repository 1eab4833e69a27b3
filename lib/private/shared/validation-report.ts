import { IConstruct } from 'constructs';

/**
 * Throws one synth-time error listing every problem, each prefixed with the construct path, so a user fixes all
 * of them in one round instead of one deploy attempt at a time.
 */
export function throwIfProblems(construct: IConstruct, problems: readonly string[]): void {
  if (problems.length === 0) {
    return;
  }
  const lines = problems.map(problem => `${construct.node.path}: ${problem}`);
  throw new Error(lines.join('\n'));
}
