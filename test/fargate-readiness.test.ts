import { KubectlV34Layer } from '@aws-cdk/lambda-layer-kubectl-v34';
import { Aspects, Annotations as CoreAnnotations, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import { Construct, IConstruct } from 'constructs';
import { FargateCluster, FargateProfileSet, IFargateCluster } from '../lib';
import { FargateReadiness } from '../lib/fargate-readiness';
import { newTestCluster, newTestStack } from './helpers/test-stack';
import { stateOf } from '../lib/private/cluster/cluster-state';

const PREFIX = 'cdk-eks-fargate:readiness-';

type Manifest = Record<string, any>;

/** A container that satisfies every rule: small, with cpu and memory requests. */
function container(extra: Manifest = {}): Manifest {
  return { name: 'app', image: 'nginx', resources: { requests: { cpu: '250m', memory: '256Mi' } }, ...extra };
}

/** A Deployment `default/web` (or as given) running `podSpec`. */
function deployment(podSpec: Manifest, namespace = 'default', labels: Record<string, string> = { app: 'web' }): Manifest {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec } },
  };
}

/** The ETL Job of the example: namespace `flow`, pods labelled `infrastructure: fargate`. */
function etlJob(jobSpec: Manifest = { ttlSecondsAfterFinished: 3600 }): Manifest {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'etl', namespace: 'flow' },
    spec: {
      ...jobSpec,
      template: {
        metadata: { labels: { infrastructure: 'fargate' } },
        spec: { restartPolicy: 'Never', containers: [container({ name: 'etl' })] },
      },
    },
  };
}

function claim(storageClassName: string): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data', namespace: 'default' },
    spec: { storageClassName, accessModes: ['ReadWriteMany'], resources: { requests: { storage: '5Gi' } } },
  };
}

function storageClass(name: string, provisioner: string): Manifest {
  return { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner };
}

function loadBalancerService(annotations: Record<string, string> = {}): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default', annotations },
    spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80 }] },
  };
}

/**
 * Registers manifests on a cluster the way `addManifest` does (a construct under the cluster plus the bookkeeping
 * entry) and adds the aspect, so the aspect is tested on its own, including on imported clusters.
 */
function addManifests(cluster: IFargateCluster, id: string, ...manifests: Manifest[]): IConstruct {
  const construct = new Construct(cluster, id);
  stateOf(cluster).manifests.push({ construct, manifests });
  return construct;
}

/** A test cluster (default profile: `default`, `kube-system`) checked by the aspect, with `manifests` added as `Manifest`. */
function clusterWith(...manifests: Manifest[]): { stack: Stack; cluster: FargateCluster; construct: IConstruct } {
  const stack = newTestStack();
  const cluster = newTestCluster(stack);
  const construct = addManifests(cluster, 'Manifest', ...manifests);
  Aspects.of(cluster).add(new FargateReadiness({ cluster }));
  return { stack, cluster, construct };
}

const MANIFEST_PATH = '/Test/Cluster/Manifest';

