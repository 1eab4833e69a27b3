import { claimTemplateClasses, ephemeralClassOf, storageClassOf } from './ebs-volume-claims';
import { fargateWorkloadOf, isKind, objectAt, objectOf, objectsOf, referenceOf, stringOf } from './pod-spec';
import { KubernetesManifest, READINESS_RULE_PREFIX, ReadinessContext, ReadinessRule } from './types';

/**
 * Dynamic EFS provisioning: the EFS CSI driver built into Fargate mounts statically provisioned volumes only; a
 * claim on a StorageClass that provisions access points on demand (`provisioningMode: efs-ap`) stays Pending on
 * Fargate, and so does every pod that uses it.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/efs-csi.html
 */

/** Provisioner of the EFS CSI driver. */
const EFS_PROVISIONER = 'efs.csi.aws.com';

/**
 * Names of the StorageClass manifests in `manifests` that provision EFS volumes dynamically (provisioner
 * `efs.csi.aws.com` with `parameters.provisioningMode` set), to pass as `ReadinessContext.dynamicEfsStorageClasses`.
 */
export function collectDynamicEfsClasses(manifests: KubernetesManifest[]): string[] {
  return manifests.map(objectOf)
    .filter((object): object is Record<string, any> => object !== undefined && isKind(object, 'StorageClass', ['storage.k8s.io']))
    .filter((object) => object.provisioner === EFS_PROVISIONER && objectAt(object, 'parameters')?.provisioningMode !== undefined)
    .map((object) => stringOf(objectAt(object, 'metadata')?.name))
    .filter((name): name is string => name !== undefined);
}

function isDynamicEfs(storageClass: string | undefined, context: ReadinessContext): storageClass is string {
  return storageClass !== undefined && (context.dynamicEfsStorageClasses ?? []).includes(storageClass);
}

const FIX = 'EFS on Fargate works with static provisioning only (dynamic provisioning with the EFS CSI driver does not run on '
  + 'Fargate nodes). Use `cluster.addEfsVolume(id, { namespace })` and mount its `claimName`, or run this workload on EC2 nodes.';

export const dynamicEfsClaimsRule: ReadinessRule = {
  id: `${READINESS_RULE_PREFIX}dynamic-efs-claims`,
  level: 'error',
  summary: 'Claims on dynamically provisioning EFS storage classes, which Fargate pods cannot mount.',
  check(manifest, context) {
    if (isKind(manifest, 'PersistentVolumeClaim', [''])) {
      const storageClass = storageClassOf(manifest);
      // As with EBS: whether the pod using a standalone claim lands on Fargate is only certain on a Fargate-only cluster.
      return context.fargateOnly && isDynamicEfs(storageClass, context)
        ? [`${referenceOf(manifest)}: claims storage class \`${storageClass}\`, which provisions EFS access points dynamically. ${FIX}`]
        : [];
    }
    const workload = fargateWorkloadOf(manifest, context);
    if (!workload) {
      return [];
    }
    const problems = claimTemplateClasses(manifest)
      .filter((template) => isDynamicEfs(template.storageClass, context))
      .map((template) => template.description);
    for (const volume of objectsOf(workload.spec.volumes)) {
      const storageClass = ephemeralClassOf(volume);
      if (isDynamicEfs(storageClass, context)) {
        problems.push(`ephemeral volume \`${stringOf(volume.name) ?? '<unnamed>'}\` on storage class \`${storageClass}\``);
      }
    }
    return problems.length === 0 ? [] : [`${workload.reference}: uses ${problems.join(', ')}, which provisions EFS access points dynamically. ${FIX}`];
  },
};
