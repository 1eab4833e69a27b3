import { AwsAuthMappings } from '../../../../lib/aws-auth-merge';
import { createReconciler, ReconcileSettings } from '../../../../lib/private/aws-auth/reconcile/aws-auth-reconcile.lambda';
import { LAST_GOOD_NAME, LastGoodStore, readLastGood } from '../../../../lib/private/aws-auth/reconcile/last-good-store';
import { ReconcileReport } from '../../../../lib/private/aws-auth/reconcile/reconcile-run';
import { ACCOUNT, HANDLER_ROLE } from '../handler/aws-auth-fixtures';
import { HandlerHarness } from '../handler/handler-harness';

export const CLUSTER = 'prod';
export const OWNER = 'app/Cluster/AwsAuth';

/** Metric values of one run, from its embedded-metric-format lines. */
export type RunMetrics = { [metric: string]: number };

/**
 * The custom-resource handler (playing the deploys) and the reconcile function (playing the schedule) against one
 * fake Kubernetes API, with the same fake STS, EKS and clock.
 */
export class ReconcileHarness {
  public static async start(authenticationMode = 'API_AND_CONFIG_MAP'): Promise<ReconcileHarness> {
    return new ReconcileHarness(await HandlerHarness.start(), authenticationMode);
  }

  public readonly logs: string[] = [];
  /** The endpoint check runs are given (the deployed function's, in tests of that wiring); none by default. */
  public checkEndpoint?: (endpoint: string) => void;
  /** Metrics of every run, in order. */
  public readonly runs: RunMetrics[] = [];

  private constructor(public readonly deploys: HandlerHarness, private readonly authenticationMode: string) {}

  public get api() {
    return this.deploys.api;
  }

  /** The custom resource's properties for `mappings`, guarded by the reconcile. */
  public properties(mappings: AwsAuthMappings, ownerId = OWNER): { [key: string]: string } {
    return { ...this.deploys.ownedClusterProperties(ownerId, mappings, CLUSTER), Reconcile: 'true' };
  }

  /** The custom resource's properties for `mappings` with the reconcile turned off (the construct then sends no `Reconcile`). */
  public unguardedProperties(mappings: AwsAuthMappings, ownerId = OWNER): { [key: string]: string } {
    return this.deploys.ownedClusterProperties(ownerId, mappings, CLUSTER);
  }

  /** One scheduled run for `ownerId`; returns the run's report. */
  public async run(
    ownerId = OWNER, event: { clusterName?: unknown; ownerId?: unknown } = { clusterName: CLUSTER, ownerId },
  ): Promise<ReconcileReport | undefined> {
    const lines: string[] = [];
    const settings: ReconcileSettings = {
      clusterName: CLUSTER, ownerId, roleArn: HANDLER_ROLE, endpoint: this.api.endpoint, authenticationMode: this.authenticationMode,
    };
    const reconcile = createReconciler({
      roleAssumer: this.deploys.roleAssumer,
      clusterDescriberFor: () => this.deploys.describer,
      timing: this.deploys.timing,
      region: 'eu-west-1',
      requestTimeoutMs: 1_000,
      settings,
      checkEndpoint: this.checkEndpoint,
      log: (message) => this.logs.push(message),
      emit: (line) => lines.push(line),
    });
    const report = await reconcile(event, { awsRequestId: `run-${this.runs.length + 1}`, getRemainingTimeInMillis: () => 120_000 });
    const metrics: RunMetrics = {};
    for (const line of lines) {
      const parsed = JSON.parse(line);
      for (const { Name } of parsed._aws.CloudWatchMetrics[0].Metrics) {
        metrics[Name] = parsed[Name];
      }
    }
    this.runs.push(metrics);
    return report;
  }

  /**
   * Holds one of the run's requests (the first of `methods` after `skip` of them) until a deploy that changes the
   * owner's mappings from `from` to `to` is done; the run then goes on with what it read before.
   */
  public deployDuring(from: AwsAuthMappings, to: AwsAuthMappings, methods: Array<'GET' | 'PUT'>, skip = 0): void {
    this.api.inject({
      kind: 'hold',
      times: 1,
      methods,
      skip,
      release: () => this.deploys.update(OWNER, this.properties(to), this.properties(from)),
    });
  }

  /** The last-good store as the cluster holds it. */
  public store(): LastGoodStore | undefined {
    const stored = this.api.configMap(LAST_GOOD_NAME);
    return stored ? readLastGood(stored.data ?? {}) : undefined;
  }

  public close(): Promise<void> {
    return this.deploys.close();
  }
}

/** A role ARN of the test account. */
export function roleArn(name: string): string {
  return `arn:aws:iam::${ACCOUNT}:role/${name}`;
}
