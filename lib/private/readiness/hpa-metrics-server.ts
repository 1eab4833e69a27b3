import { isKind, objectAt, objectOf, objectsOf, referenceOf, stringOf } from './pod-spec';
import { KubernetesManifest, READINESS_RULE_PREFIX, ReadinessRule } from './types';

/**
 * Horizontal Pod Autoscalers on resource metrics (CPU, memory) read them from metrics-server, which EKS does not
 * install: without it the autoscaler reports `FailedGetResourceMetric` and never scales.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/horizontal-pod-autoscaler.html
 */

/** The resources an autoscaler scales on through the resource metrics API; empty when it uses other metrics only. */
function resourceMetricsOf(manifest: KubernetesManifest): string[] {
  if (manifest.apiVersion === 'autoscaling/v1') {
    return ['cpu'];
  }
  const metrics = objectsOf(objectAt(manifest, 'spec')?.metrics);
  if (!Array.isArray(objectAt(manifest, 'spec')?.metrics) || metrics.length === 0) {
    // Kubernetes defaults an autoscaler without metrics to 80% average CPU utilization.
    return ['cpu'];
  }
  return metrics
    .filter((metric) => metric.type === 'Resource' || metric.type === 'ContainerResource')
    .map((metric) => stringOf(objectAt(metric, metric.type === 'Resource' ? 'resource' : 'containerResource')?.name) ?? '<unnamed>');
}

/** Whether `manifests` install metrics-server themselves (its `v1beta1.metrics.k8s.io` APIService). */
export function declaresMetricsApi(manifests: KubernetesManifest[]): boolean {
  return manifests.some((manifest) => {
    const object = objectOf(manifest);
    return object !== undefined && isKind(object, 'APIService', ['apiregistration.k8s.io'])
      && stringOf(objectAt(object, 'metadata')?.name) === 'v1beta1.metrics.k8s.io';
  });
}

export const hpaMetricsServerRule: ReadinessRule = {
  id: `${READINESS_RULE_PREFIX}hpa-without-metrics-server`,
  level: 'warning',
  summary: 'HorizontalPodAutoscalers on CPU or memory on a cluster without metrics-server in this app.',
  check(manifest, context) {
    if (context.metricsServer !== false || !isKind(manifest, 'HorizontalPodAutoscaler', ['autoscaling'])) {
      return [];
    }
    const resources = [...new Set(resourceMetricsOf(manifest))];
    if (resources.length === 0) {
      return [];
    }
    return [`${referenceOf(manifest)}: scales on resource metrics (${resources.join(', ')}), which come from metrics-server, and this `
      + 'app installs none on the cluster, so the autoscaler would never scale. Add `cluster.addMetricsServer()` (the EKS add-on, '
      + 'preset to port 10251 as Fargate needs), or acknowledge this warning if metrics-server is installed outside this app.'];
  },
};
