import * as yaml from 'js-yaml';
import { AwsAuthMappings, AwsAuthMerge, RoleMapping } from '../../../../lib/aws-auth-merge';
import { AwsAuthWriter } from '../../../../lib/private/aws-auth/handler/aws-auth-writer';
import { KubernetesClient } from '../../../../lib/private/handler/kubernetes-client';
import { BackoffOptions, Deadline, RetryTiming } from '../../../../lib/private/handler/retry-timing';
import { ConfigMapContent, FakeKubernetesApi, StoredConfigMap } from '../../handler/fake-kubernetes-api';

export const ACCOUNT = '111122223333';
/** The role the handler assumes. */
export const HANDLER_ROLE = `arn:aws:iam::${ACCOUNT}:role/SafeAwsAuthHandler`;

/** An EC2 node group's role, mapped the way EKS documents it: losing it takes every node out of the cluster. */
export const NODE_ROLE_MAPPING: RoleMapping = {
  rolearn: `arn:aws:iam::${ACCOUNT}:role/eks-node-group-role`,
  username: 'system:node:{{EC2PrivateDNSName}}',
  groups: ['system:bootstrappers', 'system:nodes'],
};

/** A Fargate pod execution role as EKS itself writes it into aws-auth of a CONFIG_MAP cluster. */
export const POD_EXECUTION_ROLE_MAPPING: RoleMapping = {
  rolearn: `arn:aws:iam::${ACCOUNT}:role/fargate-pod-execution-role`,
  username: 'system:node:{{SessionName}}',
  groups: ['system:bootstrappers', 'system:nodes', 'system:node-proxier'],
};

/** A hand-written admin mapping nobody owns. */
export const ADMIN_USER_MAPPING = { userarn: `arn:aws:iam::${ACCOUNT}:user/alice`, username: 'alice', groups: ['system:masters'] };

/** A role mapping for tests that need many distinct ones. */
export function roleMapping(name: string, groups: string[] = ['developers']): RoleMapping {
  return { rolearn: `arn:aws:iam::${ACCOUNT}:role/${name}`, username: name, groups };
}

/** aws-auth as an eksctl-created CONFIG_MAP cluster has it, in YAML, with the node role first. */
export function eksctlAwsAuth(extraRoles: RoleMapping[] = []): ConfigMapContent {
  return {
    metadata: { labels: { 'app.kubernetes.io/managed-by': 'eksctl' } },
    data: {
      mapRoles: yaml.dump([NODE_ROLE_MAPPING, ...extraRoles]),
      mapUsers: yaml.dump([ADMIN_USER_MAPPING]),
    },
  };
}

/** The mappings aws-auth holds now, as the merge engine reads them. */
export function mappingsIn(api: FakeKubernetesApi): AwsAuthMappings {
  const stored = api.awsAuth();
  return stored ? AwsAuthMerge.parse({ data: stored.data ?? {}, annotations: (stored.metadata.annotations ?? {}) as { [key: string]: string } }) : {};
}

/** Role ARNs aws-auth maps now, in order. */
export function roleArnsIn(api: FakeKubernetesApi): string[] {
  return (mappingsIn(api).mapRoles ?? []).map((mapping) => mapping.rolearn);
}

/** An interfering writer (kubectl edit, eksctl, EKS) that appends a role mapping outside any owner. */
export function appendForeignRole(mapping: RoleMapping): (current: StoredConfigMap | undefined) => ConfigMapContent {
  return (current) => {
    const roles = (yaml.load(current?.data?.mapRoles ?? '[]') ?? []) as RoleMapping[];
    return { ...current, data: { ...current?.data, mapRoles: yaml.dump([...roles, mapping]) } };
  };
}

/** Options of `writerFor`. */
export interface TestWriterOptions {
  /** @default 60000 (fake clock) */
  readonly budgetMs?: number;
  /** @default 2000 (real time) */
  readonly requestTimeoutMs?: number;
  readonly backoff?: BackoffOptions;
  readonly bearerToken?: () => Promise<string>;
}

/** A writer for `kube-system/aws-auth` of the fake API, as the handler builds it. */
export function writerFor(api: FakeKubernetesApi, timing: RetryTiming, options: TestWriterOptions = {}): AwsAuthWriter {
  return new AwsAuthWriter({
    kubernetes: new KubernetesClient({
      endpoint: api.endpoint,
      bearerToken: options.bearerToken ?? (async () => 'k8s-aws-v1.test'),
      requestTimeoutMs: options.requestTimeoutMs ?? 2_000,
    }),
    timing,
    deadline: new Deadline(timing, timing.now() + (options.budgetMs ?? 60_000)),
    identity: { clusterName: 'prod', roleArn: HANDLER_ROLE },
    backoff: options.backoff,
  });
}
