import { KubectlV34Layer } from '@aws-cdk/lambda-layer-kubectl-v34';
import { Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { AwsLoadBalancerController, FargateCluster, KubernetesObjects } from '../../lib';

/** Namespace of the web service; its Fargate profile selects exactly this namespace. */
export const WEB_NAMESPACE = 'web';

/** How the ALB registers the web pods. */
export type AlbTargetType = 'ip' | 'instance';

/** Properties of a {@link WebOnFargateStack}. */
export interface WebOnFargateStackProps extends StackProps {
  /**
   * Target type of the ALB. Fargate pods are only reachable as `ip` targets; `instance` is the mistake
   * `FargateReadiness` refuses at synth.
   * @default 'ip'
   */
  readonly albTargetType?: AlbTargetType;
}

/**
 * A web service on Fargate behind an internet-facing Application Load Balancer: the AWS Load Balancer Controller
 * (IRSA role, Helm chart on Fargate), a Deployment and a ClusterIP Service in namespace `web`, and an Ingress of
 * class `alb` whose ALB sends traffic straight to the pod IPs.
 */
export class WebOnFargateStack extends Stack {
  public readonly cluster: FargateCluster;
  public readonly loadBalancerController: AwsLoadBalancerController;
  /** The Namespace, Deployment, Service and Ingress, applied together after the controller is running. */
  public readonly webService: KubernetesObjects;
  /** The Ingress object as applied. */
  public readonly ingress: { [key: string]: any };

  constructor(scope: Construct, id: string, props: WebOnFargateStackProps = {}) {
    super(scope, id, props);
    const admins = new iam.Role(this, 'PlatformAdmins', {
      assumedBy: new iam.AccountRootPrincipal(),
      description: 'Platform team: cluster-admin on the web cluster',
    });
    this.cluster = new FargateCluster(this, 'Cluster', {
      version: eks.KubernetesVersion.V1_34,
      mastersRole: admins,
      kubectlLayer: new KubectlV34Layer(this, 'Kubectl'),
    });
    // The public endpoint is open so the example's kubectl works from anywhere; a real cluster restricts it with
    // `EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom(...)` or uses `EndpointAccess.PRIVATE` (examples/private-cluster).
    Validations.of(this.cluster.resource).acknowledge({
      id: 'AwsSolutions-EKS1',
      reason: 'Example cluster: public API endpoint (IAM-authenticated) so a first deploy can be tried with kubectl from a laptop.',
    });
    this.cluster.addProfileSet('Web', { selectors: [{ namespace: WEB_NAMESPACE }] });
    this.loadBalancerController = this.cluster.addAwsLoadBalancerController();

    this.ingress = webIngress(props.albTargetType ?? 'ip');
    // The controller adds a readiness gate to these pods: a rollout waits until the ALB sends traffic to new pods.
    this.cluster.addNamespace(WEB_NAMESPACE, { labels: { 'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled' } });
    // The ALB Ingress waits for the controller by itself: its webhooks must answer when the Ingress is created, and on
    // deletion the controller must still run to delete the ALB.
    this.webService = this.cluster.addManifest('WebService', webDeployment(), webClusterIpService(), this.ingress);
  }
}

const APP_LABELS = { 'app.kubernetes.io/name': 'web' };

/** Two nginx pods sized for the smallest Fargate size (0.25 vCPU, 0.5 GB with Fargate's 256 MB). */
function webDeployment() {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: WEB_NAMESPACE, labels: APP_LABELS },
    spec: {
      replicas: 2,
      selector: { matchLabels: APP_LABELS },
      template: {
        metadata: { labels: APP_LABELS },
        spec: {
          containers: [{
            name: 'nginx',
            image: 'public.ecr.aws/nginx/nginx:1.27',
            ports: [{ name: 'http', containerPort: 80 }],
            readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 5 },
            resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '250m', memory: '256Mi' } },
          }],
        },
      },
    },
  };
}

/** A ClusterIP Service is enough: with IP targets the ALB reaches the pods directly, never through a node port. */
function webClusterIpService() {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: WEB_NAMESPACE, labels: APP_LABELS },
    spec: { type: 'ClusterIP', selector: APP_LABELS, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  };
}

function webIngress(targetType: AlbTargetType) {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: 'web',
      namespace: WEB_NAMESPACE,
      annotations: {
        'alb.ingress.kubernetes.io/scheme': 'internet-facing',
        'alb.ingress.kubernetes.io/target-type': targetType,
        'alb.ingress.kubernetes.io/healthcheck-path': '/',
      },
    },
    spec: {
      ingressClassName: 'alb',
      rules: [{
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } }] },
      }],
    },
  };
}
