import { arnLike } from './eks-reader';
import { MappingEntry } from './mapping-entries';

/**
 * The `sso` entries of a mapRoles key, indexed so that finding the ones whose pattern covers a role ARN costs one
 * lookup instead of a walk over every entry: a pattern's sections before the resource (`arn:<partition>:iam::
 * <account>:`) are literal for every pattern the authenticator builds, so only patterns with the same leading
 * sections can match. A pattern with a wildcard there is checked against every ARN, as `arnLike` would.
 */
export class SsoPatterns {
  private readonly byPrefix = new Map<string, MappingEntry[]>();
  private readonly anywhere: MappingEntry[] = [];

  constructor(entries: readonly (MappingEntry | undefined)[]) {
    for (const entry of entries) {
      if (entry?.ssoPattern === undefined) {
        continue;
      }
      const prefix = leadingSections(entry.ssoPattern);
      if (prefix === undefined || /[*?]/.test(prefix)) {
        this.anywhere.push(entry);
      } else if (this.byPrefix.has(prefix)) {
        this.byPrefix.get(prefix)!.push(entry);
      } else {
        this.byPrefix.set(prefix, [entry]);
      }
    }
  }

  /** The `sso` entries whose pattern matches the (lower-cased) role ARN, in document order within each group. */
  public covering(identity: string): MappingEntry[] {
    const prefix = leadingSections(identity);
    const candidates = prefix === undefined ? this.anywhere : [...(this.byPrefix.get(prefix) ?? []), ...this.anywhere];
    return candidates.filter((entry) => arnLike(identity, entry.ssoPattern!));
  }
}

/** The first five `:`-separated sections with their separators, or `undefined` when there are fewer than six. */
function leadingSections(arn: string): string | undefined {
  let end = -1;
  for (let section = 0; section < 5; section++) {
    end = arn.indexOf(':', end + 1);
    if (end < 0) {
      return undefined;
    }
  }
  return arn.slice(0, end + 1);
}
