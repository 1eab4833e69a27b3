import { evaluateManifest, KubernetesManifest, READINESS_RULE_PREFIX, ReadinessContext } from '../../../lib/private/readiness';

/** Manifests and cluster contexts the readiness rule tests share. */

export const GIB = 2 ** 30;

/** A Fargate-only cluster with the default profile and eksctl's fp-dev profile. */
export const FARGATE_ONLY: ReadinessContext = {
  fargateOnly: true,
  profileSelectors: [{ namespace: 'default' }, { namespace: 'kube-system' }, { namespace: 'dev', labels: { env: 'dev' } }],
};

/** A mixed cluster where only the `serverless` namespace runs on Fargate. */
export const MIXED: ReadinessContext = { fargateOnly: false, profileSelectors: [{ namespace: 'serverless' }] };

export function container(extra: Record<string, any> = {}): Record<string, any> {
  return {
    name: 'app',
    image: 'nginx',
    resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '250m', memory: '256Mi' } },
    ...extra,
  };
}

export interface WorkloadOptions {
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
  readonly name?: string;
}

/** A pod spec requiring node affinity with one term per list of match expressions. */
export function requiredAffinity(...terms: Record<string, any>[][]): Record<string, any> {
  const required = { nodeSelectorTerms: terms.map((matchExpressions) => ({ matchExpressions })) };
  return { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: required } };
}

export function workload(kind: string, podSpec: Record<string, any>, options: WorkloadOptions = {}): KubernetesManifest {
  const template = { metadata: { labels: options.labels ?? { app: 'web' } }, spec: podSpec };
  const metadata = { name: options.name ?? 'web', ...(options.namespace ? { namespace: options.namespace } : {}) };
  switch (kind) {
    case 'Pod':
      return { apiVersion: 'v1', kind, metadata: { ...metadata, labels: template.metadata.labels }, spec: podSpec };
    case 'Job':
      return { apiVersion: 'batch/v1', kind, metadata, spec: { ttlSecondsAfterFinished: 600, template } };
    case 'CronJob':
      return { apiVersion: 'batch/v1', kind, metadata, spec: { schedule: '0 * * * *', jobTemplate: { spec: { ttlSecondsAfterFinished: 600, template } } } };
    default:
      return { apiVersion: 'apps/v1', kind, metadata, spec: { selector: { matchLabels: template.metadata.labels }, template } };
  }
}

export function deployment(podSpec: Record<string, any> = { containers: [container()] }, options = {}): KubernetesManifest {
  return workload('Deployment', podSpec, options);
}

export function findings(manifest: KubernetesManifest, rule: string, context: ReadinessContext = FARGATE_ONLY) {
  return evaluateManifest(manifest, context).filter((finding) => finding.ruleId === `${READINESS_RULE_PREFIX}${rule}`);
}
