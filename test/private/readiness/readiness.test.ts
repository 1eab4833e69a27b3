import * as fc from 'fast-check';
import { FargatePodSize } from '../../../lib/fargate-pod-size';
import {
  ALL_RULES,
  collectStorageClasses,
  evaluateManifest,
  KubernetesManifest,
  READINESS_RULE_PREFIX,
  ReadinessContext,
} from '../../../lib/private/readiness';
import { fargatePodTotal } from '../../../lib/private/readiness/pod-resources';
import { podWorkloadOf } from '../../../lib/private/readiness/pod-spec';
import { parseQuantity } from '../../../lib/private/readiness/quantity';

const GIB = 2 ** 30;

/** A Fargate-only cluster with the default profile and eksctl's fp-dev profile. */
const FARGATE_ONLY: ReadinessContext = {
  fargateOnly: true,
  profileSelectors: [{ namespace: 'default' }, { namespace: 'kube-system' }, { namespace: 'dev', labels: { env: 'dev' } }],
};

/** A mixed cluster where only the `serverless` namespace runs on Fargate. */
const MIXED: ReadinessContext = { fargateOnly: false, profileSelectors: [{ namespace: 'serverless' }] };

function container(extra: Record<string, any> = {}): Record<string, any> {
  return {
    name: 'app',
    image: 'nginx',
    resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '250m', memory: '256Mi' } },
    ...extra,
  };
}

interface WorkloadOptions {
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
  readonly name?: string;
}

/** A pod spec requiring node affinity with one term per list of match expressions. */
function requiredAffinity(...terms: Record<string, any>[][]): Record<string, any> {
  const required = { nodeSelectorTerms: terms.map((matchExpressions) => ({ matchExpressions })) };
  return { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: required } };
}

function workload(kind: string, podSpec: Record<string, any>, options: WorkloadOptions = {}): KubernetesManifest {
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

function deployment(podSpec: Record<string, any> = { containers: [container()] }, options = {}): KubernetesManifest {
  return workload('Deployment', podSpec, options);
}

function findings(manifest: KubernetesManifest, rule: string, context: ReadinessContext = FARGATE_ONLY) {
  return evaluateManifest(manifest, context).filter((finding) => finding.ruleId === `${READINESS_RULE_PREFIX}${rule}`);
}

describe('parseQuantity', () => {
  test('reads CPU, binary, decimal and exponent quantities', () => {
    expect(parseQuantity('500m')).toBe(0.5);
    expect(parseQuantity('2')).toBe(2);
    expect(parseQuantity(2)).toBe(2);
    expect(parseQuantity('512Mi')).toBe(512 * 2 ** 20);
    expect(parseQuantity('1Gi')).toBe(GIB);
    expect(parseQuantity('1G')).toBe(1e9);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity('1E')).toBe(1e18);
    expect(parseQuantity('.5')).toBe(0.5);
  });

  test('returns undefined for values that are not quantities', () => {
    expect(parseQuantity('lots')).toBeUndefined();
    expect(parseQuantity('1GB')).toBeUndefined();
    expect(parseQuantity(undefined)).toBeUndefined();
    expect(parseQuantity({ cpu: 1 })).toBeUndefined();
  });
});

describe('pod spec extraction', () => {
  test('reads namespace, template labels and pod spec of every workload kind', () => {
    for (const kind of ['Pod', 'Deployment', 'StatefulSet', 'ReplicaSet', 'DaemonSet', 'Job', 'CronJob']) {
      const found = podWorkloadOf(workload(kind, { containers: [container()] }, { namespace: 'dev', labels: { env: 'dev' } }));
      expect(found).toMatchObject({ kind, namespace: 'dev', labels: { env: 'dev' }, reference: `${kind} dev/web` });
      expect(found?.spec.containers).toHaveLength(1);
    }
  });

  test('defaults the namespace to default and ignores custom resources that share a kind name', () => {
    expect(podWorkloadOf(deployment())?.namespace).toBe('default');
    expect(podWorkloadOf({ ...deployment(), apiVersion: 'example.com/v1' })).toBeUndefined();
    expect(podWorkloadOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } })).toBeUndefined();
  });
});

