/**
 * How pure code knows deploy-time values. Pure files cannot import aws-cdk-lib, so the constructs pass
 * `Token.isUnresolved` in as an {@link IsUnresolved}; text that may hold tokens (a Fluent Bit config) has their
 * markers taken out with {@link withoutTokenMarkers} before it is judged.
 */

/** Whether a value is only known at deploy time (a CDK token); the constructs pass `Token.isUnresolved`. */
export type IsUnresolved = (value: unknown) => boolean;

/** For callers without tokens (the handler, tests): every value is known. */
export const ALL_RESOLVED: IsUnresolved = () => false;

/** The marker aws-cdk-lib puts in a string for a token (`${Token[...]}`). */
const TOKEN_MARKER = /\$\{Token\[[^\]]*\]\}/g;

/** `text` without the token markers in it, so that what is left can be checked as written. */
export function withoutTokenMarkers(text: string): string {
  return text.replace(TOKEN_MARKER, '');
}