/** Every readiness error and warning reported on `path`, as message texts (other warnings, e.g. about cluster admins, are not ours). */
function findingsAt(stack: Stack, path: string): string[] {
  const annotations = Annotations.fromStack(stack);
  return [...annotations.findError(path, Match.anyValue()), ...annotations.findWarning(path, Match.anyValue())]
    .map((message) => String(message.entry.data))
    .filter((message) => message.includes(PREFIX));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface RuleCase {
  /** Rule name after the prefix. */
  readonly rule: string;
  /** A manifest breaking the rule. */
  readonly breaking: Manifest;
  /** Text the message must contain: `Kind namespace/name`, the problem and the fix, in that order. */
  readonly expected: string[];
  /** A manifest of the same workload that complies. */
  readonly compliant: Manifest;
}

const ERROR_CASES: RuleCase[] = [
  {
    rule: 'daemonset',
    breaking: { ...deployment({ containers: [container()] }), kind: 'DaemonSet', metadata: { name: 'log-agent', namespace: 'kube-system' } },
    expected: ['DaemonSet kube-system/log-agent: Fargate runs no DaemonSets', 'Use a sidecar container', '`fargateLogging`'],
    compliant: { ...deployment({ containers: [container()] }), metadata: { name: 'log-agent', namespace: 'kube-system' } },
  },
  {
    rule: 'privileged',
    breaking: deployment({ containers: [container({ securityContext: { privileged: true } })] }),
    expected: ['Deployment default/web: container `app` sets `securityContext.privileged: true`', 'Remove `privileged`'],
    compliant: deployment({ containers: [container({ securityContext: { privileged: false, runAsNonRoot: true } })] }),
  },
  {
    rule: 'host-access',
    breaking: deployment({ hostNetwork: true, containers: [container()], volumes: [{ name: 'logs', hostPath: { path: '/var/log' } }] }),
    expected: ['Deployment default/web: Fargate pods have no host to share', '`hostNetwork: true`', '`hostPath` volume `logs`', 'emptyDir or EFS'],
    compliant: deployment({ containers: [container()], volumes: [{ name: 'logs', emptyDir: {} }] }),
  },
  {
    rule: 'gpu',
    breaking: deployment({ containers: [container({ resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { 'nvidia.com/gpu': 1 } } })] }),
    expected: ['Deployment default/web: asks for `nvidia.com/gpu` in container `app`', 'EC2 node group with accelerators'],
    compliant: deployment({ containers: [container({ resources: { requests: { cpu: '1', memory: '2Gi' } } })] }),
  },
  {
    rule: 'pod-size',
    breaking: deployment({ containers: [container({ resources: { requests: { cpu: '16', memory: '120Gi' } } })] }),
    expected: ['Deployment default/web: needs 16 vCPU', 'the largest Fargate pod is 16 vCPU and 120 GB', 'Lower the requests or split the workload'],
    compliant: deployment({ containers: [container({ resources: { requests: { cpu: '16', memory: '119Gi' } } })] }),
  },
  {
    rule: 'ephemeral-storage',
    breaking: deployment({ containers: [container({ resources: { requests: { 'cpu': '1', 'memory': '2Gi', 'ephemeral-storage': '200Gi' } } })] }),
    expected: ['Deployment default/web: its containers ask for 200', 'a Fargate pod has at most 175 GiB', 'EFS volume'],
    compliant: deployment({ containers: [container({ resources: { requests: { 'cpu': '1', 'memory': '2Gi', 'ephemeral-storage': '150Gi' } } })] }),
  },
  {
    rule: 'ebs-volume-claims',
    breaking: claim('gp3'),
    expected: ['PersistentVolumeClaim default/data: claims storage class `gp3`, which provisions EBS volumes', 'use an EFS file system'],
    compliant: { apiVersion: 'v1', kind: 'List', items: [storageClass('efs-sc', 'efs.csi.aws.com'), claim('efs-sc')] },
  },
  {
    rule: 'load-balancers',
    breaking: loadBalancerService(),
    expected: ['Service default/web: a `type: LoadBalancer` Service without IP targets', 'aws-load-balancer-nlb-target-type: ip'],
    compliant: loadBalancerService({
      'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
    }),
  },
];

const WARNING_CASES: RuleCase[] = [
  {
    rule: 'unmatched-profile',
    breaking: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'report', namespace: 'payments', labels: { app: 'report' } }, spec: { containers: [container()] } },
    expected: ['Pod payments/report: no Fargate profile selects namespace `payments` with pod labels {app=report}', 'stay Pending forever',
      "Add a selector to a FargateProfileSet, e.g. `{ namespace: 'payments' }`"],
    compliant: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'report', namespace: 'default', labels: { app: 'report' } }, spec: { containers: [container()] } },
  },
  {
    rule: 'job-ttl',
    breaking: { ...etlJob({}), metadata: { name: 'etl', namespace: 'default' } },
    expected: ['Job default/etl: sets no `spec.ttlSecondsAfterFinished`', 'Fargate bills each one', 'Set `spec.ttlSecondsAfterFinished` (e.g. 3600)'],
    compliant: { ...etlJob(), metadata: { name: 'etl', namespace: 'default' } },
  },
  {
    rule: 'missing-requests',
    breaking: deployment({ containers: [{ name: 'app', image: 'nginx' }] }),
    expected: ['Deployment default/web: container `app` (cpu, memory) requests no resources', 'Set `resources.requests`'],
    compliant: deployment({ containers: [container()] }),
  },
  {
    rule: 'ec2-node-selection',
    breaking: deployment({ nodeSelector: { 'eks.amazonaws.com/nodegroup': 'workers' }, containers: [container()] }),
    expected: ['Deployment default/web: nodeSelector `eks.amazonaws.com/nodegroup: workers` cannot be met by Fargate nodes',
      'Remove the EC2-specific node selection'],
    compliant: deployment({ nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [container()] }),
  },
];