describe('Fargate sizing', () => {
  test('1 vCPU and 8 GB plus 256 MB becomes 2 vCPU and 9 GB, as AWS documents', () => {
    expect(FargatePodSize.ofRequests(1, 8 * 1024)).toMatchObject({ billedVcpu: 2, billedMemoryGb: 9 });
    expect(FargatePodSize.ofRequests(0, 0)).toMatchObject({ billedVcpu: 0.25, billedMemoryGb: 0.5 });
    expect(FargatePodSize.ofRequests(16.5, 1024).fits).toBe(false);
  });

  test('a pod needs the larger of its containers\' sum and its largest init container', () => {
    // GIVEN two 1-CPU app containers and a 3-CPU init container
    const spec = {
      initContainers: [container({ resources: { requests: { cpu: '3' } } })],
      containers: [container({ resources: { requests: { cpu: '1' } } }), container({ resources: { limits: { cpu: '1' } } })],
    };
    // WHEN / THEN (limits stand in for missing requests, as Kubernetes defaults them)
    expect(fargatePodTotal(spec, 'cpu')).toBe(3);
    expect(fargatePodTotal({ containers: spec.containers }, 'cpu')).toBe(2);
  });

  test('sidecar init containers count with the app and with every init container after them', () => {
    // GIVEN a 1-CPU sidecar declared before a 2-CPU init container, and a 1-CPU app
    const sidecar = container({ restartPolicy: 'Always', resources: { requests: { cpu: '1' } } });
    const spec = {
      initContainers: [sidecar, container({ resources: { requests: { cpu: '2' } } })],
      containers: [container({ resources: { requests: { cpu: '1' } } })],
    };
    // WHEN / THEN: max(app 1 + sidecar 1, init 2 + sidecar 1)
    expect(fargatePodTotal(spec, 'cpu')).toBe(3);
  });
});

describe('ALL_RULES', () => {
  test('has seventeen rules with unique prefixed ids', () => {
    const ids = ALL_RULES.map((rule) => rule.id);
    expect(ids).toHaveLength(17);
    expect(new Set(ids).size).toBe(17);
    expect(ids.every((id) => id.startsWith('cdk-eks-fargate:readiness-'))).toBe(true);
  });
});

