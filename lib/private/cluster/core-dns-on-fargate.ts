import { Annotations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import { Construct, IConstruct } from 'constructs';
import { dependOnProfilesSelecting } from '../profiles/addon-profiles';
import { atSynth } from '../shared/at-synth';

/** Labels of the CoreDNS pods, as the EKS add-on deploys them. */
const CORE_DNS_LABELS = { 'k8s-app': 'kube-dns', 'eks.amazonaws.com/component': 'coredns' };

/** Properties of {@link CoreDnsOnFargate}. */
export interface CoreDnsOnFargateProps {
  readonly cluster: IConstruct & { readonly clusterName: string };
  readonly version?: string;
}

/**
 * The CoreDNS managed add-on configured for Fargate (`computeType: Fargate` removes the EC2 compute-type
 * annotation that otherwise keeps CoreDNS Pending), created after every profile that selects its pods.
 */
export class CoreDnsOnFargate extends Construct {
  public readonly addon: eks.CfnAddon;

  constructor(scope: Construct, id: string, props: CoreDnsOnFargateProps) {
    super(scope, id);
    this.addon = new eks.CfnAddon(this, 'Resource', {
      addonName: 'coredns',
      addonVersion: props.version,
      clusterName: props.cluster.clusterName,
      configurationValues: JSON.stringify({ computeType: 'Fargate' }),
      resolveConflicts: 'OVERWRITE',
    });
    // Profiles can be added after the add-on, so its dependencies are settled when the app synthesizes.
    atSynth(this, () => this.waitForProfiles(props.cluster));
  }

  private waitForProfiles(cluster: IConstruct): void {
    if (dependOnProfilesSelecting(this.addon, cluster, 'kube-system', CORE_DNS_LABELS) === 0) {
      Annotations.of(this).addWarningV2('cdk-eks-fargate:coredns-unscheduled',
        'No Fargate profile selects the CoreDNS pods (namespace kube-system, label k8s-app=kube-dns), so CoreDNS stays Pending and '
        + 'no pod can resolve names. Keep `defaultProfile` on, or add a profile set with `{ namespace: \'kube-system\' }`.');
    }
  }
}
