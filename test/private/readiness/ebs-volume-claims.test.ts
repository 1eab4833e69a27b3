import { FARGATE_ONLY, container, workload, deployment, findings } from './readiness-fixtures';
import { collectStorageClasses } from '../../../lib/private/readiness';

describe('readiness rule ebs-volume-claims', () => {
  test('a claim on gp3 and a StatefulSet template on gp2 are errors', () => {
    const claim = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { storageClassName: 'gp3' } };
    const statefulSet = workload('StatefulSet', { containers: [container()] });
    statefulSet.spec.volumeClaimTemplates = [{ metadata: { name: 'pgdata' }, spec: { storageClassName: 'gp2' } }];
    expect(findings(claim, 'ebs-volume-claims')[0].message)
      .toMatch(/^PersistentVolumeClaim default\/data: claims storage class `gp3`, which provisions EBS volumes/);
    expect(findings(statefulSet, 'ebs-volume-claims')[0].message)
      .toMatch(/^StatefulSet default\/web: uses volumeClaimTemplate `pgdata` on storage class `gp2`/);
  });

  test('inline EBS volumes in a pod spec are errors', () => {
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

  test('a StorageClass manifest makes its class EBS whatever its name', () => {
    // GIVEN a class named without any hint, provisioned by the EBS CSI driver
    const storageClass = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast' }, provisioner: 'ebs.csi.aws.com' };
    const context = { ...FARGATE_ONLY, storageClasses: collectStorageClasses([storageClass, deployment(), null as any]) };
    const claim = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { storageClassName: 'fast' } };
    // WHEN / THEN
    expect(context.storageClasses).toEqual({ fast: 'ebs.csi.aws.com' });
    expect(findings(claim, 'ebs-volume-claims', context)).toHaveLength(1);
  });

  test('an EFS claim is not reported', () => {
    const storageClasses = { 'gp3-on-efs': 'efs.csi.aws.com' };
    const claim = (storageClassName: string) => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { storageClassName } });
    expect(findings(claim('efs-sc'), 'ebs-volume-claims')).toEqual([]);
    expect(findings(claim('gp3-on-efs'), 'ebs-volume-claims', { ...FARGATE_ONLY, storageClasses })).toEqual([]);
  });
});
