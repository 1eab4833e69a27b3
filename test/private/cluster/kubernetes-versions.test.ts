import {
  EKS_VERSION_TABLE,
  newestKnownVersion,
  parseMinor,
  supportDatesOf,
  supportStatus,
  TABLE_AS_OF,
} from '../../../lib/private/cluster/kubernetes-versions';

describe('parseMinor', () => {
  test('reads the minor number of a version', () => {
    expect(parseMinor('1.29')).toBe(29);
    expect(parseMinor('1.31.3')).toBe(31);
    expect(parseMinor('v1.33.1-eks-1')).toBe(33);
  });

  test('rejects a value that is not a Kubernetes 1.x version', () => {
    expect(() => parseMinor('latest')).toThrow(/Cannot read a Kubernetes minor version from 'latest'/);
  });
});

describe('EKS_VERSION_TABLE', () => {
  test('lists every minor from 1.23 to 1.37 once, in order', () => {
    // GIVEN / WHEN
    const minors = EKS_VERSION_TABLE.map((row) => parseMinor(row.version));
    // THEN
    expect(minors).toEqual(Array.from({ length: 15 }, (_, i) => 23 + i));
    expect(newestKnownVersion()).toBe('1.37');
  });

  test('gives each version 12 months of extended support after standard support', () => {
    for (const row of EKS_VERSION_TABLE) {
      const end = new Date(row.endOfStandardSupport + 'T00:00:00Z');
      end.setUTCFullYear(end.getUTCFullYear() + 1);
      expect(end.toISOString().slice(0, 10)).toBe(row.endOfExtendedSupport);
    }
  });

  test('marks only the versions without published dates as estimated', () => {
    const estimated = EKS_VERSION_TABLE.filter((row) => row.estimated).map((row) => row.version);
    expect(estimated).toEqual(['1.36', '1.37']);
  });

  test('finds a row by version with or without a patch', () => {
    expect(supportDatesOf('1.31.2')?.endOfExtendedSupport).toBe('2026-11-26');
    expect(supportDatesOf('1.22')).toBeUndefined();
    expect(supportDatesOf('nonsense')).toBeUndefined();
  });
});

describe('supportStatus', () => {
  test('a version is in standard support before its end-of-standard-support date', () => {
    expect(supportStatus('1.29', '2025-03-22')).toBe('standard');
  });

  test('a version is in extended support from its end-of-standard-support date on', () => {
    expect(supportStatus('1.29', '2025-03-23')).toBe('extended');
    expect(supportStatus('1.29', '2026-03-22')).toBe('extended');
  });

  test('1.29 ended extended support on 2026-03-23', () => {
    expect(supportStatus('1.29', '2026-03-23')).toBe('ended');
  });

  test('on the table date 1.31 has just ended and 1.34 to 1.36 are in standard support', () => {
    // GIVEN the date the library evaluates against
    const onDate = TABLE_AS_OF;
    // WHEN / THEN
    expect(onDate).toBe('2026-11-27');
    expect(supportStatus('1.30', onDate)).toBe('ended');
    expect(supportStatus('1.31', onDate)).toBe('ended');
    expect(supportStatus('1.31', '2026-11-25')).toBe('extended');
    expect(supportStatus('1.32', onDate)).toBe('extended');
    expect(supportStatus('1.33', onDate)).toBe('extended');
    expect(supportStatus('1.34', onDate)).toBe('standard');
    expect(supportStatus('1.35', onDate)).toBe('standard');
    expect(supportStatus('1.36', onDate)).toBe('standard');
  });

  test('a version the table does not list is unknown', () => {
    expect(supportStatus('1.22', TABLE_AS_OF)).toBe('unknown');
    expect(supportStatus('1.99', TABLE_AS_OF)).toBe('unknown');
    expect(supportStatus('main', TABLE_AS_OF)).toBe('unknown');
  });

  test('rejects a date that is not ISO 8601', () => {
    expect(() => supportStatus('1.31', '27/11/2026')).toThrow(/needs an ISO 8601 date \(YYYY-MM-DD\), got '27\/11\/2026'/);
  });
});
