import { groupOf } from '../kubernetes-object-identity';

/** How the API serves one kind: its resource name in URLs and whether objects live in a namespace. */
export interface ResourceMapping {
  readonly resource: string;
  readonly namespaced: boolean;
}

/** Discovery path of an `apiVersion`: `/api/v1` for the core group, `/apis/<group>/<version>` for the others. */
export function discoveryPath(apiVersion: string): string {
  return groupOf(apiVersion) === '' ? `/api/${apiVersion}` : `/apis/${apiVersion}`;
}

/**
 * The kinds of an `APIResourceList` discovery document (`GET /api/v1`, `GET /apis/apps/v1`), subresources
 * (`deployments/scale`) left out. `undefined` when the body is not such a document.
 */
export function parseResourceList(body: string): Map<string, ResourceMapping> | undefined {
  let document: { resources?: unknown };
  try {
    document = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!document || typeof document !== 'object' || !Array.isArray(document.resources)) {
    return undefined;
  }
  const kinds = new Map<string, ResourceMapping>();
  for (const entry of document.resources as Array<{ name?: unknown; kind?: unknown; namespaced?: unknown }>) {
    if (typeof entry?.name === 'string' && typeof entry.kind === 'string' && !entry.name.includes('/')) {
      kinds.set(entry.kind, { resource: entry.name, namespaced: entry.namespaced === true });
    }
  }
  return kinds;
}

/** URL path of one object (or of its collection when `name` is absent). */
export function objectPath(apiVersion: string, mapping: ResourceMapping, namespace: string | undefined, name?: string): string {
  const base = discoveryPath(apiVersion);
  const scope = mapping.namespaced ? `/namespaces/${encodeURIComponent(namespace ?? 'default')}` : '';
  return `${base}${scope}/${mapping.resource}${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
}
