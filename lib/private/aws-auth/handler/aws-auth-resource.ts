import { AwsAuthLifecycle, NOTHING_CREATED_PREFIX, NothingCreatedError } from './aws-auth-lifecycle';
import { AwsAuthTargets } from './aws-auth-targets';
import { CloudFormationCustomResourceEvent } from '../../handler/cloudformation-response';
import { ClusterSessionOpener } from '../../handler/cluster-session';
import { LifecycleResult, ResourceLifecycle } from '../../handler/resource-lifecycle';
import { BackoffOptions, Deadline, RetryTiming } from '../../handler/retry-timing';

/** What the aws-auth resource needs from the handler. */
export interface AwsAuthResourceOptions {
  readonly sessions: ClusterSessionOpener;
  readonly timing: RetryTiming;
  readonly deadline: Deadline;
  /** @default - the `JitteredBackoff` defaults */
  readonly backoff?: BackoffOptions;
  readonly log: (message: string) => void;
}

/** The `Custom::CdkEksFargateAwsAuth` resource as the handler serves it. */
export function awsAuthLifecycle(options: AwsAuthResourceOptions): ResourceLifecycle {
  const lifecycle = new AwsAuthLifecycle(new AwsAuthTargets(options), options.log);
  return {
    handle: (event) => dispatch(event, lifecycle),
    failedPhysicalId,
  };
}

function dispatch(event: CloudFormationCustomResourceEvent, lifecycle: AwsAuthLifecycle): Promise<LifecycleResult> {
  switch (event.RequestType) {
    case 'Create':
      return lifecycle.create(event.ResourceProperties);
    case 'Update':
      return lifecycle.update(event.ResourceProperties, event.OldResourceProperties, physicalIdOf(event));
    case 'Delete':
      return lifecycle.delete(event.ResourceProperties, physicalIdOf(event));
    default:
      return Promise.reject(new Error(`Unknown RequestType ${JSON.stringify((event as { RequestType?: unknown }).RequestType)}`));
  }
}

function physicalIdOf(event: CloudFormationCustomResourceEvent): string {
  if (!event.PhysicalResourceId) {
    throw new Error(`${event.RequestType} request without a PhysicalResourceId`);
  }
  return event.PhysicalResourceId;
}

/**
 * Physical id of a failed request. Update and Delete keep the current one (a different id on a failed update would
 * look like a replacement). A failed Create names its owner, so the rollback Delete removes whatever may have
 * landed, unless it certainly wrote nothing: then an id the Delete recognises as nothing to undo.
 */
function failedPhysicalId(event: CloudFormationCustomResourceEvent, error: unknown): string {
  if (event.RequestType !== 'Create') {
    return event.PhysicalResourceId ?? `${NOTHING_CREATED_PREFIX}${event.RequestId}`;
  }
  const ownerId = event.ResourceProperties.OwnerId;
  return error instanceof NothingCreatedError || typeof ownerId !== 'string' || ownerId === ''
    ? `${NOTHING_CREATED_PREFIX}${event.RequestId}`
    : ownerId;
}
