/**
 * On-demand prices of AWS Fargate for Linux/x86_64 pods (the only kind EKS runs on Fargate), in USD, per region.
 *
 * Static on purpose: synth never reads the network or the clock. Update the table (and its date) when AWS changes
 * prices; users with other rates (Savings Plans, private pricing) pass their own `FargateRate`.
 */

/** The date the table was last checked against its source. */
export const FARGATE_PRICE_TABLE_DATE = '2026-12-01';

/** Where the prices come from. */
export const FARGATE_PRICE_TABLE_SOURCE = 'AWS Fargate pricing, Linux/X86 on-demand (https://aws.amazon.com/fargate/pricing/); '
  + 'us-east-1 checked against the page\'s worked example ($0.000011244 per vCPU-second, i.e. $0.04048 per vCPU-hour), '
  + 'other regions as transcribed from that page by the open-source calculator theuves/fgcalc (src/utils/data.js)';

/** Price of one vCPU-hour and one GB-hour in one region. */
export interface RegionalFargatePrice {
  readonly vcpuPerHour: number;
  readonly memoryGbPerHour: number;
}

/** Regions where EKS runs Fargate pods, as listed by the source (AWS GovCloud (US) has no EKS on Fargate). */
export const FARGATE_PRICES: { readonly [region: string]: RegionalFargatePrice } = {
  'us-east-1': { vcpuPerHour: 0.04048, memoryGbPerHour: 0.004445 },
  'us-east-2': { vcpuPerHour: 0.04048, memoryGbPerHour: 0.004445 },
  'us-west-1': { vcpuPerHour: 0.04656, memoryGbPerHour: 0.00511 },
  'us-west-2': { vcpuPerHour: 0.04048, memoryGbPerHour: 0.004445 },
  'ca-central-1': { vcpuPerHour: 0.04456, memoryGbPerHour: 0.004865 },
  'sa-east-1': { vcpuPerHour: 0.0696, memoryGbPerHour: 0.0076 },
  'eu-west-1': { vcpuPerHour: 0.04048, memoryGbPerHour: 0.004445 },
  'eu-west-2': { vcpuPerHour: 0.04656, memoryGbPerHour: 0.00511 },
  'eu-west-3': { vcpuPerHour: 0.0486, memoryGbPerHour: 0.0053 },
  'eu-central-1': { vcpuPerHour: 0.04656, memoryGbPerHour: 0.00511 },
  'eu-north-1': { vcpuPerHour: 0.0445, memoryGbPerHour: 0.0049 },
  'eu-south-1': { vcpuPerHour: 0.0486, memoryGbPerHour: 0.0053 },
  'af-south-1': { vcpuPerHour: 0.0546, memoryGbPerHour: 0.006 },
  'me-south-1': { vcpuPerHour: 0.0526, memoryGbPerHour: 0.0058 },
  'ap-east-1': { vcpuPerHour: 0.0556, memoryGbPerHour: 0.0061 },
  'ap-south-1': { vcpuPerHour: 0.04256, memoryGbPerHour: 0.004655 },
  'ap-northeast-1': { vcpuPerHour: 0.05056, memoryGbPerHour: 0.00553 },
  'ap-northeast-2': { vcpuPerHour: 0.04656, memoryGbPerHour: 0.00511 },
  'ap-southeast-1': { vcpuPerHour: 0.05056, memoryGbPerHour: 0.00553 },
  'ap-southeast-2': { vcpuPerHour: 0.04856, memoryGbPerHour: 0.00532 },
};
