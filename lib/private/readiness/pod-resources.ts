import { objectAt, objectsOf } from './pod-spec';
import { parseQuantity } from './quantity';

/**
 * Pod resource totals computed the way Fargate sizes a pod.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/fargate-pod-configuration.html
 */

/**
 * A container's request for `resource`: `resources.requests`, else `resources.limits` (Kubernetes defaults a
 * missing request to the limit), else undefined. Unparseable values count as absent.
 */
export function containerRequest(container: Record<string, any>, resource: string): number | undefined {
  const resources = objectAt(container, 'resources');
  return parseQuantity(objectAt(resources, 'requests')?.[resource]) ?? parseQuantity(objectAt(resources, 'limits')?.[resource]);
}

/** The larger of a container's request and limit for `resource` (what it may end up using), or undefined. */
export function containerCeiling(container: Record<string, any>, resource: string): number | undefined {
  const resources = objectAt(container, 'resources');
  const values = [objectAt(resources, 'requests')?.[resource], objectAt(resources, 'limits')?.[resource]]
    .map(parseQuantity)
    .filter((value): value is number => value !== undefined);
  return values.length > 0 ? Math.max(...values) : undefined;
}

/**
 * The pod's total for `resource` as Fargate computes it: the larger of the sum over long-running containers and
 * the largest init container. Fargate's documentation predates sidecar init containers (`restartPolicy:
 * Always`); they are counted the way Kubernetes counts them: with the long-running containers, and added to
 * every init container that starts after them.
 *
 * @param amount how much one container needs (default: its request)
 */
export function fargatePodTotal(
  spec: Record<string, any>,
  resource: string,
  amount: (container: Record<string, any>, resource: string) => number | undefined = containerRequest,
): number {
  const of = (container: Record<string, any>) => amount(container, resource) ?? 0;
  let sidecarsSoFar = 0;
  let largestInit = 0;
  for (const container of objectsOf(spec.initContainers)) {
    if (container.restartPolicy === 'Always') {
      sidecarsSoFar += of(container);
    } else {
      largestInit = Math.max(largestInit, sidecarsSoFar + of(container));
    }
  }
  const longRunning = objectsOf(spec.containers).reduce((sum, container) => sum + of(container), 0) + sidecarsSoFar;
  return Math.max(longRunning, largestInit);
}
