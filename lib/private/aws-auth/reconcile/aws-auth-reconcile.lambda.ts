import { metricLines } from './reconcile-metrics';
import { ReconcileReport, runReconcile } from './reconcile-run';
import { sessionNameFor } from '../../handler/assumed-credentials';
import { ClusterSessions } from '../../handler/cluster-session';
import { HandlerDependencies, defaultHandlerDependencies } from '../../handler/default-dependencies';
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
export interface ReconcileDependencies extends Omit<HandlerDependencies, 'responder' | 'responseReserveMs'> {
  readonly settings: ReconcileSettings;
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

/** The Lambda entry point. */
export const handler = (event: ReconcileEvent, context: ReconcileContext) => createReconciler({
  ...defaultHandlerDependencies(),
  settings: settingsFromEnvironment(process.env),
})(event, context);
