import { Token, Tokenization } from 'aws-cdk-lib';
import { jsonPathsWhere } from '../shared/json-paths';

/**
 * aws-cdk-lib encodes number tokens as doubles near -1.9e289, and resolving the template fails on a number in that
 * range that is no token it knows. No Kubernetes field takes such a number, so it is refused at synth with where it
 * is, instead of failing later inside aws-cdk-lib's resolver.
 * @returns the JSON paths of such numbers in `value`
 */
export function unknownNumberTokenPaths(value: unknown): string[] {
  return jsonPathsWhere(value, (item) => typeof item === 'number' && readsAsUnknownToken(item), Token.isUnresolved).map((path) => path || '.');
}

/**
 * Whether aws-cdk-lib's resolver takes the number for a token it does not know, read as a number (which throws for
 * some of the range) or written into a string.
 */
function readsAsUnknownToken(value: number): boolean {
  try {
    if (Tokenization.reverseNumber(value) !== undefined) {
      return false;
    }
    Tokenization.reverseString(String(value));
    return false;
  } catch {
    return true;
  }
}
