/**
 * Availability Zones per commercial AWS Region, counted from the AZ ID tables of the AWS documentation page
 * "AWS Availability Zones" (AWS Regions and Availability Zones guide), as of 2026-12. A static table, so that a
 * `maxAzs` the region cannot have fails at synth without a lookup; an account may see fewer zones (US West (N.
 * California) gives newer accounts two, and AWS may hide a constrained zone), which only the
 * `availability-zones:account=...:region=...` context knows. Pure. Update when AWS opens a zone or a Region.
 */
export const REGION_ZONES_AS_OF = '2026-12';

/** Availability Zones of each commercial Region (zones announced but not open are not counted). */
export const REGION_AVAILABILITY_ZONES: { readonly [region: string]: number } = {
  // North America
  'us-east-1': 6,
  'us-east-2': 3,
  'us-west-1': 3,
  'us-west-2': 4,
  'ca-central-1': 3,
  'ca-west-1': 3,
  'mx-central-1': 3,
  // Africa
  'af-south-1': 3,
  // Asia Pacific
  'ap-east-1': 3,
  'ap-east-2': 3,
  'ap-northeast-1': 4,
  'ap-northeast-2': 4,
  'ap-northeast-3': 3,
  'ap-south-1': 3,
  'ap-south-2': 3,
  'ap-southeast-1': 3,
  'ap-southeast-2': 3,
  'ap-southeast-3': 3,
  'ap-southeast-4': 3,
  'ap-southeast-5': 3,
  'ap-southeast-6': 3,
  'ap-southeast-7': 3,
  // Europe
  'eu-central-1': 3,
  'eu-central-2': 3,
  'eu-north-1': 3,
  'eu-south-1': 3,
  'eu-south-2': 3,
  'eu-west-1': 3,
  'eu-west-2': 4,
  'eu-west-3': 3,
  // Middle East
  'il-central-1': 3,
  'me-central-1': 3,
  'me-south-1': 3,
  // South America
  'sa-east-1': 3,
};

/** The Availability Zones of `region` per the table, or undefined for a Region it does not list. */
export function availabilityZoneCount(region: string): number | undefined {
  return Object.hasOwn(REGION_AVAILABILITY_ZONES, region) ? REGION_AVAILABILITY_ZONES[region] : undefined;
}

/** No Region has more zones than this. */
export const MAX_REGION_AZS = Math.max(...Object.values(REGION_AVAILABILITY_ZONES));
