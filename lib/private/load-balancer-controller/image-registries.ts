/**
 * The regional Amazon ECR registries that Amazon EKS replicates its add-on images to, including the AWS Load Balancer
 * Controller's (`<registry>/amazon/aws-load-balancer-controller`), for the regions of the partitions this library
 * ships a controller IAM policy for (`aws`, `aws-cn`, `aws-us-gov`).
 *
 * Pulling from the pod's own region works through the ECR interface endpoints of a private cluster (no NAT, no
 * internet) and in the China regions, where the public ECR gallery is not the documented source.
 *
 * Source: "View Amazon container image registries for Amazon EKS add-ons" (EKS User Guide), cross-checked against
 * `get-ecr-uri.sh` of awslabs/amazon-eks-ami. The guide lists ap-east-2 with an `ap-east-1` host name; the registry
 * of ap-east-2 is in ap-east-2 (as in amazon-eks-ami), like every other entry.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/add-ons-images.html
 */
const ACCOUNT_BY_REGION: { readonly [region: string]: string } = {
  'af-south-1': '877085696533',
  'ap-east-1': '800184023465',
  'ap-east-2': '533267051163',
  'ap-northeast-1': '602401143452',
  'ap-northeast-2': '602401143452',
  'ap-northeast-3': '602401143452',
  'ap-south-1': '602401143452',
  'ap-south-2': '900889452093',
  'ap-southeast-1': '602401143452',
  'ap-southeast-2': '602401143452',
  'ap-southeast-3': '296578399912',
  'ap-southeast-4': '491585149902',
  'ap-southeast-5': '151610086707',
  'ap-southeast-6': '333609536671',
  'ap-southeast-7': '121268973566',
  'ca-central-1': '602401143452',
  'ca-west-1': '761377655185',
  'cn-north-1': '918309763551',
  'cn-northwest-1': '961992271922',
  'eu-central-1': '602401143452',
  'eu-central-2': '900612956339',
  'eu-north-1': '602401143452',
  'eu-south-1': '590381155156',
  'eu-south-2': '455263428931',
  'eu-west-1': '602401143452',
  'eu-west-2': '602401143452',
  'eu-west-3': '602401143452',
  'il-central-1': '066635153087',
  'me-central-1': '759879836304',
  'me-south-1': '558608220178',
  'mx-central-1': '730335286997',
  'sa-east-1': '602401143452',
  'us-east-1': '602401143452',
  'us-east-2': '602401143452',
  'us-gov-east-1': '151742754352',
  'us-gov-west-1': '013241004608',
  'us-west-1': '602401143452',
  'us-west-2': '602401143452',
};

/** Repository of the controller image inside an EKS add-on registry. */
export const CONTROLLER_REPOSITORY_PATH = 'amazon/aws-load-balancer-controller';

/** Host name of the EKS add-on registry of a region, e.g. `602401143452.dkr.ecr.eu-west-1.amazonaws.com`. */
function registryHost(region: string, account: string): string {
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `${account}.dkr.ecr.${region}.${domain}`;
}

/** The EKS add-on registry host of every mapped region, sorted by region. */
export function addOnRegistries(): { [region: string]: string } {
  const registries: { [region: string]: string } = {};
  for (const region of Object.keys(ACCOUNT_BY_REGION).sort()) {
    registries[region] = registryHost(region, ACCOUNT_BY_REGION[region]);
  }
  return registries;
}

/** Whether a region has a known EKS add-on registry. */
export function hasAddOnRegistry(region: string): boolean {
  return Object.prototype.hasOwnProperty.call(ACCOUNT_BY_REGION, region);
}
