import { HANDLER_ROLE } from './aws-auth-fixtures';
import { AwsAuthMappings } from '../../../../lib/aws-auth-merge';
import { CloudFormationCustomResourceEvent, CloudFormationResponse } from '../../../../lib/private/handler/cloudformation-response';
import { KubernetesHandler, createHandler } from '../../../../lib/private/handler/kubernetes-handler.lambda';
import { KUBERNETES_OBJECTS_RESOURCE_TYPE as OBJECTS_TYPE } from '../../../../lib/private/manifests/resource-properties';
import { FakeKubernetesApi } from '../../handler/fake-kubernetes-api';
import { cloudFormationEvent, FakeClusterDescriber, FakeRoleAssumer, FakeTiming, lambdaContext, RecordingResponder } from '../../handler/handler-fakes';

/**
 * The exported handler factory wired to fakes: the fake Kubernetes API (a real HTTP server), fake STS and EKS, a
 * clock that moves only when the handler sleeps, and a responder that records what CloudFormation would receive.
 * It plays CloudFormation's part too: `create`, `update` and `delete` send the events CloudFormation would.
 */
export class HandlerHarness {
  public static async start(): Promise<HandlerHarness> {
    return new HandlerHarness(await FakeKubernetesApi.start());
  }

  public readonly timing = new FakeTiming();
  public readonly roleAssumer = new FakeRoleAssumer();
  public readonly describer = new FakeClusterDescriber();
  public readonly responder = new RecordingResponder();
  public readonly logs: string[] = [];
  public readonly handler: KubernetesHandler;

  private constructor(public readonly api: FakeKubernetesApi) {
    this.handler = createHandler({
      roleAssumer: this.roleAssumer,
      clusterDescriberFor: (credentials) => {
        this.describer.credentials = credentials;
        return this.describer;
      },
      responder: this.responder,
      timing: this.timing,
      region: 'eu-west-1',
      requestTimeoutMs: 1_000,
      log: (message) => this.logs.push(message),
    });
  }

  /** Properties of an owned cluster (endpoint given) whose owner wants `mappings`. */
  public ownedClusterProperties(ownerId: string, mappings: AwsAuthMappings, clusterName = 'prod'): { [key: string]: string } {
    return { ClusterName: clusterName, RoleArn: HANDLER_ROLE, OwnerId: ownerId, Mappings: JSON.stringify(mappings), Endpoint: this.api.endpoint };
  }

  /** Properties of an imported cluster (DescribeCluster finds the endpoint). */
  public importedClusterProperties(ownerId: string, mappings: AwsAuthMappings, clusterName = 'legacy'): { [key: string]: string } {
    this.describer.clusters.set(clusterName, { endpoint: this.api.endpoint });
    return { ClusterName: clusterName, RoleArn: HANDLER_ROLE, OwnerId: ownerId, Mappings: JSON.stringify(mappings) };
  }

  /** Sends one event through the handler and returns the response CloudFormation got. */
  public async send(event: CloudFormationCustomResourceEvent, remainingMs?: number): Promise<CloudFormationResponse> {
    const before = this.responder.responses.length;
    await this.handler(event, lambdaContext(remainingMs));
    expect(this.responder.responses).toHaveLength(before + 1);
    expect(this.responder.last()).toMatchObject({
      StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId, NoEcho: false,
    });
    return this.responder.last();
  }

  /** Properties of a KubernetesObjects resource on the owned cluster `prod`. */
  public objectsProperties(manifests: unknown[], extra: { [key: string]: string } = {}): { [key: string]: string } {
    return {
      ClusterName: 'prod',
      RoleArn: HANDLER_ROLE,
      Endpoint: this.api.endpoint,
      Manifests: JSON.stringify(manifests),
      Prune: 'true',
      Force: 'false',
      Retain: 'false',
      ...extra,
    };
  }

  /** Properties of a KubernetesObjects resource on the imported cluster `legacy` (DescribeCluster finds the endpoint). */
  public importedObjectsProperties(manifests: unknown[]): { [key: string]: string } {
    this.describer.clusters.set('legacy', { endpoint: this.api.endpoint });
    return { ...this.objectsProperties(manifests), ClusterName: 'legacy', Endpoint: '' };
  }

  /** An event for a KubernetesObjects resource (logical id `Objects` unless `extra` says otherwise). */
  public objectsEvent(
    requestType: CloudFormationCustomResourceEvent['RequestType'], properties: { [key: string]: unknown },
    extra: Partial<CloudFormationCustomResourceEvent> = {},
  ): CloudFormationCustomResourceEvent {
    return cloudFormationEvent(requestType, properties, { ResourceType: OBJECTS_TYPE, LogicalResourceId: 'Objects', ...extra });
  }

  /** Creates a KubernetesObjects resource with logical id `logicalId`. */
  public createObjects(manifests: unknown[], logicalId = 'Objects', extra: { [key: string]: string } = {}): Promise<CloudFormationResponse> {
    return this.send(this.objectsEvent('Create', this.objectsProperties(manifests, extra), { LogicalResourceId: logicalId }));
  }

  /** Updates a KubernetesObjects resource from `oldManifests` to `manifests`. */
  public updateObjects(
    physicalResourceId: string, manifests: unknown[], oldManifests: unknown[], extra: { [key: string]: string } = {}, logicalId = 'Objects',
  ): Promise<CloudFormationResponse> {
    return this.send(this.objectsEvent('Update', this.objectsProperties(manifests, extra), {
      LogicalResourceId: logicalId,
      PhysicalResourceId: physicalResourceId,
      OldResourceProperties: this.objectsProperties(oldManifests),
    }));
  }

  /** Deletes a KubernetesObjects resource. */
  public deleteObjects(physicalResourceId: string, manifests: unknown[], extra: { [key: string]: string } = {}): Promise<CloudFormationResponse> {
    return this.send(this.objectsEvent('Delete', this.objectsProperties(manifests, extra), { PhysicalResourceId: physicalResourceId }));
  }

  /** Waits (event-loop turns, no clock) until a log line matches; work abandoned at a time limit ends this way. */
  public async untilLogged(pattern: RegExp): Promise<void> {
    for (let turn = 0; turn < 10_000; turn++) {
      if (this.logs.some((line) => pattern.test(line))) {
        return;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    throw new Error(`no log line matched ${pattern}; logs: ${this.logs.join(' | ')}`);
  }

  public create(properties: { [key: string]: unknown }): Promise<CloudFormationResponse> {
    return this.send(cloudFormationEvent('Create', properties));
  }

  /** An Update of the resource whose physical id is `physicalResourceId`. */
  public update(
    physicalResourceId: string, properties: { [key: string]: unknown }, oldProperties: { [key: string]: unknown },
  ): Promise<CloudFormationResponse> {
    return this.send(cloudFormationEvent('Update', properties, { PhysicalResourceId: physicalResourceId, OldResourceProperties: oldProperties }));
  }

  public delete(physicalResourceId: string, properties: { [key: string]: unknown }): Promise<CloudFormationResponse> {
    return this.send(cloudFormationEvent('Delete', properties, { PhysicalResourceId: physicalResourceId }));
  }

  public close(): Promise<void> {
    return this.api.close();
  }
}
