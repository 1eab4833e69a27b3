import { Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { FargateCluster } from '../../lib';

/** Namespace and pod label the ETL jobs run with; the profile selects exactly these. */
const ETL_NAMESPACE = 'flow';
const FARGATE_LABELS = { infrastructure: 'fargate' };

/**
 * ETL on Fargate: a cluster whose batch jobs run in namespace `flow` on pods labelled `infrastructure=fargate`,
 * with Fargate logging to CloudWatch Logs, an IRSA service account for the jobs, an EFS volume the export writes to,
 * and a Job that cleans itself up.
 */
export class EtlOnFargateStack extends Stack {
  public readonly cluster: FargateCluster;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const admins = new iam.Role(this, 'PlatformAdmins', {
      assumedBy: new iam.AccountRootPrincipal(),
      description: 'Platform team: cluster-admin on the ETL cluster',
    });
    this.cluster = new FargateCluster(this, 'Cluster', {
      version: eks.KubernetesVersion.V1_34,
      mastersRole: admins,
      fargateLogging: {},
    });
    // The public endpoint is open so the example's kubectl works from anywhere; a real cluster restricts it with
    // `EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom(...)` or uses `EndpointAccess.PRIVATE` (examples/private-cluster).
    Validations.of(this.cluster.resource).acknowledge({
      id: 'AwsSolutions-EKS1',
      reason: 'Example cluster: public API endpoint (IAM-authenticated) so a first deploy can be tried with kubectl from a laptop.',
    });
    this.cluster.addProfileSet('Etl', { selectors: [{ namespace: ETL_NAMESPACE, labels: FARGATE_LABELS }] });

    // Everything in the namespace goes after it, and the Job after the service account and claim its pods use.
    this.cluster.addNamespace(ETL_NAMESPACE);
    const jobs = this.cluster.addServiceAccount('EtlJobs', { namespace: ETL_NAMESPACE, name: 'etl-jobs' });
    const exports = this.cluster.addEfsVolume('Exports', { namespace: ETL_NAMESPACE });
    this.cluster.addManifest('NightlyExport', nightlyExportJob(jobs.serviceAccountName, exports.claimName));
  }
}

/**
 * A Job sized for Fargate (requests set, well under 16 vCPU / 120 GB) that writes its export to the EFS volume and is
 * deleted an hour after it finishes.
 */
function nightlyExportJob(serviceAccountName: string, claimName: string) {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'nightly-export', namespace: ETL_NAMESPACE },
    spec: {
      ttlSecondsAfterFinished: 3600,
      backoffLimit: 2,
      template: {
        metadata: { labels: { ...FARGATE_LABELS, app: 'nightly-export' } },
        spec: {
          serviceAccountName,
          restartPolicy: 'Never',
          containers: [{
            name: 'export',
            image: 'public.ecr.aws/docker/library/python:3.13-slim',
            command: ['python', '-c', 'open("/exports/nightly.csv", "w").write("id,total\\n")'],
            resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '1', memory: '2Gi' } },
            volumeMounts: [{ name: 'exports', mountPath: '/exports' }],
          }],
          volumes: [{ name: 'exports', persistentVolumeClaim: { claimName } }],
        },
      },
    },
  };
}
