import { Annotations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import { Construct, IConstruct } from 'constructs';
import { IFargateCluster } from './fargate-cluster-interface';
import { dependOnProfilesSelecting } from './private/profiles/addon-profiles';
import { atSynth } from './private/shared/at-synth';

/** Labels of the metrics-server pods, as the EKS add-on deploys them. */
const METRICS_SERVER_LABELS = { 'app.kubernetes.io/name': 'metrics-server', 'app.kubernetes.io/instance': 'metrics-server' };

/** Options of `cluster.addMetricsServer`. */
export interface FargateMetricsServerOptions {
  /**
   * Version of the `metrics-server` add-on, e.g. `v0.8.0-eksbuild.1`.
   * @default - the default version EKS picks for the cluster's Kubernetes version
   */
  readonly version?: string;
}

/** Properties of a {@link FargateMetricsServer}. */
export interface FargateMetricsServerProps extends FargateMetricsServerOptions {
  /** The cluster to install metrics-server on. */
  readonly cluster: IFargateCluster;
}

/**
 * The Kubernetes Metrics Server as the EKS `metrics-server` add-on (`AWS::EKS::Addon`), which Horizontal Pod
 * Autoscalers need for CPU and memory metrics.
 *
 * On Fargate a pod shares its node's IP, so metrics-server's upstream port 10250 clashes with the kubelet; the EKS
 * add-on is preconfigured for port 10251 (its configuration schema does not offer the port), which is why the add-on
 * is used rather than the upstream manifest or chart. Both ports are reachable as Fargate needs: the pods, the
 * control plane and the kubelets all use the cluster security group, which allows all traffic within itself.
 * The add-on is created after every Fargate profile that selects its pods in `kube-system`.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/metrics-server.html
 */
export class FargateMetricsServer extends Construct {
  /**
   * Whether an app's construct tree has a metrics-server for `cluster` (FargateReadiness asks before judging HPAs).
   * @param cluster the cluster to look for
   */
  public static isInstalledOn(cluster: IFargateCluster): boolean {
    return cluster.node.root.node.findAll().some((node) => node instanceof FargateMetricsServer && node.cluster === cluster);
  }

  /** The `AWS::EKS::Addon` resource. */
  public readonly addon: eks.CfnAddon;

  /** The cluster metrics-server runs on. */
  public readonly cluster: IFargateCluster;

  constructor(scope: Construct, id: string, props: FargateMetricsServerProps) {
    super(scope, id);
    this.cluster = props.cluster;
    this.addon = new eks.CfnAddon(this, 'Resource', {
      addonName: 'metrics-server',
      addonVersion: props.version,
      clusterName: props.cluster.clusterName,
      resolveConflicts: 'OVERWRITE',
    });
    // Profiles can be added after the add-on, so its dependencies are settled when the app synthesizes.
    atSynth(this, () => this.waitForProfiles(props.cluster));
  }

  private waitForProfiles(cluster: IConstruct): void {
    if (dependOnProfilesSelecting(this.addon, cluster, 'kube-system', METRICS_SERVER_LABELS) === 0 && this.cluster.fargateOnly) {
      Annotations.of(this).addWarningV2('cdk-eks-fargate:metrics-server-unscheduled',
        'No Fargate profile selects the metrics-server pods (namespace kube-system, label app.kubernetes.io/name=metrics-server), so '
        + 'they stay Pending and Horizontal Pod Autoscalers get no metrics. Keep `defaultProfile` on, or add a profile set with '
        + '`{ namespace: \'kube-system\' }`.');
    }
  }
}
