import { fargateWorkloadOf, isKind, objectAt, objectOf, objectsOf, referenceOf, stringOf } from './pod-spec';
import { KubernetesManifest, READINESS_RULE_PREFIX, ReadinessContext, ReadinessRule } from './types';

/**
 * EBS volumes: Fargate pods cannot mount Amazon EBS volumes (only EFS, statically provisioned), so a claim on an
 * EBS storage class stays Pending and so does every pod that uses it.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/fargate.html
 */

/** Provisioners that create EBS volumes: the EBS CSI driver and the legacy in-tree plugin. */
export const EBS_PROVISIONERS = ['ebs.csi.aws.com', 'kubernetes.io/aws-ebs'];

/** EBS volume types; classes are commonly named after them (`gp3`, `gp3-encrypted`). */
const EBS_VOLUME_TYPES = ['gp2', 'gp3', 'io1', 'io2', 'st1', 'sc1'];

/**
 * Provisioner by class name of the StorageClass manifests in `manifests` (other kinds are skipped), to pass as
 * `ReadinessContext.storageClasses`.
 */
export function collectStorageClasses(manifests: KubernetesManifest[]): { [name: string]: string } {
  const classes: { [name: string]: string } = {};
  for (const manifest of manifests) {
    const object = objectOf(manifest);
    const name = stringOf(objectAt(object, 'metadata')?.name);
    const provisioner = stringOf(object?.provisioner);
    if (object && isKind(object, 'StorageClass', ['storage.k8s.io']) && name && provisioner) {
      classes[name] = provisioner;
    }
  }
  return classes;
}

/**
 * Whether a storage class provisions EBS volumes: by its provisioner when the context knows the class, else by
 * its name (an EBS volume type, optionally followed by `-`/`_` and more, or any name containing `ebs`).
 */
export function isEbsStorageClass(name: string, context: ReadinessContext): boolean {
  const classes = context.storageClasses ?? {};
  if (Object.hasOwn(classes, name)) {
    return EBS_PROVISIONERS.includes(classes[name]);
  }
  const lower = name.toLowerCase();
  return lower.includes('ebs') || EBS_VOLUME_TYPES.some((type) => lower === type || lower.startsWith(`${type}-`) || lower.startsWith(`${type}_`));
}

/** The storage class a claim spec names (field, or the legacy beta annotation), or undefined. */
export function storageClassOf(claim: Record<string, any>): string | undefined {
  return stringOf(objectAt(claim, 'spec')?.storageClassName)
    ?? stringOf(objectAt(claim, 'metadata', 'annotations')?.['volume.beta.kubernetes.io/storage-class']);
}

/** A StatefulSet's claim templates that name a storage class, described for messages (empty for other kinds). */
export function claimTemplateClasses(manifest: KubernetesManifest): Array<{ readonly description: string; readonly storageClass: string }> {
  if (!isKind(manifest, 'StatefulSet', ['apps'])) {
    return [];
  }
  return objectsOf(objectAt(manifest, 'spec')?.volumeClaimTemplates).flatMap((template) => {
    const storageClass = storageClassOf(template);
    const name = stringOf(objectAt(template, 'metadata')?.name) ?? '<unnamed>';
    return storageClass === undefined ? [] : [{ description: `volumeClaimTemplate \`${name}\` on storage class \`${storageClass}\``, storageClass }];
  });
}

/** The storage class of a generic ephemeral volume, or undefined. */
export function ephemeralClassOf(volume: Record<string, any>): string | undefined {
  return storageClassOf(objectAt(volume, 'ephemeral', 'volumeClaimTemplate') ?? {});
}

const FIX = 'Fargate pods cannot mount EBS volumes; use an EFS file system (EFS CSI driver, static provisioning) '
  + 'or run this workload on EC2 nodes.';

export const ebsVolumeClaimsRule: ReadinessRule = {
  id: `${READINESS_RULE_PREFIX}ebs-volume-claims`,
  level: 'error',
  summary: 'Claims on EBS storage classes and inline EBS volumes cannot be mounted by Fargate pods.',
  check(manifest, context) {
    if (isKind(manifest, 'PersistentVolumeClaim', [''])) {
      // Whether the pod using a standalone claim lands on Fargate is only certain on a Fargate-only cluster.
      const storageClass = storageClassOf(manifest);
      if (!context.fargateOnly || storageClass === undefined || !isEbsStorageClass(storageClass, context)) {
        return [];
      }
      return [`${referenceOf(manifest)}: claims storage class \`${storageClass}\`, which provisions EBS volumes. ${FIX}`];
    }
    const workload = fargateWorkloadOf(manifest, context);
    if (!workload) {
      return [];
    }
    const problems: string[] = [];
    problems.push(...claimTemplateClasses(manifest)
      .filter((template) => isEbsStorageClass(template.storageClass, context))
      .map((template) => template.description));
    for (const volume of objectsOf(workload.spec.volumes)) {
      const name = stringOf(volume.name) ?? '<unnamed>';
      const ephemeralClass = ephemeralClassOf(volume);
      if (objectOf(volume.awsElasticBlockStore)) {
        problems.push(`\`awsElasticBlockStore\` volume \`${name}\``);
      } else if (EBS_PROVISIONERS.includes(stringOf(objectAt(volume, 'csi')?.driver) ?? '')) {
        problems.push(`EBS CSI volume \`${name}\``);
      } else if (ephemeralClass !== undefined && isEbsStorageClass(ephemeralClass, context)) {
        problems.push(`ephemeral volume \`${name}\` on storage class \`${ephemeralClass}\``);
      }
    }
    if (problems.length === 0) {
      return [];
    }
    return [`${workload.reference}: uses ${problems.join(', ')}. ${FIX}`];
  },
};