describe('FargateReadiness', () => {
  test.each(ERROR_CASES)('reports readiness-$rule as an error on the manifest naming the rule, the workload and the fix', ({ rule, breaking, expected }) => {
    // GIVEN / WHEN
    const { stack } = clusterWith(breaking);

    // THEN
    const pattern = `^\\[${escape(PREFIX + rule)}\\] ${expected.map(escape).join('.*')}`;
    Annotations.fromStack(stack).hasError(MANIFEST_PATH, Match.stringLikeRegexp(pattern));
  });

  test.each(WARNING_CASES)('reports readiness-$rule as an acknowledgeable warning naming the workload and the fix', ({ rule, breaking, expected }) => {
    // GIVEN / WHEN
    const { stack } = clusterWith(breaking);

    // THEN
    const pattern = `^${expected.map(escape).join('.*')}.*\\[ack: ${escape(PREFIX + rule)}\\]$`;
    Annotations.fromStack(stack).hasWarning(MANIFEST_PATH, Match.stringLikeRegexp(pattern));
  });

  test.each([...ERROR_CASES, ...WARNING_CASES])('reports nothing for a manifest that complies with readiness-$rule', ({ compliant }) => {
    // GIVEN / WHEN
    const { stack } = clusterWith(compliant);

    // THEN
    expect(findingsAt(stack, MANIFEST_PATH)).toEqual([]);
  });

  test('reports nothing for the ETL Job in namespace flow when a profile set selects its pods', () => {
    // GIVEN
    const { stack, cluster } = clusterWith(etlJob());

    // WHEN
    cluster.addProfileSet('Etl', { selectors: [{ namespace: 'flow', labels: { infrastructure: 'fargate' } }] });

    // THEN
    expect(findingsAt(stack, MANIFEST_PATH)).toEqual([]);
  });

  test('warns that the ETL Job stays Pending when the profile selects other labels', () => {
    // GIVEN
    const { stack, cluster } = clusterWith(etlJob());

    // WHEN
    cluster.addProfileSet('Etl', { selectors: [{ namespace: 'flow', labels: { infrastructure: 'ec2' } }] });

    // THEN
    Annotations.fromStack(stack).hasWarning(MANIFEST_PATH,
      Match.stringLikeRegexp('^Job flow/etl: no Fargate profile selects namespace `flow` with pod labels \\{infrastructure=fargate\\}'));
  });

  test('counts a profile set added after the manifest', () => {
    // GIVEN a manifest added before any profile selects namespace flow
    const { stack, cluster } = clusterWith(etlJob());

    // WHEN
    cluster.addProfileSet('Etl', { selectors: [{ namespace: 'flow' }] });

    // THEN
    Annotations.fromStack(stack).hasNoWarning(MANIFEST_PATH, Match.stringLikeRegexp('readiness-unmatched-profile'));
  });

  test('judges a claim by the provisioner of a StorageClass added in another manifest, even inside a List', () => {
    // GIVEN a class whose name does not say EBS
    const { stack, cluster } = clusterWith(claim('fast'));

    // WHEN
    addManifests(cluster, 'StorageClasses', { apiVersion: 'v1', kind: 'List', items: [storageClass('fast', 'ebs.csi.aws.com')] });

    // THEN
    Annotations.fromStack(stack).hasError(MANIFEST_PATH,
      Match.stringLikeRegexp(`^\\[${PREFIX}ebs-volume-claims\\] PersistentVolumeClaim default/data: claims storage class \`fast\``));
    expect(findingsAt(stack, '/Test/Cluster/StorageClasses')).toEqual([]);
  });

  test('reports each finding on the construct of the manifest that has it', () => {
    // GIVEN
    const { stack, cluster } = clusterWith(deployment({ containers: [container()] }));

    // WHEN
    addManifests(cluster, 'Agent', { ...deployment({ containers: [container()] }), kind: 'DaemonSet' });

    // THEN
    expect(findingsAt(stack, MANIFEST_PATH)).toEqual([]);
    Annotations.fromStack(stack).hasError('/Test/Cluster/Agent', Match.stringLikeRegexp(`^\\[${PREFIX}daemonset\\] DaemonSet default/web`));
  });

  test('reports an entry once when it is visited more than once', () => {
    // GIVEN
    const { stack, cluster, construct } = clusterWith(deployment({ containers: [{ name: 'app', image: 'nginx' }] }));
    const aspect = new FargateReadiness({ cluster });
    const addWarning = jest.spyOn(CoreAnnotations.prototype, 'addWarningV2');

    try {
      // WHEN visited twice before synth, then again by the aspect the cluster has
      aspect.visit(construct);
      aspect.visit(construct);
      const findings = findingsAt(stack, MANIFEST_PATH);

      // THEN
      expect(addWarning.mock.calls.filter(([ruleId]) => ruleId === `${PREFIX}missing-requests`)).toHaveLength(1);
      expect(findings).toEqual([expect.stringMatching(`\\[ack: ${PREFIX}missing-requests\\]$`)]);
    } finally {
      addWarning.mockRestore();
    }
  });

  test('ignores constructs that are not registered manifests of its cluster', () => {
    // GIVEN a cluster with a DaemonSet, and a DaemonSet registered on another cluster
    const { stack, cluster } = clusterWith({ ...deployment({ containers: [container()] }), kind: 'DaemonSet', metadata: { name: 'mine' } });
    const other = newTestCluster(stack, {}, 'Other');
    const foreign = addManifests(other, 'Agent', { ...deployment({ containers: [container()] }), kind: 'DaemonSet', metadata: { name: 'theirs' } });
    const stray = new Construct(stack, 'Stray');

    // WHEN
    const aspect = new FargateReadiness({ cluster });
    aspect.visit(foreign);
    aspect.visit(stray);
    aspect.visit(cluster);

    // THEN only the cluster's own manifest construct gets its finding
    expect(findingsAt(stack, '/Test/Other/Agent')).toEqual([]);
    expect(findingsAt(stack, '/Test/Stray')).toEqual([]);
    expect(findingsAt(stack, '/Test/Cluster')).toEqual([]);
    Annotations.fromStack(stack).hasError(MANIFEST_PATH, Match.stringLikeRegexp(`^\\[${PREFIX}daemonset\\] DaemonSet default/mine`));
  });

  describe('through cluster.addManifest', () => {
    /** A cluster with a kubectl layer matching its version, so no version warning mixes in. */
    function clusterWithKubectl(): { stack: Stack; cluster: FargateCluster } {
      const stack = newTestStack();
      const cluster = newTestCluster(stack, { kubectlLayer: new KubectlV34Layer(stack, 'Kubectl') });
      // Added here as well as by the cluster: an entry is reported once however many aspects check it.
      Aspects.of(cluster).add(new FargateReadiness({ cluster }));
      return { stack, cluster };
    }

    test('reports nothing for the ETL namespace and Job when a profile set selects its pods', () => {
      // GIVEN
      const { stack, cluster } = clusterWithKubectl();

      // WHEN
      cluster.addManifest('Etl', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'flow' } }, etlJob());
      cluster.addProfileSet('EtlProfiles', { selectors: [{ namespace: 'flow', labels: { infrastructure: 'fargate' } }] });

      // THEN
      expect(findingsAt(stack, '/Test/Cluster/Etl')).toEqual([]);
    });

    test('reports a DaemonSet on the KubernetesManifest construct as an error, once', () => {
      // GIVEN
      const { stack, cluster } = clusterWithKubectl();

      // WHEN
      cluster.addManifest('Agent', { ...deployment({ containers: [container()] }, 'kube-system'), kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'kube-system' } });

      // THEN
      expect(findingsAt(stack, '/Test/Cluster/Agent')).toEqual([
        expect.stringMatching(`^\\[${PREFIX}daemonset\\] DaemonSet kube-system/agent: Fargate runs no DaemonSets`),
      ]);
    });
  });

  describe('on an imported cluster with fargateOnly: false', () => {
    /** An imported mixed cluster where only namespace `serverless` runs on Fargate, checked by the aspect. */
    function importedMixedCluster(): { stack: Stack; cluster: IFargateCluster } {
      const stack = newTestStack();
      const cluster = FargateCluster.fromClusterAttributes(stack, 'Legacy', {
        clusterName: 'legacy',
        vpc: new ec2.Vpc(stack, 'Network'),
        authenticationMode: eks.AuthenticationMode.API_AND_CONFIG_MAP,
        fargateOnly: false,
      });
      new FargateProfileSet(stack, 'Serverless', { cluster, selectors: [{ namespace: 'serverless' }] });
      Aspects.of(cluster).add(new FargateReadiness({ cluster }));
      return { stack, cluster };
    }

    test('reports errors as warnings for pods a profile puts on Fargate', () => {
      // GIVEN
      const { stack, cluster } = importedMixedCluster();

      // WHEN
      addManifests(cluster, 'Manifest', deployment({ containers: [container({ securityContext: { privileged: true } })] }, 'serverless'));

      // THEN
      const annotations = Annotations.fromStack(stack);
      annotations.hasWarning('/Test/Legacy/Manifest',
        Match.stringLikeRegexp(`^Deployment serverless/web: container \`app\` sets \`securityContext.privileged: true\`.*\\[ack: ${PREFIX}privileged\\]$`));
      annotations.hasNoError('/Test/Legacy/Manifest', Match.anyValue());
    });

    test('ignores pods that no profile selects, since they run on EC2 nodes', () => {
      // GIVEN
      const { stack, cluster } = importedMixedCluster();

      // WHEN
      addManifests(cluster, 'Manifest',
        { ...deployment({ containers: [{ name: 'agent', image: 'fluent-bit' }] }, 'logging'), kind: 'DaemonSet' },
        loadBalancerService());

      // THEN
      expect(findingsAt(stack, '/Test/Legacy/Manifest')).toEqual([]);
    });
  });

  describe('acknowledge', () => {
    test('silences a warning on the manifest and records the reason', () => {
      // GIVEN a Job without ttlSecondsAfterFinished and a container without requests
      const job: Manifest = { ...etlJob({}), metadata: { name: 'etl', namespace: 'default' } };
      job.spec.template.spec.containers = [{ name: 'etl', image: 'etl' }];
      const { stack, construct } = clusterWith(job);

      // WHEN
      FargateReadiness.acknowledge(construct, `${PREFIX}job-ttl`, 'A controller deletes finished Jobs after archiving their logs');

      // THEN only the acknowledged rule is silenced
      const annotations = Annotations.fromStack(stack);
      annotations.hasNoWarning(MANIFEST_PATH, Match.stringLikeRegexp(`${PREFIX}job-ttl`));
      annotations.hasWarning(MANIFEST_PATH, Match.stringLikeRegexp(`\\[ack: ${PREFIX}missing-requests\\]$`));
      expect(construct.node.metadata).toContainEqual(expect.objectContaining({
        type: 'cdk-eks-fargate:readiness-acknowledgement',
        data: { ruleId: `${PREFIX}job-ttl`, reason: 'A controller deletes finished Jobs after archiving their logs' },
      }));
    });

    test('silences a warning on every manifest below the acknowledged scope', () => {
      // GIVEN
      const { stack, cluster } = clusterWith({ ...etlJob(), metadata: { name: 'etl', namespace: 'payments' } });
      addManifests(cluster, 'Other', { ...etlJob(), metadata: { name: 'other', namespace: 'billing' } });

      // WHEN
      FargateReadiness.acknowledge(stack, `${PREFIX}unmatched-profile`, 'These namespaces get profiles from another stack');

      // THEN
      Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp(`${PREFIX}unmatched-profile`));
    });

    test('refuses an error rule id', () => {
      // GIVEN
      const { construct } = clusterWith(deployment({ containers: [container({ securityContext: { privileged: true } })] }));

      // WHEN / THEN
      expect(() => FargateReadiness.acknowledge(construct, `${PREFIX}privileged`, 'We need it'))
        .toThrow(/Test\/Cluster\/Manifest: cannot acknowledge 'cdk-eks-fargate:readiness-privileged': .*errors cannot be acknowledged.*Fix the manifest or set `fargateOnly: false` on an imported mixed cluster/);
    });

    test('refuses an id that is not a readiness rule and lists the ones it accepts', () => {
      // GIVEN
      const { construct } = clusterWith();

      // WHEN / THEN
      expect(() => FargateReadiness.acknowledge(construct, `${PREFIX}job-tll`, 'Typo'))
        .toThrow(/Test\/Cluster\/Manifest: cannot acknowledge 'cdk-eks-fargate:readiness-job-tll': it is not a FargateReadiness rule id.*readiness-unmatched-profile, cdk-eks-fargate:readiness-job-ttl, cdk-eks-fargate:readiness-missing-requests, cdk-eks-fargate:readiness-ec2-node-selection/);
    });

    test('refuses an empty reason', () => {
      // GIVEN
      const { construct } = clusterWith();

      // WHEN / THEN
      expect(() => FargateReadiness.acknowledge(construct, `${PREFIX}job-ttl`, '  '))
        .toThrow(/Test\/Cluster\/Manifest: acknowledging 'cdk-eks-fargate:readiness-job-ttl' needs a non-empty `reason`/);
    });
  });
});
