import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { KubernetesObjects } from '../../../lib';
import { newTestCluster, newTestStack } from '../../helpers/test-stack';

const JOB = {
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'export', namespace: 'flow' },
  spec: {
    template: {
      spec: {
        serviceAccountName: 'exporter',
        restartPolicy: 'Never',
        volumes: [{ name: 'out', persistentVolumeClaim: { claimName: 'exports' } }],
        containers: [{ name: 'export', image: 'export', envFrom: [{ configMapRef: { name: 'settings' } }] }],
      },
    },
  },
};
const ALB_INGRESS = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'web', namespace: 'default', annotations: { 'alb.ingress.kubernetes.io/target-type': 'ip' } },
  spec: { ingressClassName: 'alb', defaultBackend: { service: { name: 'web', port: { number: 80 } } } },
};

function dependsOn(stack: Stack, objects: KubernetesObjects): string[] {
  const resource = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(objects.resources[0].node.defaultChild as any)];
  return resource.DependsOn ?? [];
}

function logicalId(stack: Stack, objects: KubernetesObjects): string {
  return stack.getLogicalId(objects.resources[0].node.defaultChild as any);
}

describe('workloads order themselves', () => {
  test('a Job waits for the service account, claim and ConfigMap its pods use, when this app applies them', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack);
    const job = cluster.addManifest('Export', JOB);
    const account = cluster.addManifest('Account', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'exporter', namespace: 'flow' } });
    const claim = cluster.addManifest('Claim', {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'exports', namespace: 'flow' },
      spec: { accessModes: ['ReadWriteMany'], storageClassName: '', resources: { requests: { storage: '5Gi' } } },
    });
    const settings = cluster.addManifest('Settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'flow' } });
    expect(dependsOn(stack, job)).toEqual(expect.arrayContaining([logicalId(stack, account), logicalId(stack, claim), logicalId(stack, settings)]));
  });

  test('a reference to an object of another namespace, or one the app does not apply, adds no dependency', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack);
    const job = cluster.addManifest('Export', JOB);
    const elsewhere = cluster.addManifest('Account', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'exporter', namespace: 'other' } });
    expect(dependsOn(stack, job)).not.toContain(logicalId(stack, elsewhere));
  });

  test('an ALB Ingress waits for the cluster\'s AWS Load Balancer Controller', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack);
    const web = cluster.addManifest('Web', ALB_INGRESS);
    const controller = cluster.addAwsLoadBalancerController();
    const chartId = stack.getLogicalId(controller.chart.node.defaultChild as any);
    expect(dependsOn(stack, web)).toContain(chartId);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('load-balancer-controller-missing'))).toEqual([]);
  });

  test('an ALB Ingress, a controller NLB Service or a TargetGroupBinding without a controller in the app is warned about', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack);
    cluster.addManifest('Web', ALB_INGRESS);
    cluster.addManifest('Binding', { apiVersion: 'elbv2.k8s.aws/v1beta1', kind: 'TargetGroupBinding', metadata: { name: 'web' }, spec: { targetType: 'ip' } });
    cluster.addManifest('Nlb', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'nlb', annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'external' } },
      spec: { type: 'LoadBalancer', ports: [{ port: 80 }] },
    });
    const warnings = Annotations.fromStack(stack);
    warnings.hasWarning('/Test/Cluster/Web', Match.stringLikeRegexp('^Ingress default/web is an ALB Ingress, which only the AWS Load Balancer Controller serves.*addAwsLoadBalancerController'));
    warnings.hasWarning('/Test/Cluster/Binding', Match.stringLikeRegexp('TargetGroupBinding web is a TargetGroupBinding \\(a kind of the controller\'s CRDs\\)'));
    warnings.hasWarning('/Test/Cluster/Nlb', Match.stringLikeRegexp('Service nlb is a Service for an NLB of the controller'));
  });

  test('addAwsLoadBalancerController twice is a clear error naming the existing controller', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack);
    cluster.addAwsLoadBalancerController();
    expect(() => cluster.addAwsLoadBalancerController()).toThrow(
      /Test\/Cluster\/AwsLoadBalancerController: `cluster` Test\/Cluster already has an AWS Load Balancer Controller \(Test\/Cluster\/AwsLoadBalancerController\); the controller runs once a cluster/);
  });
});
