import { LAST_GOOD_KEYS, LAST_GOOD_NAME, LastGoodStore, ownerKeyOf } from './last-good-store';
import { AwsAuthMappings, AwsAuthMerge, AwsAuthState } from '../../../aws-auth-merge';
import { mapsToNodes } from '../../shared/kubernetes-groups';
import { sameAwsAuthState } from '../handler/aws-auth-config-map';


/** One aws-auth entry, named as an operator would look it up. */
export interface EntryName {
  /** `mapRoles`, `mapUsers` or `mapAccounts`. */
  readonly key: string;
  /** The role ARN, user ARN or account id. */
  readonly identity: string;
}

/** What a reconcile run should write and report, decided from what it read. */
export interface ReconcileDecision {
  /** aws-auth to write; `undefined` when every owned or adopted entry is in place. */
  readonly awsAuth?: AwsAuthState;
  /** The store to write; `undefined` when it would not change. */
  readonly store?: LastGoodStore;
  /** Entries of the owner that were missing or changed and are written back. */
  readonly restored: readonly EntryName[];
  /** Entries of the last good copy that no owner wants and that are gone: reported, never restored. */
  readonly foreignLost: readonly EntryName[];
  /** ARNs mapped to `system:nodes` in the last good copy that no longer are. */
  readonly nodeArnsLost: readonly string[];
  /** Why the run could not do its job (the other fields still apply); `undefined` when it could. */
  readonly problem?: string;
  /** The generation of the owner's desired state that was applied. */
  readonly desiredGeneration?: number;
}

/**
 * Decides a reconcile run for `ownerId` from aws-auth as read (`undefined`: it does not exist) and the store.
 * Throws when aws-auth is unreadable, so nothing is written. Owned and adopted entries are restored through
 * `AwsAuthMerge.applyOwner`, which never touches an entry the owner does not hold; foreign losses are only reported.
 */
export function decideReconcile(ownerId: string, read: AwsAuthState | undefined, store: LastGoodStore): ReconcileDecision {
  const current: AwsAuthState = read ?? { data: {} };
  const currentMappings = parseOrExplain(current, 'aws-auth');
  const desired = store.owners[ownerKeyOf(ownerId)];
  if (desired?.deleted) {
    // A late run after the owner's Delete: restore nothing and leave the copy to the owners that remain.
    return { restored: [], foreignLost: [], nodeArnsLost: [], desiredGeneration: desired.generation };
  }

  let awsAuth: AwsAuthState | undefined;
  let restored: EntryName[] = [];
  let problem: string | undefined;
  if (!desired?.mappings) {
    problem = `no desired state of owner ${JSON.stringify(ownerId)} in kube-system/${LAST_GOOD_NAME}; the next deploy of its stack records it`;
  } else {
    restored = missingOrChanged(desired.mappings, currentMappings);
    if (restored.length > 0) {
      try {
        awsAuth = AwsAuthMerge.applyOwner(current, ownerId, desired.mappings);
      } catch (error) {
        problem = `cannot restore ${restored.map(describe).join(', ')}: ${(error as Error).message}`;
        restored = [];
      }
    }
  }

  const after = awsAuth ?? current;
  const lost = store.copy ? lossesSince(store, parseOrExplain(store.copy, `${LAST_GOOD_NAME} key ${LAST_GOOD_KEYS.copy}`), currentMappings) : undefined;
  return {
    awsAuth,
    store: nextStore(store, after, (lost?.foreignLost.length ?? 0) + (lost?.nodeArnsLost.length ?? 0) + restored.length > 0),
    restored,
    foreignLost: lost?.foreignLost ?? [],
    nodeArnsLost: lost?.nodeArnsLost ?? [],
    problem,
    desiredGeneration: desired?.generation,
  };
}

