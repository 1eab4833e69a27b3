import { KubectlV34Layer } from '@aws-cdk/lambda-layer-kubectl-v34';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { newTestCluster, newTestStack } from './helpers/test-stack';

const HPA = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    minReplicas: 2,
    maxReplicas: 10,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
  },
};

describe('FargateMetricsServer', () => {
  test('installs the EKS metrics-server add-on after the profile that selects kube-system', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack);
    const metricsServer = cluster.addMetricsServer();
    const template = Template.fromStack(stack);
    template.hasResource('AWS::EKS::Addon', {
      Properties: { AddonName: 'metrics-server', ClusterName: { Ref: stack.getLogicalId(cluster.resource) }, ResolveConflicts: 'OVERWRITE' },
      DependsOn: [stack.getLogicalId(cluster.defaultProfile!.profiles[0])],
    });
    expect(metricsServer.addon.configurationValues).toBeUndefined();
  });

  test('waits for a kube-system profile added after it, and pins a given version', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack, { defaultProfile: false });
    cluster.addMetricsServer({ version: 'v0.8.0-eksbuild.1' });
    const system = cluster.addProfileSet('System', { selectors: [{ namespace: 'kube-system' }] });
    Template.fromStack(stack).hasResource('AWS::EKS::Addon', {
      Properties: { AddonName: 'metrics-server', AddonVersion: 'v0.8.0-eksbuild.1' },
      DependsOn: Match.arrayWith([stack.getLogicalId(system.profiles[0])]),
    });
  });

  test('warns when no profile selects its pods', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack, { defaultProfile: false });
    cluster.addProfileSet('Apps', { selectors: [{ namespace: 'apps' }] });
    cluster.addMetricsServer();
    Annotations.fromStack(stack).hasWarning('/Test/Cluster/MetricsServer', Match.stringLikeRegexp('metrics-server-unscheduled'));
  });

  test('is one a cluster', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack);
    cluster.addMetricsServer();
    expect(() => cluster.addMetricsServer()).toThrow(/There is already a Construct with name 'MetricsServer'/);
  });
});

describe('FargateReadiness with autoscalers', () => {
  test('warns about a CPU autoscaler on a cluster without metrics-server, naming addMetricsServer', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack, { kubectlLayer: new KubectlV34Layer(stack, 'Kubectl') });
    cluster.addManifest('Autoscaler', HPA);
    Annotations.fromStack(stack).hasWarning('/Test/Cluster/Autoscaler',
      Match.stringLikeRegexp('scales on resource metrics \\(cpu\\).*cluster\\.addMetricsServer\\(\\)'));
  });

  test('does not warn once the cluster has metrics-server, even when it is added after the autoscaler', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack, { kubectlLayer: new KubectlV34Layer(stack, 'Kubectl') });
    cluster.addManifest('Autoscaler', HPA);
    cluster.addMetricsServer();
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('hpa-without-metrics-server'))).toEqual([]);
  });

  test('warns on a workload added before its autoscaler that still sets spec.replicas', () => {
    const stack = newTestStack();
    const cluster = newTestCluster(stack);
    const container = { name: 'web', image: 'web', resources: { requests: { cpu: '1', memory: '1Gi' } } };
    cluster.addManifest('Web', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [container] } } },
    });
    cluster.addManifest('Autoscaler', HPA);
    cluster.addMetricsServer();
    Annotations.fromStack(stack).hasWarning('/Test/Cluster/Web', Match.stringLikeRegexp('^Deployment default/web: sets `spec.replicas: 2`.*readiness-hpa-target-replicas'));
  });
});