describe('readiness rules', () => {
  test('daemonset: a DaemonSet is an error naming the fix', () => {
    // GIVEN
    const daemonSet = workload('DaemonSet', { containers: [container()] }, { namespace: 'kube-system', name: 'fluentd' });
    // WHEN
    const found = findings(daemonSet, 'daemonset');
    // THEN
    expect(found).toEqual([{
      ruleId: 'cdk-eks-fargate:readiness-daemonset',
      level: 'error',
      message: 'DaemonSet kube-system/fluentd: Fargate runs no DaemonSets (no nodes to schedule on). '
        + 'Use a sidecar container, or Fargate\'s built-in log router (`fargateLogging`) for logs.',
    }]);
  });

  test('daemonset: a Deployment is not reported', () => {
    expect(findings(deployment(), 'daemonset')).toEqual([]);
  });

  test('privileged: a privileged container is an error naming it', () => {
    const manifest = deployment({ containers: [container({ name: 'agent', securityContext: { privileged: true } })] });
    const found = findings(manifest, 'privileged');
    expect(found).toHaveLength(1);
    expect(found[0].level).toBe('error');
    expect(found[0].message).toMatch(/^Deployment default\/web: container `agent` sets `securityContext.privileged: true`/);
  });

  test('privileged: an unprivileged container is not reported', () => {
    const manifest = deployment({ containers: [container({ securityContext: { privileged: false, allowPrivilegeEscalation: false } })] });
    expect(findings(manifest, 'privileged')).toEqual([]);
  });

  test('host-access: host networking, host ports and hostPath volumes are one error listing each', () => {
    const manifest = deployment({
      hostNetwork: true,
      hostPID: true,
      containers: [container({ ports: [{ containerPort: 80, hostPort: 8080 }] })],
      volumes: [{ name: 'logs', hostPath: { path: '/var/log' } }],
    });
    const found = findings(manifest, 'host-access');
    expect(found).toHaveLength(1);
    expect(found[0].message).toMatch(/rejects `hostNetwork: true`, `hostPID: true`, `hostPort: 8080` in container `app`, `hostPath` volume `logs`/);
  });

  test('host-access: container ports and emptyDir volumes are not reported', () => {
    const manifest = deployment({ containers: [container({ ports: [{ containerPort: 80 }] })], volumes: [{ name: 'tmp', emptyDir: {} }] });
    expect(findings(manifest, 'host-access')).toEqual([]);
  });

  test('gpu: a GPU or Neuron resource is an error', () => {
    const manifest = deployment({
      containers: [container({ resources: { limits: { 'nvidia.com/gpu': 1 } } })],
      initContainers: [container({ name: 'warmup', resources: { requests: { 'aws.amazon.com/neuron': 1 } } })],
    });
    const found = findings(manifest, 'gpu');
    expect(found).toHaveLength(1);
    expect(found[0].message).toMatch(/asks for `nvidia.com\/gpu` in container `app`, `aws.amazon.com\/neuron` in container `warmup`/);
  });

  test('gpu: CPU and memory only are not reported', () => {
    expect(findings(deployment(), 'gpu')).toEqual([]);
  });

  test('pod-size: 16 vCPU and 120 GiB exceed Fargate once the 256 MiB for system components is added', () => {
    const manifest = deployment({ containers: [container({ resources: { requests: { cpu: '16', memory: '120Gi' } } })] });
    const found = findings(manifest, 'pod-size');
    expect(found).toHaveLength(1);
    expect(found[0].message).toMatch(/needs 16 vCPU and 120.25 GiB as Fargate sizes it/);
  });

  test('pod-size: an oversized init container of a CronJob is reported', () => {
    const manifest = workload('CronJob', {
      initContainers: [container({ name: 'migrate', resources: { requests: { cpu: '17', memory: '1Gi' } } })],
      containers: [container()],
    });
    expect(findings(manifest, 'pod-size')[0].message).toMatch(/^CronJob default\/web: needs 17 vCPU/);
  });

  test('pod-size: the largest combination that fits is not reported', () => {
    const manifest = deployment({ containers: [container({ resources: { requests: { cpu: '16', memory: '119Gi' } } })] });
    expect(findings(manifest, 'pod-size')).toEqual([]);
  });

  test('ephemeral-storage: more than 175 GiB over all containers is an error', () => {
    const disk = (size: string) => container({ resources: { requests: { 'ephemeral-storage': size } } });
    const found = findings(deployment({ containers: [disk('100Gi'), disk('100Gi')] }), 'ephemeral-storage');
    expect(found).toHaveLength(1);
    expect(found[0].message).toMatch(/ask for 200 GiB of `ephemeral-storage`.*at most 175 GiB/);
  });

  test('ephemeral-storage: exactly 175 GiB is not reported', () => {
    const manifest = deployment({ containers: [container({ resources: { limits: { 'ephemeral-storage': '175Gi' } } })] });
    expect(findings(manifest, 'ephemeral-storage')).toEqual([]);
  });

  test('ebs-volume-claims: a claim on gp3 and a StatefulSet template on gp2 are errors', () => {
    const claim = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { storageClassName: 'gp3' } };
    const statefulSet = workload('StatefulSet', { containers: [container()] });
    statefulSet.spec.volumeClaimTemplates = [{ metadata: { name: 'pgdata' }, spec: { storageClassName: 'gp2' } }];
    expect(findings(claim, 'ebs-volume-claims')[0].message)
      .toMatch(/^PersistentVolumeClaim default\/data: claims storage class `gp3`, which provisions EBS volumes/);
    expect(findings(statefulSet, 'ebs-volume-claims')[0].message)
      .toMatch(/^StatefulSet default\/web: uses volumeClaimTemplate `pgdata` on storage class `gp2`/);
  });

  test('ebs-volume-claims: inline EBS volumes in a pod spec are errors', () => {
    const manifest = deployment({
      containers: [container()],
      volumes: [
        { name: 'legacy', awsElasticBlockStore: { volumeID: 'vol-1' } },
        { name: 'csi', csi: { driver: 'ebs.csi.aws.com' } },
        { name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: { storageClassName: 'gp3-encrypted' } } } },
        { name: 'tmp', emptyDir: {} },
      ],
    });
    expect(findings(manifest, 'ebs-volume-claims')[0].message).toMatch(
      /uses `awsElasticBlockStore` volume `legacy`, EBS CSI volume `csi`, ephemeral volume `scratch` on storage class `gp3-encrypted`\. Fargate/);
  });

  test('ebs-volume-claims: a StorageClass manifest makes its class EBS whatever its name', () => {
    // GIVEN a class named without any hint, provisioned by the EBS CSI driver
    const storageClass = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast' }, provisioner: 'ebs.csi.aws.com' };
    const context = { ...FARGATE_ONLY, storageClasses: collectStorageClasses([storageClass, deployment(), null as any]) };
    const claim = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { storageClassName: 'fast' } };
    // WHEN / THEN
    expect(context.storageClasses).toEqual({ fast: 'ebs.csi.aws.com' });
    expect(findings(claim, 'ebs-volume-claims', context)).toHaveLength(1);
  });

  test('ebs-volume-claims: an EFS claim is not reported', () => {
    const storageClasses = { 'gp3-on-efs': 'efs.csi.aws.com' };
    const claim = (storageClassName: string) => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { storageClassName } });
    expect(findings(claim('efs-sc'), 'ebs-volume-claims')).toEqual([]);
    expect(findings(claim('gp3-on-efs'), 'ebs-volume-claims', { ...FARGATE_ONLY, storageClasses })).toEqual([]);
  });

  test('load-balancers: an instance-target Service, ALB Ingress and TargetGroupBinding are errors', () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { type: 'LoadBalancer' } };
    const ingress = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web' }, spec: { ingressClassName: 'alb' } };
    const legacyIngress = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'old', annotations: { 'kubernetes.io/ingress.class': 'alb' } } };
    const binding = { apiVersion: 'elbv2.k8s.aws/v1beta1', kind: 'TargetGroupBinding', metadata: { name: 'tgb' }, spec: { targetType: 'instance' } };
    expect(findings(service, 'load-balancers')[0].message).toMatch(/^Service default\/web: a `type: LoadBalancer` Service without IP targets/);
    expect(findings(ingress, 'load-balancers')[0].message).toMatch(/^Ingress default\/web: an ALB Ingress without `alb.ingress.kubernetes.io\/target-type: ip`/);
    expect(findings(legacyIngress, 'load-balancers')).toHaveLength(1);
    expect(findings(binding, 'load-balancers')[0].message).toMatch(/`spec.targetType: instance` registers node ports/);
    expect([service, ingress, legacyIngress, binding].flatMap((manifest) => findings(manifest, 'load-balancers')).map((finding) => finding.level))
      .toEqual(['error', 'error', 'error', 'error']);
  });

  test('load-balancers: each message names the fix', () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { type: 'LoadBalancer' } };
    const ingress = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'shop' }, spec: { ingressClassName: 'alb' } };
    const binding = { apiVersion: 'elbv2.k8s.aws/v1beta1', kind: 'TargetGroupBinding', metadata: { name: 'tgb' }, spec: { targetType: 'instance' } };
    expect(findings(service, 'load-balancers')[0].message).toBe('Service shop/web: a `type: LoadBalancer` Service without IP targets gets an '
      + 'instance-target load balancer (from the in-tree controller, or from the AWS Load Balancer Controller unless its default target '
      + 'type is `ip`), and instance targets cannot reach Fargate pods. Install the AWS Load Balancer Controller '
      + '(`cluster.addAwsLoadBalancerController()`) and annotate the Service with `service.beta.kubernetes.io/aws-load-balancer-type: external` '
      + 'and `service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip` (or set `spec.loadBalancerClass: service.k8s.aws/nlb` with '
      + 'the same target-type annotation).');
    expect(findings(ingress, 'load-balancers')[0].message).toBe('Ingress shop/web: an ALB Ingress without `alb.ingress.kubernetes.io/target-type: ip` '
      + 'gets the AWS Load Balancer Controller\'s default target type, `instance` unless the controller is installed with '
      + '`defaultTargetType: ip`, and instance targets cannot reach Fargate pods. Annotate the Ingress with '
      + '`alb.ingress.kubernetes.io/target-type: ip` (its targets then do not depend on how the controller is installed).');
    expect(findings(binding, 'load-balancers')[0].message).toBe('TargetGroupBinding default/tgb: `spec.targetType: instance` registers node '
      + 'ports, which Fargate pods do not have. Set `spec.targetType: ip` and bind a target group of target type `ip`.');
  });

  test('load-balancers: a Service the controller claims is an error unless its NLB target type is ip', () => {
    const service = (annotations: Record<string, string>, spec: Record<string, any> = {}) =>
      ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', annotations }, spec: { type: 'LoadBalancer', ...spec } });
    const external = { 'service.beta.kubernetes.io/aws-load-balancer-type': 'external' };
    const instance = { 'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'instance' };
    const ipOnly = { 'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip' };
    const nlbClass = { loadBalancerClass: 'service.k8s.aws/nlb' };
    // `external` or the controller's class without a target type: the controller's default (instance unless configured).
    expect(findings(service(external), 'load-balancers')).toHaveLength(1);
    expect(findings(service({}, nlbClass), 'load-balancers')).toHaveLength(1);
    expect(findings(service({ ...external, ...instance }), 'load-balancers')[0].message)
      .toMatch(/^Service default\/web: a `type: LoadBalancer` Service with `service.beta.kubernetes.io\/aws-load-balancer-nlb-target-type: instance` gets instance targets/);
    expect(findings(service(instance, nlbClass), 'load-balancers')).toHaveLength(1);
    // An ip target type the controller is not asked to honour: only its webhook would claim the Service.
    expect(findings(service(ipOnly), 'load-balancers')[0].message).toMatch(/but neither `service.beta.kubernetes.io\/aws-load-balancer-type: external` nor `spec.loadBalancerClass: service.k8s.aws\/nlb`/);
    expect(findings(service(ipOnly, { loadBalancerClass: 'example.com/other' }), 'load-balancers')).toHaveLength(1);
    // The in-tree NLB only has instance targets.
    expect(findings(service({ 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' }), 'load-balancers')).toHaveLength(1);
  });

  test('load-balancers: an ALB Ingress with another target type is an error naming it', () => {
    const ingress = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', annotations: { 'alb.ingress.kubernetes.io/target-type': 'instance' } }, spec: { ingressClassName: 'alb' } };
    const legacy = { apiVersion: 'extensions/v1beta1', kind: 'Ingress', metadata: { name: 'old', annotations: { 'kubernetes.io/ingress.class': 'alb', 'alb.ingress.kubernetes.io/target-type': 'instance' } } };
    expect(findings(ingress, 'load-balancers')[0].message).toMatch(/^Ingress default\/web: an ALB Ingress with `alb.ingress.kubernetes.io\/target-type: instance` registers instance targets/);
    expect(findings(legacy, 'load-balancers')).toHaveLength(1);
  });

  test('load-balancers: IP-target NLBs and ALBs are not reported', () => {
    const ipTarget = { 'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip' };
    const annotated = { 'service.beta.kubernetes.io/aws-load-balancer-type': 'external', ...ipTarget };
    const services = [
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'a', annotations: annotated }, spec: { type: 'LoadBalancer' } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'b', annotations: ipTarget }, spec: { type: 'LoadBalancer', loadBalancerClass: 'service.k8s.aws/nlb' } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'c' }, spec: { type: 'ClusterIP' } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'legacy', annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb-ip' } }, spec: { type: 'LoadBalancer' } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'd', annotations: { 'alb.ingress.kubernetes.io/target-type': 'ip' } }, spec: { ingressClassName: 'alb' } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'f', annotations: { 'kubernetes.io/ingress.class': 'alb', 'alb.ingress.kubernetes.io/target-type': 'ip' } } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'e' }, spec: { ingressClassName: 'nginx' } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'g', annotations: { 'kubernetes.io/ingress.class': 'nginx' } } },
      { apiVersion: 'elbv2.k8s.aws/v1beta1', kind: 'TargetGroupBinding', metadata: { name: 'tgb' }, spec: { targetType: 'ip' } },
      { apiVersion: 'elbv2.k8s.aws/v1beta1', kind: 'TargetGroupBinding', metadata: { name: 'tgb2' }, spec: {} },
      // Same kinds in other API groups are other objects.
      { apiVersion: 'example.com/v1', kind: 'TargetGroupBinding', metadata: { name: 'x' }, spec: { targetType: 'instance' } },
      { apiVersion: 'example.com/v1', kind: 'Service', metadata: { name: 'y' }, spec: { type: 'LoadBalancer' } },
    ];
    expect(services.flatMap((manifest) => findings(manifest, 'load-balancers'))).toEqual([]);
  });

  test('load-balancers: instance targets are not judged on a mixed cluster, where the targets may be EC2 pods', () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'serverless' }, spec: { type: 'LoadBalancer' } };
    const ingress = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'serverless' }, spec: { ingressClassName: 'alb' } };
    const binding = { apiVersion: 'elbv2.k8s.aws/v1beta1', kind: 'TargetGroupBinding', metadata: { name: 'tgb', namespace: 'serverless' }, spec: { targetType: 'instance' } };
    expect([service, ingress, binding].flatMap((manifest) => findings(manifest, 'load-balancers', MIXED))).toEqual([]);
  });

  test('unmatched-profile: a workload no profile selects is a warning that says Pending and names the fix', () => {
    const found = findings(deployment(undefined, { namespace: 'payments', labels: { app: 'api' } }), 'unmatched-profile');
    expect(found).toEqual([{
      ruleId: 'cdk-eks-fargate:readiness-unmatched-profile',
      level: 'warning',
      message: 'Deployment payments/web: no Fargate profile selects namespace `payments` with pod labels {app=api}; '
        + 'on a Fargate-only cluster its pods stay Pending forever. '
        + 'Add a selector to a FargateProfileSet, e.g. `{ namespace: \'payments\' }`.',
    }]);
    expect(findings(deployment(undefined, { namespace: 'dev', labels: { env: 'prod' } }), 'unmatched-profile')).toHaveLength(1);
  });

  test('unmatched-profile: a workload a profile selects is not reported', () => {
    expect(findings(deployment(undefined, { namespace: 'dev', labels: { env: 'dev', app: 'x' } }), 'unmatched-profile')).toEqual([]);
    expect(findings(deployment(), 'unmatched-profile')).toEqual([]);
  });

  test('job-ttl: a Job and a CronJob without ttlSecondsAfterFinished are warnings', () => {
    const job = workload('Job', { containers: [container()], restartPolicy: 'Never' });
    delete job.spec.ttlSecondsAfterFinished;
    const cronJob = workload('CronJob', { containers: [container()] });
    delete cronJob.spec.jobTemplate.spec.ttlSecondsAfterFinished;
    expect(findings(job, 'job-ttl')[0]).toMatchObject({ level: 'warning', message: expect.stringMatching(/^Job default\/web: sets no `spec.ttlSecondsAfterFinished`/) });
    expect(findings(cronJob, 'job-ttl')[0].message).toMatch(/`spec.jobTemplate.spec.ttlSecondsAfterFinished`/);
  });

  test('job-ttl: a Job with a TTL and a CronJob that keeps no history are not reported', () => {
    const cronJob = workload('CronJob', { containers: [container()] });
    delete cronJob.spec.jobTemplate.spec.ttlSecondsAfterFinished;
    cronJob.spec.successfulJobsHistoryLimit = 0;
    cronJob.spec.failedJobsHistoryLimit = 0;
    expect(findings(workload('Job', { containers: [container()] }), 'job-ttl')).toEqual([]);
    expect(findings(cronJob, 'job-ttl')).toEqual([]);
  });

  test('missing-requests: containers without requests are a warning naming what is missing', () => {
    const manifest = deployment({
      containers: [container({ name: 'web', resources: undefined }), container({ name: 'proxy', resources: { requests: { cpu: '100m' } } })],
    });
    expect(findings(manifest, 'missing-requests')[0].message)
      .toMatch(/^Deployment default\/web: container `web` \(cpu, memory\), `proxy` \(memory\) requests no resources/);
  });

  test('missing-requests: requests, or limits alone, are not reported', () => {
    const manifest = deployment({ containers: [container(), container({ resources: { limits: { cpu: '1', memory: '1Gi' } } })] });
    expect(findings(manifest, 'missing-requests')).toEqual([]);
  });

  test('ec2-node-selection: EC2-only node selectors and affinities are warnings', () => {
    const byInstanceType = deployment({ containers: [container()], nodeSelector: { 'node.kubernetes.io/instance-type': 'm5.large' } });
    const byArch = deployment({ containers: [container()], nodeSelector: { 'kubernetes.io/arch': 'arm64' } });
    const byKarpenter = deployment({
      containers: [container()],
      affinity: requiredAffinity([{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] }]),
    });
    expect(findings(byInstanceType, 'ec2-node-selection')[0].message).toMatch(/nodeSelector `node.kubernetes.io\/instance-type: m5.large` cannot be met/);
    // The architecture is the arm64 rule's error, not repeated as a warning here.
    expect(findings(byArch, 'ec2-node-selection')).toEqual([]);
    expect(findings(byArch, 'arm64')).toHaveLength(1);
    expect(findings(byKarpenter, 'ec2-node-selection')[0].message).toMatch(/required node affinity `karpenter.sh\/capacity-type In \[spot\]`/);
  });

  test('ec2-node-selection: Fargate labels and an affinity with a Fargate alternative are not reported', () => {
    const fargateSelector = deployment({ containers: [container()], nodeSelector: { 'eks.amazonaws.com/compute-type': 'fargate', 'kubernetes.io/arch': 'amd64' } });
    const alternative = deployment({
      containers: [container()],
      affinity: requiredAffinity(
        [{ key: 'eks.amazonaws.com/nodegroup', operator: 'In', values: ['ng-1'] }],
        [{ key: 'eks.amazonaws.com/compute-type', operator: 'In', values: ['fargate'] }],
      ),
    });
    expect(findings(fargateSelector, 'ec2-node-selection')).toEqual([]);
    expect(findings(deployment({ containers: [container()], nodeSelector: { constructor: 'x' } }), 'ec2-node-selection')).toEqual([]);
    expect(findings(alternative, 'ec2-node-selection')).toEqual([]);
  });
});

