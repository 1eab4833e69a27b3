/** What the static PersistentVolume and its claim are made of. */
export interface EfsPersistentVolumeSpec {
  readonly persistentVolumeName: string;
  readonly claimName: string;
  readonly namespace: string;
  /** `<file system id>::<access point id>`, as the EFS CSI driver reads it. */
  readonly volumeHandle: string;
  /** A Kubernetes quantity; EFS ignores it, Kubernetes requires it. */
  readonly capacity: string;
}

/**
 * A statically provisioned EFS PersistentVolume and the claim bound to it: `storageClassName: ""` on both keeps
 * any default StorageClass (and its dynamic provisioner, which Fargate cannot use) away, `volumeName` and
 * `claimRef` bind the two to each other only, and `Retain` keeps the data when either is deleted.
 *
 * @see https://github.com/kubernetes-sigs/aws-efs-csi-driver/tree/master/examples/kubernetes/access_points
 */
export function persistentVolumeManifests(spec: EfsPersistentVolumeSpec): Array<Record<string, any>> {
  const accessModes = ['ReadWriteMany'];
  return [
    {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: spec.persistentVolumeName },
      spec: {
        capacity: { storage: spec.capacity },
        volumeMode: 'Filesystem',
        accessModes,
        persistentVolumeReclaimPolicy: 'Retain',
        storageClassName: '',
        claimRef: { namespace: spec.namespace, name: spec.claimName },
        csi: { driver: 'efs.csi.aws.com', volumeHandle: spec.volumeHandle },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: spec.claimName, namespace: spec.namespace },
      spec: {
        accessModes,
        storageClassName: '',
        volumeName: spec.persistentVolumeName,
        resources: { requests: { storage: spec.capacity } },
      },
    },
  ];
}
