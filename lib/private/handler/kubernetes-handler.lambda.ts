import { sessionNameFor } from './assumed-credentials';
import { CloudFormationCustomResourceEvent, CloudFormationResponse } from './cloudformation-response';
import { HandlerDependencies, defaultHandlerDependencies } from './default-dependencies';
import { Deadline } from './retry-timing';
import { AwsAuthLifecycle, LifecycleResult, NOTHING_CREATED_PREFIX, NothingCreatedError } from '../aws-auth/handler/aws-auth-lifecycle';
import { AwsAuthTargets } from '../aws-auth/handler/aws-auth-targets';

export type { HandlerDependencies } from './default-dependencies';
export type { CloudFormationCustomResourceEvent, CloudFormationResponse } from './cloudformation-response';

/** The parts of the Lambda context the handler uses. */
export interface HandlerContext {
  readonly logStreamName?: string;
  getRemainingTimeInMillis(): number;
}

/** A custom-resource handler: always answers CloudFormation, then resolves. */
export type KubernetesHandler = (event: CloudFormationCustomResourceEvent, context: HandlerContext) => Promise<void>;

/**
 * The aws-auth custom-resource handler over the given dependencies. It dispatches on `RequestType`, lets
 * `AwsAuthLifecycle` do the work, and PUTs the response to `ResponseURL` in every case: success, failure, and work
 * still running when only `responseReserveMs` of the Lambda's time is left.
 */
export function createHandler(dependencies: HandlerDependencies): KubernetesHandler {
  return async (event, context) => {
    const log = dependencies.log ?? ((message: string) => console.log(message));
    const requestTimeoutMs = dependencies.requestTimeoutMs ?? 10_000;
    const responseReserveMs = dependencies.responseReserveMs ?? 20_000;
    const workTimeMs = context.getRemainingTimeInMillis() - responseReserveMs;
    // A round that starts just before the deadline still needs a GET and a PUT.
    const deadline = new Deadline(dependencies.timing, dependencies.timing.now() + workTimeMs - 2 * requestTimeoutMs);
    const lifecycle = new AwsAuthLifecycle(new AwsAuthTargets({
      ...dependencies,
      sessionName: sessionNameFor(event.RequestId),
      deadline,
      requestTimeoutMs,
      log,
      checkEndpoint: dependencies.guards?.checkEndpoint,
    }), log);

    try {
      dependencies.guards?.checkEvent(event);
    } catch (error) {
      // Not CloudFormation asking: nothing is done and nothing is sent to a URL the caller chose.
      log(`REFUSED ${event.RequestType} without acting or answering: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    log(`${event.RequestType} ${event.LogicalResourceId} (${event.PhysicalResourceId ?? 'new'}) in ${event.StackId}`);
    let response: CloudFormationResponse;
    try {
      const result = await withinTime(dispatch(event, lifecycle), workTimeMs);
      response = answer(event, 'SUCCESS', result.physicalResourceId, undefined, result.data);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      log(`FAILED: ${error instanceof Error && error.stack ? error.stack : reason}`);
      const logHint = context.logStreamName ? ` (log stream ${context.logStreamName})` : '';
      response = answer(event, 'FAILED', failedPhysicalId(event, error), reason + logHint);
    }
    // A failed delivery throws, so the asynchronous invocation is retried and the (idempotent) request redone.
    await dependencies.responder.send(event.ResponseURL, response);
  };
}

/** The Lambda entry point. Dependencies are built per invocation so importing this file needs no AWS setup. */
export const handler: KubernetesHandler = (event, context) => createHandler(defaultHandlerDependencies())(event, context);

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

function answer(
  event: CloudFormationCustomResourceEvent, status: CloudFormationResponse['Status'], physicalResourceId: string,
  reason?: string, data?: CloudFormationResponse['Data'],
): CloudFormationResponse {
  return {
    Status: status,
    Reason: reason,
    PhysicalResourceId: physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    NoEcho: false,
    Data: data ?? {},
  };
}

/**
 * Rejects once `ms` pass, so a call that hangs (an SDK request, a DNS lookup) cannot keep the response from going
 * out. A real timer on purpose: the injected clock drives retries, this guards the Lambda's real time limit.
 */
function withinTime<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`aws-auth handler ran out of time after ${Math.round(ms / 1000)} s; `
      + 'aws-auth holds either the state before this request or its complete result, never a partial write')), Math.max(0, ms));
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
