import { sessionNameFor } from './assumed-credentials';
import { CloudFormationCustomResourceEvent, CloudFormationResponse } from './cloudformation-response';
import { ClusterSessions } from './cluster-session';
import { defaultHandlerDependencies, HandlerDependencies } from './default-dependencies';
import { ResourceLifecycle } from './resource-lifecycle';
import { Deadline } from './retry-timing';
import { withTimeLimit } from './work-abort';
import { awsAuthLifecycle } from '../aws-auth/handler/aws-auth-resource';
import { AWS_AUTH_RESOURCE_TYPE } from '../aws-auth/handler/resource-properties';
import { KubernetesObjectsLifecycle } from '../manifests/handler/kubernetes-objects-lifecycle';
import { KUBERNETES_OBJECTS_RESOURCE_TYPE } from '../manifests/resource-properties';

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
 * The custom-resource handler of the library's Kubernetes resources (aws-auth merges and Kubernetes objects) over
 * the given dependencies. It picks the lifecycle by `ResourceType`, and PUTs the response to `ResponseURL` exactly
 * once in every case: success, failure, and work still running when only `responseReserveMs` of the Lambda's time
 * is left. Right before answering it aborts the work's signal, so nothing started afterwards reaches the cluster.
 */
export function createHandler(dependencies: HandlerDependencies): KubernetesHandler {
  return async (event, context) => {
    const log = dependencies.log ?? ((message: string) => console.log(message));
    const requestTimeoutMs = dependencies.requestTimeoutMs ?? 10_000;
    const responseReserveMs = dependencies.responseReserveMs ?? 20_000;
    const workTimeMs = context.getRemainingTimeInMillis() - responseReserveMs;
    // A round that starts just before the deadline still needs a GET and a PUT.
    const deadline = new Deadline(dependencies.timing, dependencies.timing.now() + workTimeMs - 2 * requestTimeoutMs);
    const abort = new AbortController();
    const lifecycleOptions = {
      sessions: new ClusterSessions({
        ...dependencies,
        sessionName: sessionNameFor(event.RequestId, event.ResourceType === KUBERNETES_OBJECTS_RESOURCE_TYPE ? 'objects' : 'aws-auth'),
        deadline,
        requestTimeoutMs,
        awsCallTimeoutMs: dependencies.awsCallTimeoutMs ?? 10_000,
        signal: abort.signal,
        log,
        checkEndpoint: dependencies.guards?.checkEndpoint,
      }),
      timing: dependencies.timing,
      deadline,
      backoff: dependencies.backoff,
      log,
    };

    try {
      dependencies.guards?.checkEvent(event);
    } catch (error) {
      // Not CloudFormation asking: nothing is done and nothing is sent to a URL the caller chose.
      log(`REFUSED ${event.RequestType} without acting or answering: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    log(`${event.RequestType} ${event.ResourceType} ${event.LogicalResourceId} (${event.PhysicalResourceId ?? 'new'}) in ${event.StackId}`);
    let response: CloudFormationResponse;
    let lifecycle: ResourceLifecycle | undefined;
    try {
      lifecycle = lifecycleFor(event, lifecycleOptions);
      const work = lifecycle.handle(event);
      // Work abandoned at the time limit ends at its next request or AWS answer; say so when it does.
      work.catch((error: unknown) => abort.signal.aborted && log(`abandoned work ended: ${(error as Error).message}`));
      const result = await withTimeLimit(work, workTimeMs, `handler ran out of time after ${Math.round(workTimeMs / 1000)} s; `
        + 'every write is whole (one object, or the whole aws-auth ConfigMap), and nothing is written after this answer');
      response = answer(event, 'SUCCESS', result.physicalResourceId, undefined, result.data);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      log(`FAILED: ${error instanceof Error && error.stack ? error.stack : reason}`);
      const logHint = context.logStreamName ? ` (log stream ${context.logStreamName})` : '';
      const physicalId = lifecycle ? lifecycle.failedPhysicalId(event, error) : event.PhysicalResourceId ?? `cdk-eks-fargate:unknown:${event.RequestId}`;
      response = answer(event, 'FAILED', physicalId, reason + logHint);
    }
    abort.abort();
    // A failed delivery throws, so the asynchronous invocation is retried and the (idempotent) request redone.
    await dependencies.responder.send(event.ResponseURL, response);
  };
}

/** The Lambda entry point. Dependencies are built per invocation so importing this file needs no AWS setup. */
export const handler: KubernetesHandler = (event, context) => createHandler(defaultHandlerDependencies())(event, context);

function lifecycleFor(
  event: CloudFormationCustomResourceEvent,
  options: ConstructorParameters<typeof KubernetesObjectsLifecycle>[0],
): ResourceLifecycle {
  switch (event.ResourceType) {
    case KUBERNETES_OBJECTS_RESOURCE_TYPE:
      return new KubernetesObjectsLifecycle(options);
    case AWS_AUTH_RESOURCE_TYPE:
      return awsAuthLifecycle(options);
    default:
      throw new Error(`Unknown ResourceType ${JSON.stringify(event.ResourceType)}; this handler serves ${AWS_AUTH_RESOURCE_TYPE} and `
        + KUBERNETES_OBJECTS_RESOURCE_TYPE);
  }
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
