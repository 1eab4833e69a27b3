import { describeMapping, MappingEntry, MappingKind, sameMapping } from './mapping-entries';

/** One data key's merge: the entries as they are, what the owner held before, and what it wants now. */
export interface EntryMergeInput {
  readonly kind: MappingKind;
  readonly ownerId: string;
  /** The data key's entries as read. */
  readonly current: readonly MappingEntry[];
  /** Identities the owner held before this operation (its record). */
  readonly previouslyHeld: ReadonlySet<string>;
  /** Entries the owner wants now; empty when it leaves. */
  readonly desired: readonly MappingEntry[];
  /** Identity → readable ids of the other owners that hold it. */
  readonly otherHolders: ReadonlyMap<string, readonly string[]>;
  /** Identities that existed, identical, before any owner took them. */
  readonly preExisting: ReadonlySet<string>;
}

/** The merged data key. */
export interface EntryMergeResult {
  /** The entries in order, or `undefined` when nothing changed (the data value stays byte for byte). */
  readonly entries?: readonly MappingEntry[];
  /** Identities the owner holds now. */
  readonly held: ReadonlySet<string>;
  /** The pre-existing identities after the operation, limited to those someone still holds. */
  readonly preExisting: ReadonlySet<string>;
}

/**
 * Merges one owner's wanted entries into a data key. Linear in the number of entries.
 *
 * - An entry nobody holds is foreign: never changed or removed, and it keeps its place.
 * - Wanting a foreign entry that already maps the same way adopts it: it is recorded as pre-existing and stays
 *   when its last owner leaves.
 * - Owners of an entry are a set; the entry goes when its last owner leaves, unless it pre-existed.
 * - A different mapping of an entry that is foreign, pre-existing or held by another owner is an error. An entry
 *   held by this owner alone is updated in place.
 *
 * @throws Error naming the identity, both mappings and who holds the entry
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

  for (const entry of desired) {
    wanted.add(entry.identity);
    const found = positions.get(entry.identity);
    if (found === undefined) {
      appended.push(entry);
      noLongerPreExisting.add(entry.identity);
      continue;
    }
    const held = previouslyHeld.has(entry.identity);
    const others = otherHolders.get(entry.identity);
    const differing = found.find((position) => !sameMapping(current[position], entry));
    if (differing === undefined) {
      if (!held && others === undefined) {
        adopted.add(entry.identity);
      }
      continue;
    }
    if (!held || others !== undefined || preExisting.has(entry.identity)) {
      throw conflictError(input, current[differing], entry, others);
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
    entries: changed ? [...rebuild(current, replaced, dropped), ...appended] : undefined,
    held: wanted,
    preExisting: stillPreExisting,
  };
}

function indexByIdentity(entries: readonly MappingEntry[]): Map<string, number[]> {
  const positions = new Map<string, number[]>();
  entries.forEach((entry, position) => {
    const list = positions.get(entry.identity);
    if (list === undefined) {
      positions.set(entry.identity, [position]);
    } else {
      list.push(position);
    }
  });
  return positions;
}

function rebuild(current: readonly MappingEntry[], replaced: ReadonlyMap<number, MappingEntry>, dropped: ReadonlySet<number>): MappingEntry[] {
  const result: MappingEntry[] = [];
  current.forEach((entry, position) => {
    if (!dropped.has(position)) {
      result.push(replaced.get(position) ?? entry);
    }
  });
  return result;
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
  return new Error(`aws-auth \`${kind}\` entry \`${wanted.identity}\` maps to ${describeMapping(existing)} `
    + `(${holders.join('; ')}); owner ${JSON.stringify(ownerId)} wants ${describeMapping(wanted)}. `
    + 'Use the same username and groups as the existing entry, or map a different principal.');
}
