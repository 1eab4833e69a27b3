import { lastGoodData, LastGoodStore, readLastGood, withDesiredState, withTombstone } from './last-good-store';
import { AwsAuthMappings } from '../../../aws-auth-merge';
import { AwsAuthChange } from '../handler/aws-auth-writer';

/**
 * Deploy (Create, Update): records what `ownerId` wants, one generation up, before aws-auth is written, so a reconcile
 * that reads aws-auth after the deploy wrote it also reads this desired state (and one that read aws-auth before
 * finds its write refused). Owners that leave in the same deploy get a tombstone.
 */
export function recordDesiredChange(ownerId: string, mappings: AwsAuthMappings, leavingOwnerIds: readonly string[] = []): AwsAuthChange {
  return (current) => {
    let store = readLastGood(current.data);
    for (const leaving of leavingOwnerIds.filter((id) => id !== ownerId)) {
      store = withTombstone(store, leaving);
    }
    return withStore(current.annotations, withDesiredState(store, ownerId, mappings));
  };
}

/**
 * Delete: a tombstone for the owner, so a run that starts late restores nothing. A store this library cannot read is
 * left alone (a reconcile writes nothing while it is unreadable), so a stack can always be deleted.
 */
export function tombstoneChange(ownerId: string, log: (message: string) => void): AwsAuthChange {
  return (current) => {
    let store: LastGoodStore;
    try {
      store = readLastGood(current.data);
    } catch (error) {
      log(`no tombstone for owner ${JSON.stringify(ownerId)}: ${(error as Error).message}`);
      return current;
    }
    return withStore(current.annotations, withTombstone(store, ownerId));
  };
}

function withStore(annotations: { [key: string]: string } | undefined, store: LastGoodStore) {
  return annotations === undefined ? { data: lastGoodData(store) } : { data: lastGoodData(store), annotations };
}
