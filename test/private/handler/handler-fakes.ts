import { AwsCredentials, RoleAssumer } from '../../../lib/private/handler/assumed-credentials';
import { CloudFormationCustomResourceEvent, CloudFormationResponder, CloudFormationResponse } from '../../../lib/private/handler/cloudformation-response';
import { ClusterConnection, ClusterDescriber } from '../../../lib/private/handler/cluster-connection';
import { RetryTiming } from '../../../lib/private/handler/retry-timing';

/**
 * A clock that only moves when someone sleeps, and a seeded random: retries take no real time and repeat exactly.
 * Sleeping still yields to the event loop, so concurrent work interleaves.
 */
export class FakeTiming implements RetryTiming {
  public nowMs = Date.UTC(2025, 0, 15, 12, 0, 0);
  public readonly sleeps: number[] = [];
  private seed: number;

  constructor(seed = 42) {
    this.seed = seed;
  }

  public now = (): number => this.nowMs;

  public sleep = async (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    this.nowMs += ms;
    await new Promise((resolve) => setImmediate(resolve));
  };

  /** Park–Miller minimal standard generator: deterministic and good enough for jitter. */
  public random = (): number => {
    this.seed = (this.seed * 48271) % 2147483647;
    return (this.seed - 1) / 2147483646;
  };
}

/** AssumeRole that hands out fixed credentials, optionally failing first. */
export class FakeRoleAssumer implements RoleAssumer {
  public readonly calls: Array<{ roleArn: string; sessionName: string }> = [];
  /** Errors thrown by the next calls, in order. */
  public readonly failures: Error[] = [];
  /** When set, every answer waits for it (an STS answer arriving late). */
  public gate?: Promise<void>;

  public async assumeRole(roleArn: string, sessionName: string): Promise<AwsCredentials> {
    this.calls.push({ roleArn, sessionName });
    await this.gate;
    const failure = this.failures.shift();
    if (failure) {
      throw failure;
    }
    return { accessKeyId: 'AKIAFAKEASSUMED', secretAccessKey: 'fake-secret', sessionToken: `token-for-${roleArn}` };
  }
}

/** DescribeCluster over a table of clusters; missing names are ResourceNotFoundException. */
export class FakeClusterDescriber implements ClusterDescriber {
  public readonly calls: Array<{ clusterName: string; credentials?: AwsCredentials }> = [];
  public readonly clusters = new Map<string, ClusterConnection>();
  /** Errors thrown by the next calls, in order. */
  public readonly failures: Error[] = [];
  public credentials?: AwsCredentials;
  /** When set, every answer waits for it (an EKS answer arriving late). */
  public gate?: Promise<void>;

  public async describe(clusterName: string): Promise<ClusterConnection | undefined> {
    this.calls.push({ clusterName, credentials: this.credentials });
    await this.gate;
    const failure = this.failures.shift();
    if (failure) {
      throw failure;
    }
    return this.clusters.get(clusterName);
  }
}

/** Records every CloudFormation response instead of PUTting it. */
export class RecordingResponder implements CloudFormationResponder {
  public readonly responses: Array<{ url: string; response: CloudFormationResponse }> = [];

  public async send(url: string, response: CloudFormationResponse): Promise<void> {
    this.responses.push({ url, response });
  }

  /** The only response so far. */
  public last(): CloudFormationResponse {
    const last = this.responses[this.responses.length - 1];
    if (!last) {
      throw new Error('no CloudFormation response was sent');
    }
    return last.response;
  }
}

/** A promise and the function that resolves it: an answer the test lets arrive when it chooses. */
export function lateAnswer(): { gate: Promise<void>; arrive: () => void } {
  let arrive!: () => void;
  const gate = new Promise<void>((resolve) => {
    arrive = resolve;
  });
  return { gate, arrive };
}

/** An AWS SDK-shaped error. */
export function awsError(name: string, message = name): Error {
  return Object.assign(new Error(message), { name });
}

/** A Lambda context with plenty of time left. */
export function lambdaContext(remainingMs = 300_000) {
  return { getRemainingTimeInMillis: () => remainingMs, logStreamName: '2025/01/15/[$LATEST]abc' };
}

let requestCounter = 0;

/** A custom-resource event; `properties` are the ResourceProperties. */
export function cloudFormationEvent(
  requestType: CloudFormationCustomResourceEvent['RequestType'],
  properties: { [key: string]: unknown },
  extra: Partial<CloudFormationCustomResourceEvent> = {},
): CloudFormationCustomResourceEvent {
  requestCounter++;
  return {
    RequestType: requestType,
    ResponseURL: `https://cloudformation-custom-resource-response.s3.amazonaws.com/response-${requestCounter}`,
    StackId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/app/11111111-2222-3333-4444-555555555555',
    RequestId: `request-${requestCounter}`,
    ResourceType: 'Custom::CdkEksFargateAwsAuth',
    LogicalResourceId: 'AwsAuthResource',
    ResourceProperties: { ServiceToken: 'arn:aws:lambda:eu-west-1:111122223333:function:handler', ...properties },
    ...extra,
  };
}
