import { RemovalPolicy, Size, SizeRoundingBehavior, Token } from 'aws-cdk-lib';
import * as efs from 'aws-cdk-lib/aws-efs';
import { IConstruct } from 'constructs';
import { enumProblems } from '../shared/enum-rules';
import { throwIfProblems } from '../shared/validation-report';

/** What {@link validateEfsVolumeOptions} checks, defaults applied. */
export interface EfsVolumeChecks {
  readonly cluster: { readonly vpc?: unknown; readonly clusterSecurityGroupId?: string };
  readonly namespace: string;
  readonly claimName: string;
  readonly path?: string;
  readonly posixUser?: efs.PosixUser;
  readonly directoryPermissions?: string;
  readonly capacity: Size;
  readonly fileSystem?: efs.IFileSystem;
  readonly removalPolicy?: RemovalPolicy;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Refuses options EFS, the access point or Kubernetes would reject at deploy time, naming prop, value and fix. */
export function validateEfsVolumeOptions(owner: IConstruct, options: EfsVolumeChecks): void {
  const problems: string[] = [...enumProblems('removalPolicy', options.removalPolicy, RemovalPolicy)];
  const known = (value: string | undefined): value is string => value !== undefined && !Token.isUnresolved(value);
  if (known(options.namespace) && (options.namespace.length > 63 || !DNS_LABEL.test(options.namespace))) {
    problems.push(`\`namespace\` is '${options.namespace}'; a Kubernetes namespace is a DNS label: 1 to 63 lowercase letters, digits `
      + 'and \'-\', starting and ending with a letter or digit.');
  }
  if (known(options.claimName) && (options.claimName.length > 253 || !DNS_SUBDOMAIN.test(options.claimName))) {
    problems.push(`\`claimName\` is '${options.claimName}'; a PersistentVolumeClaim name is a DNS subdomain: up to 253 lowercase `
      + 'letters, digits, \'-\' and \'.\', starting and ending with a letter or digit.');
  }
  if (known(options.path) && (!options.path.startsWith('/') || options.path.length > 100)) {
    problems.push(`\`path\` is '${options.path}'; an EFS access point root directory is an absolute path ('/' first) of at most 100 characters.`);
  }
  for (const [name, value] of [['posixUser.uid', options.posixUser?.uid], ['posixUser.gid', options.posixUser?.gid]] as const) {
    if (known(value) && !/^\d+$/.test(value)) {
      problems.push(`\`${name}\` is '${value}'; EFS access points take a numeric POSIX id, e.g. '1000'.`);
    }
  }
  if (known(options.directoryPermissions) && !/^[0-7]{3,4}$/.test(options.directoryPermissions)) {
    problems.push(`\`directoryPermissions\` is '${options.directoryPermissions}'; give octal permissions of 3 or 4 digits, e.g. '750'.`);
  }
  if (!options.capacity.isUnresolved() && options.capacity.toMebibytes({ rounding: SizeRoundingBehavior.NONE }) < 1) {
    problems.push('`capacity` is below 1 MiB; Kubernetes needs a positive capacity on the PersistentVolume (EFS itself ignores it). '
      + 'Leave the default of 5 GiB.');
  }
  if (!options.fileSystem && (options.cluster.vpc === undefined || options.cluster.clusterSecurityGroupId === undefined)) {
    problems.push('the cluster has no known VPC or cluster security group, so no mount targets can be made for it; pass `fileSystem` '
      + 'with mount targets that the cluster\'s pods can reach on NFS (2049).');
  }
  throwIfProblems(owner, problems);
}
