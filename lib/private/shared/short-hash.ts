import { createHash } from 'crypto';

/**
 * The first `length` hex digits of the SHA-256 of `text` (UTF-8): how every generated name, key and id of the
 * library stays short, stable for the same input, and distinct for different inputs.
 */
export function shortHash(text: string, length: number): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, length);
}
