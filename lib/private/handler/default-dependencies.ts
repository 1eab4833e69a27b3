// The handler asset bundles the SDK at build time (DESIGN: AWS SDK bundled); users never install it.
import { EKSClient } from '@aws-sdk/client-eks';
import { STSClient } from '@aws-sdk/client-sts';
import { AwsCredentials, RoleAssumer, StsRoleAssumer } from './assumed-credentials';
import { CloudFormationResponder, HttpsCloudFormationResponder } from './cloudformation-response';
import { ClusterDescriber, EksClusterDescriber } from './cluster-connection';
import { productionRequestGuards, RequestGuards, STACK_ID_ENVIRONMENT } from './request-guards';
import { BackoffOptions, RetryTiming, SYSTEM_TIMING } from './retry-timing';

/** Everything the handler talks to or depends on; `createHandler` takes it so tests can inject fakes. */
export interface HandlerDependencies {
  /** STS AssumeRole of the SafeAwsAuth role, with the execution role's credentials. */
  readonly roleAssumer: RoleAssumer;
  /** EKS `DescribeCluster`, signed with the assumed role. */
  readonly clusterDescriberFor: (credentials: AwsCredentials) => ClusterDescriber;
  /** Delivers the CloudFormation response. */
  readonly responder: CloudFormationResponder;
  readonly timing: RetryTiming;
  /** Region of the cluster, of STS and of the token's STS host. */
  readonly region: string;
  /**
   * Limit on one Kubernetes API request.
   * @default 10000
   */
  readonly requestTimeoutMs?: number;
  /**
   * Limit on one STS or EKS call.
   * @default 10000
   */
  readonly awsCallTimeoutMs?: number;
  /**
   * Time kept back at the end of the Lambda run to send the CloudFormation response (three PUTs of up to 5 s).
   * @default 20000
   */
  readonly responseReserveMs?: number;
  /** @default - the `JitteredBackoff` defaults (100 ms doubling up to 5 s) */
  readonly backoff?: BackoffOptions;
  /** @default console.log */
  readonly log?: (message: string) => void;
  /**
   * Checks of the event and the cluster endpoint before the handler acts (the deployed function always has them).
   * @default - none: tests point the handler at local http:// fakes
   */
  readonly guards?: RequestGuards;
}

/** What every deployed function of the library talks to: AWS SDK clients in the Lambda's region and the system clock. */
export type AwsDependencies = Pick<HandlerDependencies, 'roleAssumer' | 'clusterDescriberFor' | 'timing' | 'region'>;

/** The AWS side of the deployed functions (the custom-resource handler and the scheduled reconcile). */
export function defaultAwsDependencies(environment: { readonly [name: string]: string | undefined } = process.env): AwsDependencies {
  const region = environment.AWS_REGION;
  if (!region) {
    throw new Error('AWS_REGION is not set; the Lambda runtime always sets it');
  }
  return {
    roleAssumer: new StsRoleAssumer(new STSClient({ region })),
    clusterDescriberFor: (credentials) => new EksClusterDescriber(new EKSClient({ region, credentials })),
    timing: SYSTEM_TIMING,
    region,
  };
}

/** The real thing: AWS SDK clients in the Lambda's region, HTTPS, the system clock, and the request guards. */
export function defaultHandlerDependencies(): HandlerDependencies {
  const aws = defaultAwsDependencies();
  const stackId = process.env[STACK_ID_ENVIRONMENT];
  if (!stackId) {
    throw new Error(`${STACK_ID_ENVIRONMENT} is not set; the function's construct sets it to the stack's id`);
  }
  return {
    ...aws,
    responder: new HttpsCloudFormationResponder(SYSTEM_TIMING),
    guards: productionRequestGuards(stackId, aws.region),
  };
}
