import { Names, RemovalPolicy, Size, SizeRoundingBehavior } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import type { FargateCluster } from './fargate-cluster';
import { privateSubnetsOf } from './private/cluster/vpc-subnets';
import { persistentVolumeManifests } from './private/workloads/efs-manifests';
import { validateEfsVolumeOptions } from './private/workloads/efs-validation';

/** Options of `cluster.addEfsVolume`. */
export interface FargateEfsVolumeOptions {
  /** Namespace of the PersistentVolumeClaim. Pods that mount the volume must run in it. */
  readonly namespace: string;

  /**
   * Name of the PersistentVolumeClaim that pods mount (`persistentVolumeClaim.claimName`).
   * @default - the construct id in lower case, with characters Kubernetes does not allow replaced by `-`
   */
  readonly claimName?: string;

  /**
   * The file system to use. Its mount targets, security group and file-system policy are left as they are: it must
   * already be reachable on NFS (2049) from the cluster security group in every Availability Zone pods run in.
   * @default - a new encrypted file system with a mount target in each Availability Zone of the cluster's private subnets
   */
  readonly fileSystem?: efs.IFileSystem;

  /**
   * Directory of the file system the volume exposes. The access point creates it with `posixUser` as owner.
   * @default `/<namespace>/<claimName>`
   */
  readonly path?: string;

  /**
   * User and group every file operation through the volume runs as (the access point enforces it, whatever the
   * container's user).
   * @default - uid 1000, gid 1000
   */
  readonly posixUser?: efs.PosixUser;

  /**
   * Permissions of the directory the access point creates, in octal.
   * @default '750'
   */
  readonly directoryPermissions?: string;

  /**
   * Capacity written into the PersistentVolume and claim. Kubernetes requires one; EFS ignores it (it grows as needed).
   * @default Size.gibibytes(5)
   */
  readonly capacity?: Size;

  /**
   * What happens to the file system this construct creates when it leaves the stack.
   * @default RemovalPolicy.RETAIN (it holds data)
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Properties of a {@link FargateEfsVolume}. */
export interface FargateEfsVolumeProps extends FargateEfsVolumeOptions {
  /** The cluster whose pods mount the volume. */
  readonly cluster: FargateCluster;
}

/**
 * An Amazon EFS volume for Fargate pods, provisioned statically (the only way Fargate mounts EFS: dynamic
 * provisioning with the EFS CSI driver does not work on Fargate nodes, EBS not at all).
 *
 * Creates an encrypted file system (unless given one) with one mount target per Availability Zone of the cluster's
 * private subnets, a security group that allows NFS (2049) only from the cluster security group (which Fargate pods
 * use), an explicit file-system policy (mount and write only through a mount target, TLS required) that does not
 * depend on the `@aws-cdk/aws-efs:denyAnonymousAccess` feature flag, an access point with a fixed POSIX user and
 * root directory, and a static `PersistentVolume` (CSI driver `efs.csi.aws.com`, built into Fargate) bound to a
 * `PersistentVolumeClaim` in `namespace`. Pods mount it with `persistentVolumeClaim: { claimName: volume.claimName }`.
 *
 * The claim's namespace must exist first: make `volume.manifest` depend on the construct that creates it.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/efs-csi.html
 */
export class FargateEfsVolume extends Construct {
  /** Name of the PersistentVolumeClaim pods mount. */
  public readonly claimName: string;

  /** Namespace of the claim. */
  public readonly namespace: string;

  /** Name of the cluster-scoped PersistentVolume bound to the claim. */
  public readonly persistentVolumeName: string;

  /** The file system behind the volume. */
  public readonly fileSystem: efs.IFileSystem;

  /** The access point the volume mounts through. */
  public readonly accessPoint: efs.AccessPoint;

  /** The security group of the mount targets, when this construct created the file system. */
  public readonly securityGroup?: ec2.ISecurityGroup;

  /** The construct that applies the PersistentVolume and the claim to the cluster. */
  public readonly manifest: IConstruct;

