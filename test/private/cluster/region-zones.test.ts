import { newVpcProblems } from '../../../lib/private/cluster/cluster-input-rules';
import { availabilityZoneCount, MAX_REGION_AZS } from '../../../lib/private/cluster/region-zones';

const vpc = (maxAzs: number, region?: string, knownAzs?: string[]) => newVpcProblems({ maxAzs, vpcEndpoints: false, region, knownAzs });

describe('Availability Zones per region', () => {
  test('the table knows the largest regions and their counts', () => {
    expect(availabilityZoneCount('us-east-1')).toEqual(6);
    expect(availabilityZoneCount('us-west-2')).toEqual(4);
    expect(MAX_REGION_AZS).toEqual(6);
    expect(availabilityZoneCount('constructor')).toBeUndefined();
  });

  test('maxAzs up to the table\'s count passes without context; one more fails naming the region', () => {
    expect(vpc(6, 'us-east-1')).toEqual([]);
    expect(vpc(4, 'ap-northeast-1')).toEqual([]);
    expect(vpc(5, 'us-west-2')).toEqual([expect.stringMatching(/^`maxAzs` is 5; .* us-west-2 has 4 \(AWS documentation, as of 2026-12;.*Use 2 to 4\.$/)]);
  });

  test('context wins over the table (an account may see fewer zones, or AWS may have opened more)', () => {
    expect(vpc(3, 'us-west-1', ['us-west-1a', 'us-west-1c'])).toEqual([expect.stringMatching(/the region has 2 \(us-west-1a, us-west-1c\)\. Use 2 to 2\./)]);
    expect(vpc(4, 'eu-west-1', ['eu-west-1a', 'eu-west-1b', 'eu-west-1c', 'eu-west-1d'])).toEqual([]);
  });

  test('a region the table does not know, or none, is bounded by the largest region only', () => {
    expect(vpc(6, 'xx-east-9')).toEqual([]);
    expect(vpc(7, 'xx-east-9')).toEqual([expect.stringMatching(/no region has more than 6\. Use 2 to 6\./)]);
    expect(vpc(7)).toEqual([expect.stringMatching(/no region has more than 6/)]);
  });
});
