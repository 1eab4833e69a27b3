import { describeMapping, MappingEntry, MappingKind, sameMapping } from './mapping-entries';
import { SsoPatterns } from './sso-patterns';

/** One data key's merge: the entries as EKS reads them, what the owner held before, and what it wants now. */
export interface EntryMergeInput {
  readonly kind: MappingKind;
  readonly ownerId: string;
  /** The data key's entries in document order; `undefined` for an entry EKS drops (never touched). */
  readonly current: readonly (MappingEntry | undefined)[];
  /** Identities the owner held before this operation (its record). */
  readonly previouslyHeld: ReadonlySet<string>;
  /** Entries the owner wants now; empty when it leaves. */
  readonly desired: readonly MappingEntry[];
  /** Identity → readable ids of the other owners that hold it. */
  readonly otherHolders: ReadonlyMap<string, readonly string[]>;
  /** Identities that existed, identical, before any owner took them. */
  readonly preExisting: ReadonlySet<string>;
}

/** What to change in a data key, by position in `current`. */
export interface EntryEdits {
  /** Positions whose entries go. */
  readonly dropped: ReadonlySet<number>;
  /** Positions whose entries are replaced by the owner's new mapping. */
  readonly replaced: ReadonlyMap<number, MappingEntry>;
  /** New entries, added after the last one. */
  readonly appended: readonly MappingEntry[];
}

/** The merged data key. */
export interface EntryMergeResult {
  /** The changes, or `undefined` when nothing changes (the data value stays byte for byte). */
  readonly edits?: EntryEdits;
  /** Identities the owner holds now. */
  readonly held: ReadonlySet<string>;
  /** The pre-existing identities after the operation, limited to those someone still holds. */
  readonly preExisting: ReadonlySet<string>;
}

/**
 * Merges one owner's wanted entries into a data key, telling entries apart as EKS does. Linear in the entries.
 *
 * - An entry nobody holds is foreign: never changed or removed. Entries EKS drops are never touched.
 * - Wanting a foreign entry that EKS already serves the same way adopts it: it is recorded as pre-existing and
 *   stays when its last owner leaves.
 * - Owners of an entry are a set; the entry goes when its last owner leaves, unless it pre-existed.
 * - A different mapping of an identity that is foreign, pre-existing or held by another owner is an error, a case
 *   variant of the ARN included (EKS serves one of them); so is a role ARN that another entry's `sso` pattern
 *   covers with a different mapping (EKS serves either). An entry held by this owner alone, in any spelling, is
 *   updated in place.
 *
 * @throws Error naming the ARN as written and as EKS compares it, both mappings and who holds the entry
 */
export function mergeEntries(input: EntryMergeInput): EntryMergeResult {
  const { current, previouslyHeld, desired, otherHolders, preExisting } = input;
  const positions = indexByIdentity(current);
  const replaced = new Map<number, MappingEntry>();
  const dropped = new Set<number>();
  const appended: MappingEntry[] = [];
  const adopted = new Set<string>();
  // Pre-existing entries that leave the owners' hands (released) or that vanished and are added anew.
  const noLongerPreExisting = new Set<string>();
  const wanted = new Set<string>();
  const ssoPatterns = input.kind === 'mapRoles' ? new SsoPatterns(current) : undefined;

  for (const entry of desired) {
    wanted.add(entry.identity);
    if (ssoPatterns !== undefined) {
      refuseSsoOverlap(input, ssoPatterns, entry);
    }
    const found = positions.get(entry.identity);
    if (found === undefined) {
      appended.push(entry);
      noLongerPreExisting.add(entry.identity);
      continue;
    }
    const held = previouslyHeld.has(entry.identity);
    const others = otherHolders.get(entry.identity);
    const differing = found.find((position) => !sameMapping(current[position]!, entry));
    if (differing === undefined) {
      if (!held && others === undefined) {
        adopted.add(entry.identity);
      }
      continue;
    }
    if (!held || others !== undefined || preExisting.has(entry.identity)) {
      throw conflictError(input, current[differing]!, entry, others);
    }
    // The owner's own entry, changed since (by the owner or a hand edit): one entry, in the first one's place.
    replaced.set(found[0], entry);
    found.slice(1).forEach((position) => dropped.add(position));
  }

  for (const identity of previouslyHeld) {
    if (wanted.has(identity) || otherHolders.has(identity)) {
      continue;
    }
    if (preExisting.has(identity)) {
      noLongerPreExisting.add(identity);
      continue;
    }
    positions.get(identity)?.forEach((position) => dropped.add(position));
  }

  const stillPreExisting = new Set<string>();
  for (const identity of [...preExisting, ...adopted]) {
    if (!noLongerPreExisting.has(identity) && (wanted.has(identity) || otherHolders.has(identity))) {
      stillPreExisting.add(identity);
    }
  }

  const changed = replaced.size > 0 || dropped.size > 0 || appended.length > 0;
  return {
    edits: changed ? { dropped, replaced, appended } : undefined,
    held: wanted,
    preExisting: stillPreExisting,
  };
}

function indexByIdentity(entries: readonly (MappingEntry | undefined)[]): Map<string, number[]> {
  const positions = new Map<string, number[]>();
  entries.forEach((entry, position) => {
    if (entry === undefined || entry.ssoPattern !== undefined) {
      return;
    }
    const list = positions.get(entry.identity);
    if (list === undefined) {
      positions.set(entry.identity, [position]);
    } else {
      list.push(position);
    }
  });
  return positions;
}

/** EKS serves a role ARN that an `sso` entry also covers from either one, at random. */
function refuseSsoOverlap(input: EntryMergeInput, ssoPatterns: SsoPatterns, wanted: MappingEntry): void {
  for (const entry of ssoPatterns.covering(wanted.identity)) {
    if (!sameMapping(entry, wanted)) {
      throw new Error(`aws-auth \`mapRoles\` has an \`sso\` entry whose pattern \`${entry.ssoPattern}\` covers `
        + `\`${wanted.arn}\` and maps to ${describeMapping(entry)}; owner ${JSON.stringify(input.ownerId)} wants `
        + `${describeMapping(wanted)}, and EKS would serve either one at random. Use the same username and groups, `
        + 'or map a role outside the pattern.');
    }
  }
}

function conflictError(input: EntryMergeInput, existing: MappingEntry, wanted: MappingEntry, others: readonly string[] | undefined): Error {
  const { kind, ownerId, previouslyHeld, preExisting } = input;
  const holders: string[] = [];
  if (others !== undefined) {
    holders.push(`held by owner${others.length > 1 ? 's' : ''} ${others.map((other) => JSON.stringify(other)).join(', ')}`);
  } else if (!previouslyHeld.has(wanted.identity)) {
    holders.push('a foreign entry: not written by cdk-eks-fargate, so never changed by it');
  }
  if (preExisting.has(wanted.identity)) {
    holders.push('it existed before any owner took it, so it is never changed');
  }
  const spelling = existing.arn === wanted.arn ? '' : ` (written \`${existing.arn}\`; EKS compares ${kind === 'mapAccounts'
    ? 'account ids as text' : 'ARNs ignoring case'}, so both are \`${wanted.identity}\`)`;
  return new Error(`aws-auth \`${kind}\` entry \`${wanted.arn}\`${spelling} maps to ${describeMapping(existing)} `
    + `(${holders.join('; ')}); owner ${JSON.stringify(ownerId)} wants ${describeMapping(wanted)}. `
    + 'Use the same username and groups as the existing entry, or map a different principal.');
}
