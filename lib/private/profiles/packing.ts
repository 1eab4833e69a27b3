/** EKS quota: selectors in one Fargate profile. */
export const MAX_SELECTORS_PER_PROFILE = 5;

/**
 * Splits selectors into profile-sized chunks, keeping the user's order.
 *
 * Packing is append-only on purpose: a selector added at the end fills the last chunk or opens a new one, so
 * only that profile is replaced (profiles are immutable in EKS and deleting one stops its pods).
 */
export function packSelectors<T>(selectors: readonly T[], chunkSize: number = MAX_SELECTORS_PER_PROFILE): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < selectors.length; start += chunkSize) {
    chunks.push(selectors.slice(start, start + chunkSize));
  }
  return chunks;
}
