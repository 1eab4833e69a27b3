import { metricLines } from './reconcile-metrics';
import { ReconcileReport, runReconcile } from './reconcile-run';
import { sessionNameFor } from '../../handler/assumed-credentials';
import { ClusterSessions } from '../../handler/cluster-session';
import { defaultAwsDependencies, HandlerDependencies } from '../../handler/default-dependencies';
import { eksEndpointGuard } from '../../handler/request-guards';
import { Deadline } from '../../handler/retry-timing';
import { AwsAuthTargets } from '../handler/aws-auth-targets';

/** What the schedule sends: the cluster and the owner, nothing that could choose what is written. */
export interface ReconcileEvent {
  readonly clusterName?: unknown;
  readonly ownerId?: unknown;
}

/** The function's configuration, fixed at deploy in its environment. */
export interface ReconcileSettings {
  readonly clusterName: string;
  readonly ownerId: string;
  readonly roleArn: string;
  readonly authenticationMode?: string;
  readonly endpoint?: string;
  readonly certificateAuthorityData?: string;
}

/** The handler's dependencies without the CloudFormation parts, plus the settings and where metrics go. */
export interface ReconcileDependencies extends Omit<HandlerDependencies, 'responder' | 'responseReserveMs' | 'guards'> {
  readonly settings: ReconcileSettings;
  /**
   * Throws for an endpoint the function must not send a cluster token to (the deployed function always has it).
   * @default - any endpoint: tests point the function at local http:// fakes
   */
  readonly checkEndpoint?: (endpoint: string) => void;
  /** @default console.log */
  readonly emit?: (line: string) => void;
}

/** The parts of the Lambda context the function uses. */
export interface ReconcileContext {
  readonly awsRequestId?: string;
  getRemainingTimeInMillis(): number;
}

/**
 * The reconcile function over the given dependencies. It acts only for the cluster and owner of its settings (an
 * event naming others is refused), reads the desired state from the cluster, and reports through metrics: a failed
 * run resolves after counting itself, so only crashes reach the function's error metric.
 */
export function createReconciler(dependencies: ReconcileDependencies) {
  return async (event: ReconcileEvent, context: ReconcileContext): Promise<ReconcileReport | undefined> => {
    const log = dependencies.log ?? ((message: string) => console.log(message));
    const emit = dependencies.emit ?? ((line: string) => console.log(line));
    const { settings, timing } = dependencies;
    if (event.clusterName !== settings.clusterName || event.ownerId !== settings.ownerId) {
      throw new Error(`this function reconciles owner ${JSON.stringify(settings.ownerId)} of cluster "${settings.clusterName}" only; `
        + `the event named ${JSON.stringify({ clusterName: event.clusterName, ownerId: event.ownerId })}`);
    }
    const requestTimeoutMs = dependencies.requestTimeoutMs ?? 10_000;
    let report: ReconcileReport | undefined;
    try {
      const deadline = new Deadline(timing, timing.now() + Math.max(0, context.getRemainingTimeInMillis() - 4 * requestTimeoutMs));
      const targets = new AwsAuthTargets({
        sessions: new ClusterSessions({
          ...dependencies,
          sessionName: sessionNameFor(`reconcile-${context.awsRequestId ?? 'run'}`),
          deadline,
          requestTimeoutMs,
          awsCallTimeoutMs: 10_000,
          signal: new AbortController().signal,
          log,
          checkEndpoint: dependencies.checkEndpoint,
        }),
        timing,
        deadline,
        backoff: dependencies.backoff,
        log,
      });
      const target = await targets.open({ ...settings, reconcile: true });
      if (target === 'cluster-gone') {
        throw new Error(`EKS cluster "${settings.clusterName}" does not exist`);
      }
      report = await runReconcile(target.kubernetes, settings, log);
      log(`${report.failure ? `FAILED (${report.failure})` : 'OK'}: ${report.message}`);
    } catch (error) {
      log(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
    }
    for (const line of metricLines(settings.clusterName, settings.ownerId, report, timing.now())) {
      emit(line);
    }
    return report;
  };
}

/** Settings from the environment the construct sets. */
export function settingsFromEnvironment(environment: { [name: string]: string | undefined }): ReconcileSettings {
  const required = (name: string): string => {
    const value = environment[name];
    if (!value) {
      throw new Error(`${name} is not set; the construct always sets it`);
    }
    return value;
  };
  return {
    clusterName: required('CLUSTER_NAME'),
    ownerId: required('OWNER_ID'),
    roleArn: required('ROLE_ARN'),
    authenticationMode: environment.AUTHENTICATION_MODE || undefined,
    endpoint: environment.ENDPOINT || undefined,
    certificateAuthorityData: environment.CERTIFICATE_AUTHORITY_DATA || undefined,
  };
}

/**
 * The deployed function's dependencies: the AWS clients and clock the custom-resource handler uses, and of its request
 * guards the one that fits a scheduled run: cluster tokens go only to `https://` EKS API servers of the region (the
 * endpoint comes from the environment or DescribeCluster). The CloudFormation guards do not apply: the schedule's
 * event has no `StackId` or `ResponseURL`, the function answers no one, and the one thing an event may choose (which
 * cluster and owner) must equal the settings fixed at deploy, so any invoker can only start a run that was due anyway.
 */
export function defaultReconcileDependencies(environment: { [name: string]: string | undefined }): ReconcileDependencies {
  const aws = defaultAwsDependencies(environment);
  return { ...aws, checkEndpoint: eksEndpointGuard(aws.region), settings: settingsFromEnvironment(environment) };
}

/** The Lambda entry point. */
export const handler = (event: ReconcileEvent, context: ReconcileContext) =>
  createReconciler(defaultReconcileDependencies(process.env))(event, context);