describe('evaluateManifest on mixed clusters', () => {
  test('errors become warnings for pods that a profile selects', () => {
    // GIVEN a privileged Deployment in the namespace that runs on Fargate
    const manifest = deployment({ containers: [container({ securityContext: { privileged: true } })] }, { namespace: 'serverless' });
    // WHEN
    const onMixed = evaluateManifest(manifest, MIXED);
    const onFargateOnly = evaluateManifest(manifest, { ...MIXED, fargateOnly: true });
    // THEN
    expect(onFargateOnly.map((finding) => finding.level)).toEqual(['error']);
    expect(onMixed).toEqual([{ ...onFargateOnly[0], level: 'warning' }]);
  });

  test('pods no profile selects run on EC2 and are not judged', () => {
    const manifest = deployment({ hostNetwork: true, containers: [container({ resources: undefined, securityContext: { privileged: true } })] }, { namespace: 'apps' });
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { type: 'LoadBalancer' } };
    const daemonSet = workload('DaemonSet', { containers: [container()] }, { namespace: 'kube-system' });
    expect(evaluateManifest(manifest, MIXED)).toEqual([]);
    expect(evaluateManifest(service, MIXED)).toEqual([]);
    expect(evaluateManifest(daemonSet, MIXED)).toEqual([]);
  });
});

