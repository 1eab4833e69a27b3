import { IConstruct } from 'constructs';

/** Manifests applied to a cluster through `addManifest`, as the readiness checks see them. */
export interface RegisteredManifests {
  /** The construct the manifests were added as; findings are reported on its path. */
  readonly construct: IConstruct;
  /** The Kubernetes objects, as the user wrote them. */
  readonly manifests: ReadonlyArray<Record<string, any>>;
}

const manifestsByCluster = new WeakMap<IConstruct, RegisteredManifests[]>();

/** Records manifests added to a cluster. */
export function registerManifests(cluster: IConstruct, entry: RegisteredManifests): void {
  const entries = manifestsByCluster.get(cluster) ?? [];
  entries.push(entry);
  manifestsByCluster.set(cluster, entries);
}

/** Every manifest added to a cluster so far, in order. */
export function manifestsOf(cluster: IConstruct): readonly RegisteredManifests[] {
  return manifestsByCluster.get(cluster) ?? [];
}