/** The entries of `wanted` that `current` lacks or maps differently (role ARNs compare lower-cased, as EKS does). */
export function missingOrChanged(wanted: AwsAuthMappings, current: AwsAuthMappings): EntryName[] {
  const names: EntryName[] = [];
  const roles = indexBy(current.mapRoles ?? [], (entry) => entry.rolearn.toLowerCase());
  for (const entry of wanted.mapRoles ?? []) {
    const found = roles.get(entry.rolearn.toLowerCase());
    if (!found || !sameGrant(found, entry)) {
      names.push({ key: 'mapRoles', identity: entry.rolearn });
    }
  }
  const users = indexBy(current.mapUsers ?? [], (entry) => entry.userarn.toLowerCase());
  for (const entry of wanted.mapUsers ?? []) {
    const found = users.get(entry.userarn.toLowerCase());
    if (!found || !sameGrant(found, entry)) {
      names.push({ key: 'mapUsers', identity: entry.userarn });
    }
  }
  const accounts = new Set(current.mapAccounts ?? []);
  for (const account of wanted.mapAccounts ?? []) {
    if (!accounts.has(account)) {
      names.push({ key: 'mapAccounts', identity: account });
    }
  }
  return names;
}

/** `mapRoles: arn:…` for log lines. */
export function describe(entry: EntryName): string {
  return `${entry.key}: ${entry.identity}`;
}

type Losses = { foreignLost: EntryName[]; nodeArnsLost: string[] };

function lossesSince(store: LastGoodStore, lastGood: AwsAuthMappings, current: AwsAuthMappings): Losses {
  const wantedByAnyOwner: AwsAuthMappings[] = Object.values(store.owners)
    .filter((owner) => !owner.deleted && owner.mappings)
    .map((owner) => owner.mappings!);
  const gone = missingOrChanged(lastGood, current).filter((entry) => !present(entry, current));
  const foreignLost = gone.filter((entry) => !wantedByAnyOwner.some((mappings) => present(entry, mappings)));
  const stillNodes = new Set([...(current.mapRoles ?? []).filter(mapsNodes).map((e) => e.rolearn.toLowerCase()),
    ...(current.mapUsers ?? []).filter(mapsNodes).map((e) => e.userarn.toLowerCase())]);
  const nodeArnsLost = [...(lastGood.mapRoles ?? []).filter(mapsNodes).map((e) => e.rolearn),
    ...(lastGood.mapUsers ?? []).filter(mapsNodes).map((e) => e.userarn)].filter((arn) => !stillNodes.has(arn.toLowerCase()));
  return { foreignLost, nodeArnsLost: [...new Set(nodeArnsLost)] };
}

function nextStore(store: LastGoodStore, after: AwsAuthState, lossOrRestore: boolean): LastGoodStore | undefined {
  if (store.copy && sameAwsAuthState(store.copy, after)) {
    return undefined;
  }
  return {
    ...store,
    copy: after,
    previous: store.copy ?? store.previous,
    // The copy in which lost entries last existed stays until the next loss, however often aws-auth changes after.
    beforeLastLoss: lossOrRestore && store.copy ? store.copy : store.beforeLastLoss,
    generation: store.generation + 1,
  };
}

function present(entry: EntryName, mappings: AwsAuthMappings): boolean {
  const identity = entry.identity.toLowerCase();
  switch (entry.key) {
    case 'mapRoles':
      return (mappings.mapRoles ?? []).some((e) => e.rolearn.toLowerCase() === identity);
    case 'mapUsers':
      return (mappings.mapUsers ?? []).some((e) => e.userarn.toLowerCase() === identity);
    default:
      return (mappings.mapAccounts ?? []).includes(entry.identity);
  }
}

function sameGrant(a: { username?: string; groups?: string[] }, b: { username?: string; groups?: string[] }): boolean {
  const left = new Set(a.groups ?? []);
  const right = new Set(b.groups ?? []);
  return (a.username ?? '') === (b.username ?? '') && left.size === right.size && [...left].every((group) => right.has(group));
}

function mapsNodes(entry: { groups?: string[] }): boolean {
  return mapsToNodes(entry.groups);
}

function indexBy<T>(entries: readonly T[], key: (entry: T) => string): Map<string, T> {
  const index = new Map<string, T>();
  for (const entry of entries) {
    // The authenticator keeps the last entry of an ARN.
    index.set(key(entry), entry);
  }
  return index;
}

function parseOrExplain(state: AwsAuthState, what: string): AwsAuthMappings {
  try {
    return AwsAuthMerge.parse(state);
  } catch (error) {
    throw new UnreadableAwsAuthError(`${what} is unreadable, so nothing is written: ${(error as Error).message}`);
  }
}

/** aws-auth (or the copy) cannot be parsed: the run writes nothing. */
export class UnreadableAwsAuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableAwsAuthError';
  }
}
