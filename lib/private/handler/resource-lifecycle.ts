import { CloudFormationCustomResourceEvent } from './cloudformation-response';

/** What CloudFormation is told after a successful request. */
export interface LifecycleResult {
  /** Stable across updates, so CloudFormation never sends a cleanup Delete for an update. */
  readonly physicalResourceId: string;
  /** `Fn::GetAtt`-able attributes. */
  readonly data: { readonly [key: string]: string };
}

/** One custom-resource type served by the handler. */
export interface ResourceLifecycle {
  handle(event: CloudFormationCustomResourceEvent): Promise<LifecycleResult>;
  /** Physical id to report when `handle` failed with `error`. */
  failedPhysicalId(event: CloudFormationCustomResourceEvent, error: unknown): string;
}
