import { ReconcileReport } from './reconcile-run';

/** CloudWatch namespace of the reconcile metrics and of the outside-write metric filter. */
export const AWS_AUTH_METRICS_NAMESPACE = 'CdkEksFargate/AwsAuth';

/** Metric names; the alarms in the construct and the function's log lines share them. */
export const RECONCILE_METRICS = {
  /** Per cluster and owner. */
  entriesRestored: 'EntriesRestored',
  runsFailed: 'RunsFailed',
  reconcileRoleUnmapped: 'ReconcileRoleUnmapped',
  heartbeat: 'Heartbeat',
  /** Per cluster: a loss is a fact about the cluster, counted once by whichever owner's run sees it first. */
  foreignEntriesLost: 'ForeignEntriesLost',
  nodeRoleArnsLost: 'NodeRoleArnsLost',
} as const;

/**
 * The run's metrics as CloudWatch embedded metric format log lines (the function only writes its log; CloudWatch
 * extracts the metrics, so its role needs no `cloudwatch:PutMetricData`).
 */
export function metricLines(clusterName: string, ownerId: string, report: ReconcileReport | undefined, nowMs: number): string[] {
  const failed = report === undefined || report.failure !== undefined;
  const perOwner = {
    [RECONCILE_METRICS.entriesRestored]: report?.wroteAwsAuth ? report.restored.length : 0,
    [RECONCILE_METRICS.runsFailed]: failed ? 1 : 0,
    [RECONCILE_METRICS.reconcileRoleUnmapped]: report?.failure === 'reconcile-role-unmapped' ? 1 : 0,
    [RECONCILE_METRICS.heartbeat]: 1,
  };
  const perCluster = {
    [RECONCILE_METRICS.foreignEntriesLost]: report?.wroteLastGood ? report.foreignLost.length : 0,
    [RECONCILE_METRICS.nodeRoleArnsLost]: report?.wroteLastGood ? report.nodeArnsLost.length : 0,
  };
  return [
    emf(nowMs, ['ClusterName', 'OwnerId'], { ClusterName: clusterName, OwnerId: ownerId }, perOwner),
    emf(nowMs, ['ClusterName'], { ClusterName: clusterName }, perCluster),
  ];
}

function emf(nowMs: number, dimensions: string[], dimensionValues: { [name: string]: string }, values: { [metric: string]: number }): string {
  return JSON.stringify({
    _aws: {
      Timestamp: nowMs,
      CloudWatchMetrics: [{
        Namespace: AWS_AUTH_METRICS_NAMESPACE,
        Dimensions: [dimensions],
        Metrics: Object.keys(values).map((name) => ({ Name: name, Unit: 'Count' })),
      }],
    },
    ...dimensionValues,
    ...values,
  });
}