  constructor(scope: Construct, id: string, props: FargateEfsVolumeProps) {
    super(scope, id);
    this.claimName = props.claimName ?? defaultClaimName(id);
    this.namespace = props.namespace;
    const capacity = props.capacity ?? Size.gibibytes(5);
    validateEfsVolumeOptions(this, { ...props, claimName: this.claimName, capacity });
    const vpc = props.cluster.vpc!;

    if (props.fileSystem) {
      this.fileSystem = props.fileSystem;
    } else {
      this.securityGroup = new ec2.SecurityGroup(this, 'MountTargetSecurityGroup', {
        vpc,
        description: `NFS to the EFS volume ${this.node.path} from Fargate pods of the cluster only`,
        allowAllOutbound: false,
      });
      this.securityGroup.addIngressRule(ec2.Peer.securityGroupId(props.cluster.clusterSecurityGroupId!), ec2.Port.tcp(2049),
        'NFS from the cluster security group (Fargate pods)');
      this.fileSystem = new efs.FileSystem(this, 'FileSystem', {
        vpc,
        // EFS allows one mount target per Availability Zone; pods in any private subnet of an AZ reach its mount target.
        vpcSubnets: { subnets: onePerAvailabilityZone(privateSubnetsOf(vpc)) },
        securityGroup: this.securityGroup,
        encrypted: true,
        // The policy below is the whole policy: with this set, aws-cdk-lib adds no statement of its own under any flag value.
        allowAnonymousAccess: true,
        fileSystemPolicy: fileSystemPolicy(),
        removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      });
    }

    const posixUser = props.posixUser ?? { uid: '1000', gid: '1000' };
    this.accessPoint = new efs.AccessPoint(this, 'AccessPoint', {
      fileSystem: this.fileSystem,
      path: props.path ?? `/${this.namespace}/${this.claimName}`,
      posixUser,
      createAcl: { ownerUid: posixUser.uid, ownerGid: posixUser.gid, permissions: props.directoryPermissions ?? '750' },
    });

    this.persistentVolumeName = `efs-${this.namespace}-${this.claimName}`.slice(0, 253).replace(/[-.]+$/, '');
    // Manifests are children of the cluster: a volume made by addEfsVolume (also a child) names them after itself.
    const manifestId = `${scope === props.cluster ? id : Names.uniqueId(this)}Objects`;
    this.manifest = props.cluster.addManifest(manifestId, ...persistentVolumeManifests({
      persistentVolumeName: this.persistentVolumeName,
      claimName: this.claimName,
      namespace: this.namespace,
      volumeHandle: `${this.fileSystem.fileSystemId}::${this.accessPoint.accessPointId}`,
      capacity: `${Math.ceil(capacity.toMebibytes({ rounding: SizeRoundingBehavior.NONE }))}Mi`,
    }));
    // Pods would fail to mount until the mount targets exist.
    this.manifest.node.addDependency(this.fileSystem.mountTargetsAvailable, this.accessPoint);
  }
}

/** Mount and write only through a mount target. Deny any access without TLS. */
function fileSystemPolicy(): iam.PolicyDocument {
  return new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        sid: 'MountAndWriteThroughMountTargets',
        principals: [new iam.AnyPrincipal()],
        actions: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
        conditions: { Bool: { 'elasticfilesystem:AccessedViaMountTarget': 'true' } },
      }),
      new iam.PolicyStatement({
        sid: 'DenyWithoutTls',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['*'],
        conditions: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    ],
  });
}

/** The first subnet of each Availability Zone (an explicit subnet list is not narrowed by `onePerAz`). */
function onePerAvailabilityZone(subnets: ec2.ISubnet[]): ec2.ISubnet[] {
  const byZone = new Map<string, ec2.ISubnet>();
  for (const subnet of subnets) {
    if (!byZone.has(subnet.availabilityZone)) {
      byZone.set(subnet.availabilityZone, subnet);
    }
  }
  return [...byZone.values()];
}

/** A DNS-1123 name from a construct id: lower case, other characters as `-`, at most 63 characters. */
function defaultClaimName(id: string): string {
  const name = id.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63);
  return name.replace(/-+$/, '') || 'efs';
}