describe('evaluateManifest', () => {
  test('checks each item of a List', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [workload('DaemonSet', { containers: [container()] }), deployment()] };
    expect(evaluateManifest(list, FARGATE_ONLY).map((finding) => finding.ruleId)).toEqual(['cdk-eks-fargate:readiness-daemonset']);
  });

  test('a well-formed Fargate workload has no findings', () => {
    expect(evaluateManifest(deployment(), FARGATE_ONLY)).toEqual([]);
  });

  test('property: malformed manifests never throw', () => {
    const kinds = fc.constantFrom('Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Service', 'Ingress',
      'PersistentVolumeClaim', 'TargetGroupBinding', 'List', 'StorageClass', 'constructor', '__proto__', 'toString');
    const anything = fc.anything({ maxDepth: 3 });
    const shaped = fc.record({
      kind: kinds,
      metadata: fc.oneof(anything, fc.record({ name: anything, namespace: anything, annotations: anything })),
      spec: fc.oneof(anything, fc.record({
        type: fc.oneof(anything, fc.constant('LoadBalancer')),
        template: fc.oneof(anything, fc.record({ metadata: anything, spec: fc.dictionary(fc.constantFrom('containers', 'initContainers', 'volumes', 'nodeSelector', 'affinity', 'hostNetwork'), anything) })),
        jobTemplate: anything,
        volumeClaimTemplates: anything,
        containers: fc.oneof(anything, fc.array(fc.oneof(anything, fc.record({ resources: anything, ports: anything, securityContext: anything })))),
      })),
      items: anything,
    });
    fc.assert(fc.property(shaped, (manifest) => {
      expect(() => evaluateManifest(manifest, FARGATE_ONLY)).not.toThrow();
      expect(() => evaluateManifest(manifest, MIXED)).not.toThrow();
    }), { numRuns: 300 });
    expect(evaluateManifest(null as any, FARGATE_ONLY)).toEqual([]);
  });
});
