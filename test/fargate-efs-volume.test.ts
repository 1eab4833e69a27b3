import { KubectlV34Layer } from '@aws-cdk/lambda-layer-kubectl-v34';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import { FargateCluster } from '../lib';
import { newTestCluster, newTestStack } from './helpers/test-stack';

function clusterIn(stack: Stack, vpc?: ec2.IVpc): FargateCluster {
  return newTestCluster(stack, { vpc, kubectlLayer: new KubectlV34Layer(stack, 'Kubectl') });
}

/** The resources whose properties mention `text` (manifest resources carry their objects as JSON text). */
function resourcesMentioning(template: Template, text: string): any[] {
  return Object.values(template.toJSON().Resources).filter((resource: any) => JSON.stringify(resource.Properties ?? {}).includes(text));
}

describe('FargateEfsVolume', () => {
  const stack = newTestStack();
  const cluster = clusterIn(stack);
  const volume = cluster.addEfsVolume('Data', { namespace: 'shop' });
  const template = Template.fromStack(stack);
  const fileSystemId = stack.getLogicalId((volume.fileSystem as efs.FileSystem).node.defaultChild as efs.CfnFileSystem);
  const accessPointId = stack.getLogicalId(volume.accessPoint.node.defaultChild as efs.CfnAccessPoint);

  test('creates an encrypted file system that is retained with the stack\'s deletion', () => {
    template.resourceCountIs('AWS::EFS::FileSystem', 1);
    template.hasResource('AWS::EFS::FileSystem', {
      Properties: { Encrypted: true },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('puts one mount target in each Availability Zone of the cluster\'s private subnets', () => {
    const mountTargets = template.findResources('AWS::EFS::MountTarget');
    expect(Object.keys(mountTargets)).toHaveLength(2);
    const subnets = Object.values(mountTargets).map((resource: any) => resource.Properties.SubnetId.Ref);
    const privateSubnets = cluster.vpc!.privateSubnets.map((subnet) => stack.getLogicalId(subnet.node.defaultChild as ec2.CfnSubnet));
    expect(subnets.sort()).toEqual(privateSubnets.sort());
  });

  test('allows NFS (2049) into the mount targets only from the cluster security group, and nothing out', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [{
        IpProtocol: 'tcp',
        FromPort: 2049,
        ToPort: 2049,
        SourceSecurityGroupId: { 'Fn::GetAtt': [stack.getLogicalId(cluster.resource), 'ClusterSecurityGroupId'] },
      }],
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32' })],
    });
    const sg = stack.getLogicalId(volume.securityGroup!.node.defaultChild as ec2.CfnSecurityGroup);
    for (const mountTarget of Object.values(template.findResources('AWS::EFS::MountTarget'))) {
      expect(mountTarget.Properties.SecurityGroups).toEqual([{ 'Fn::GetAtt': [sg, 'GroupId'] }]);
    }
  });

  test('creates an access point with the POSIX user and a root directory it owns', () => {
    template.hasResourceProperties('AWS::EFS::AccessPoint', {
      FileSystemId: { Ref: fileSystemId },
      PosixUser: { Uid: '1000', Gid: '1000' },
      RootDirectory: { Path: '/shop/data', CreationInfo: { OwnerUid: '1000', OwnerGid: '1000', Permissions: '750' } },
    });
  });

  test('applies a static PersistentVolume on the EFS CSI driver and a claim in the namespace bound to it', () => {
    expect(volume.claimName).toBe('data');
    expect(volume.persistentVolumeName).toBe('efs-shop-data');
    const [resource, ...others] = resourcesMentioning(template, 'PersistentVolumeClaim');
    expect(others).toEqual([]);
    const text = JSON.stringify(resource.Properties);
    expect(text).toContain('\\"kind\\":\\"PersistentVolume\\",\\"metadata\\":{\\"name\\":\\"efs-shop-data\\"');
    expect(text).toContain('\\"csi\\":{\\"driver\\":\\"efs.csi.aws.com\\",\\"volumeHandle\\":\\"');
    expect(text).toContain(`{"Ref":"${fileSystemId}"},"::",{"Ref":"${accessPointId}"}`);
    expect(text).toContain('\\"claimRef\\":{\\"namespace\\":\\"shop\\",\\"name\\":\\"data\\"}');
    expect(text).toContain('\\"kind\\":\\"PersistentVolumeClaim\\",\\"metadata\\":{\\"name\\":\\"data\\",\\"namespace\\":\\"shop\\"');
    expect(text).toContain('\\"spec\\":{\\"accessModes\\":[\\"ReadWriteMany\\"],\\"storageClassName\\":\\"\\",\\"volumeName\\":\\"efs-shop-data\\"');
    expect(text).toContain('\\"persistentVolumeReclaimPolicy\\":\\"Retain\\"');
  });

  test('applies the volume objects after the mount targets and the access point exist', () => {
    const [resource] = resourcesMentioning(template, 'PersistentVolumeClaim');
    const mountTargets = Object.keys(template.findResources('AWS::EFS::MountTarget'));
    expect(resource.DependsOn).toEqual(expect.arrayContaining([...mountTargets, accessPointId]));
  });

  test('reports no readiness finding for the volume\'s own objects', () => {
    const annotations = Annotations.fromStack(stack);
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
    expect(annotations.findWarning('*', Match.stringLikeRegexp('readiness'))).toEqual([]);
  });
});

describe('FargateEfsVolume file-system policy', () => {
  function policyUnder(flag: boolean): any {
    const app = new App({ context: { '@aws-cdk/aws-efs:denyAnonymousAccess': flag, '@aws-cdk/core:validateAgainstDefaultRules': true } });
    const stack = new Stack(app, 'Test', { env: { account: '111122223333', region: 'eu-west-1' } });
    clusterIn(stack).addEfsVolume('Data', { namespace: 'shop' });
    return Object.values(Template.fromStack(stack).findResources('AWS::EFS::FileSystem'))[0].Properties.FileSystemPolicy;
  }

  test('allows mount and write through a mount target and denies access without TLS, under either flag value', () => {
    const withFlag = policyUnder(true);
    expect(withFlag).toEqual(policyUnder(false));
    expect(withFlag.Statement).toEqual([
      {
        Sid: 'MountAndWriteThroughMountTargets',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
        Condition: { Bool: { 'elasticfilesystem:AccessedViaMountTarget': 'true' } },
      },
      { Sid: 'DenyWithoutTls', Effect: 'Deny', Principal: { AWS: '*' }, Action: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    ]);
  });
});

describe('FargateEfsVolume options', () => {
  test('keeps one mount target per Availability Zone when the VPC has several private subnets in each', () => {
    const stack = newTestStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', {
      maxAzs: 3,
      natGateways: 1,
      subnetConfiguration: [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
        { name: 'AppA', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        { name: 'AppB', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      ],
    });
    clusterIn(stack, vpc).addEfsVolume('Data', { namespace: 'shop' });
    Template.fromStack(stack).resourceCountIs('AWS::EFS::MountTarget', 3);
  });

  test('uses a given file system without creating one, with the given claim name, path and POSIX user', () => {
    const stack = newTestStack();
    const cluster = clusterIn(stack);
    const fileSystem = efs.FileSystem.fromFileSystemAttributes(stack, 'Shared', {
      fileSystemId: 'fs-0123456789abcdef0',
      securityGroup: ec2.SecurityGroup.fromSecurityGroupId(stack, 'SharedSg', 'sg-0123456789abcdef0'),
    });
    const volume = cluster.addEfsVolume('Reports', {
      namespace: 'flow', fileSystem, claimName: 'reports', path: '/exports', posixUser: { uid: '2000', gid: '3000' }, directoryPermissions: '0770',
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EFS::FileSystem', 0);
    template.resourceCountIs('AWS::EFS::MountTarget', 0);
    expect(volume.fileSystem).toBe(fileSystem);
    template.hasResourceProperties('AWS::EFS::AccessPoint', {
      FileSystemId: 'fs-0123456789abcdef0',
      PosixUser: { Uid: '2000', Gid: '3000' },
      RootDirectory: { Path: '/exports', CreationInfo: { OwnerUid: '2000', OwnerGid: '3000', Permissions: '0770' } },
    });
    expect(JSON.stringify(resourcesMentioning(template, 'PersistentVolumeClaim')[0].Properties)).toContain('fs-0123456789abcdef0::');
  });

  test('names the claim after the construct id by default, in Kubernetes syntax', () => {
    const stack = newTestStack();
    expect(clusterIn(stack).addEfsVolume('NightlyExports_2', { namespace: 'flow' }).claimName).toBe('nightly-exports-2');
  });

  test('refuses invalid names, paths, POSIX ids and permissions, listing every problem', () => {
    const stack = newTestStack();
    const cluster = clusterIn(stack);
    expect(() => cluster.addEfsVolume('Bad', {
      namespace: 'Shop', claimName: 'Data!', path: 'relative', posixUser: { uid: 'app', gid: '1' }, directoryPermissions: '999',
    })).toThrow(/Cluster\/Bad: `namespace` is 'Shop'; a Kubernetes namespace is a DNS label[\s\S]*`claimName` is 'Data!'[\s\S]*`path` is 'relative'[\s\S]*`posixUser.uid` is 'app'[\s\S]*`directoryPermissions` is '999'/);
  });
});

describe('FargateReadiness with EFS', () => {
  test('is an error for a claim on a dynamically provisioning EFS StorageClass, naming addEfsVolume', () => {
    const stack = newTestStack();
    const cluster = clusterIn(stack);
    cluster.addManifest('EfsClass', {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'efs-sc' },
      provisioner: 'efs.csi.aws.com',
      parameters: { provisioningMode: 'efs-ap', fileSystemId: 'fs-0123456789abcdef0' },
    });
    cluster.addManifest('Claim', {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: 'default' },
      spec: { storageClassName: 'efs-sc', accessModes: ['ReadWriteMany'], resources: { requests: { storage: '5Gi' } } },
    });
    Annotations.fromStack(stack).hasError('/Test/Cluster/Claim',
      Match.stringLikeRegexp('readiness-dynamic-efs-claims.*provisions EFS access points dynamically.*addEfsVolume'));
  });
});
