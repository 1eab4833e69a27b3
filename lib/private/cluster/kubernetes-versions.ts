/**
 * Amazon EKS support dates per Kubernetes minor version, as a static table shipped with the library.
 *
 * Synth output must not depend on the clock (same app → same templates and warnings, at any time), so the
 * library evaluates support with {@link supportStatus}`(version, TABLE_AS_OF)`: a warning appears or disappears
 * when the library is upgraded, never because a day passed.
 *
 * EKS gives each minor version 14 months of standard support from its EKS release, then 12 months of extended
 * support. All dates are UTC; billing for extended support starts at the beginning of the end-of-standard-support
 * day, so a version is in extended support *on* that date.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html
 */

/** The date this table was last checked against its sources (ISO 8601 date). */
export const TABLE_AS_OF = '2026-11-27';

/** Support dates of one Kubernetes minor version on Amazon EKS. */
export interface EksVersionSupport {
  /** Kubernetes minor version, e.g. `1.31`. */
  readonly version: string;
  /** Date the version became available on Amazon EKS (ISO 8601 date). */
  readonly eksRelease: string;
  /** First day of extended support; the version is in standard support before it (ISO 8601 date). */
  readonly endOfStandardSupport: string;
  /** First day without any support; clusters are auto-upgraded after it (ISO 8601 date). */
  readonly endOfExtendedSupport: string;
  /**
   * True when the dates were computed from an estimated EKS release date (+14 and +26 months) because no
   * published date was found when the table was written.
   */
  readonly estimated: boolean;
}

/**
 * Sources:
 * - 1.29–1.34: the release calendar in the Amazon EKS User Guide (awsdocs/amazon-eks-user-guide,
 *   `versioning/kubernetes-versions.adoc`).
 * - 1.23–1.28: the same calendar in its earlier revisions (quoted with all rows by third-party pages); 1.23 also
 *   from the guide's extended-support FAQ ("standard support for 1.23 ended on October 11, 2023").
 * - 1.35: the dates AWS published after its January 2026 release (as listed by endoflife.date and AWS samples'
 *   EKS review skill); consistent with release + 14/26 months.
 * - 1.36, 1.37: no published dates found; release estimated from the upstream cadence (upstream release + about
 *   five weeks), ends computed as release + 14 and + 26 months. Marked `estimated: true`.
 */
export const EKS_VERSION_TABLE: readonly EksVersionSupport[] = [
  { version: '1.23', eksRelease: '2022-08-11', endOfStandardSupport: '2023-10-11', endOfExtendedSupport: '2024-10-11', estimated: false },
  { version: '1.24', eksRelease: '2022-11-15', endOfStandardSupport: '2024-01-31', endOfExtendedSupport: '2025-01-31', estimated: false },
  { version: '1.25', eksRelease: '2023-02-22', endOfStandardSupport: '2024-05-01', endOfExtendedSupport: '2025-05-01', estimated: false },
  { version: '1.26', eksRelease: '2023-04-11', endOfStandardSupport: '2024-06-11', endOfExtendedSupport: '2025-06-11', estimated: false },
  { version: '1.27', eksRelease: '2023-05-24', endOfStandardSupport: '2024-07-24', endOfExtendedSupport: '2025-07-24', estimated: false },
  { version: '1.28', eksRelease: '2023-09-26', endOfStandardSupport: '2024-11-26', endOfExtendedSupport: '2025-11-26', estimated: false },
  { version: '1.29', eksRelease: '2024-01-23', endOfStandardSupport: '2025-03-23', endOfExtendedSupport: '2026-03-23', estimated: false },
  { version: '1.30', eksRelease: '2024-05-23', endOfStandardSupport: '2025-07-23', endOfExtendedSupport: '2026-07-23', estimated: false },
  { version: '1.31', eksRelease: '2024-09-26', endOfStandardSupport: '2025-11-26', endOfExtendedSupport: '2026-11-26', estimated: false },
  { version: '1.32', eksRelease: '2025-01-23', endOfStandardSupport: '2026-03-23', endOfExtendedSupport: '2027-03-23', estimated: false },
  { version: '1.33', eksRelease: '2025-05-29', endOfStandardSupport: '2026-07-29', endOfExtendedSupport: '2027-07-29', estimated: false },
  { version: '1.34', eksRelease: '2025-10-02', endOfStandardSupport: '2026-12-02', endOfExtendedSupport: '2027-12-02', estimated: false },
  { version: '1.35', eksRelease: '2026-01-27', endOfStandardSupport: '2027-03-27', endOfExtendedSupport: '2028-03-27', estimated: false },
  { version: '1.36', eksRelease: '2026-05-28', endOfStandardSupport: '2027-07-28', endOfExtendedSupport: '2028-07-28', estimated: true },
  { version: '1.37', eksRelease: '2026-10-01', endOfStandardSupport: '2027-12-01', endOfExtendedSupport: '2028-12-01', estimated: true },
];

/** Where a version stands on a given date: `unknown` when the table has no row for it. */
export type SupportStatus = 'standard' | 'extended' | 'ended' | 'unknown';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const VERSION = /^v?1\.(\d+)(?:\.\d+)?(?:[-+].*)?$/;

/**
 * The minor number of a Kubernetes version: `'1.29'` → 29. Accepts a patch and suffix (`'v1.29.3-eks-1'`).
 *
 * @throws Error when `version` is not a Kubernetes 1.x version
 */
export function parseMinor(version: string): number {
  const match = VERSION.exec(String(version).trim());
  if (!match) {
    throw new Error(`Cannot read a Kubernetes minor version from '${version}': expected '1.<minor>', e.g. '1.31'`);
  }
  return Number(match[1]);
}

/** The table row for `version` (any patch or suffix is ignored), or undefined when the table does not list it. */
export function supportDatesOf(version: string): EksVersionSupport | undefined {
  let minor: number;
  try {
    minor = parseMinor(version);
  } catch {
    return undefined;
  }
  return EKS_VERSION_TABLE.find((row) => parseMinor(row.version) === minor);
}

/** The newest minor version the table lists (e.g. to name a target in an upgrade hint). */
export function newestKnownVersion(): string {
  return EKS_VERSION_TABLE[EKS_VERSION_TABLE.length - 1].version;
}

/**
 * The EKS support status of `version` on `onDate`.
 *
 * The library passes {@link TABLE_AS_OF} so that its output never depends on the clock; tests pass fixed dates.
 *
 * @param version Kubernetes version such as `'1.31'`
 * @param onDate ISO 8601 date (`YYYY-MM-DD`)
 * @returns `standard` before the end of standard support, `extended` from that day until the end of extended
 *   support, `ended` from that day on, `unknown` for a version the table does not list (or cannot parse)
 * @throws Error when `onDate` is not an ISO 8601 date
 */
export function supportStatus(version: string, onDate: string): SupportStatus {
  if (!ISO_DATE.test(onDate)) {
    throw new Error(`supportStatus needs an ISO 8601 date (YYYY-MM-DD), got '${onDate}'`);
  }
  const row = supportDatesOf(version);
  if (!row) {
    return 'unknown';
  }
  // ISO dates of the same length compare correctly as strings.
  if (onDate < row.endOfStandardSupport) {
    return 'standard';
  }
  if (onDate < row.endOfExtendedSupport) {
    return 'extended';
  }
  return 'ended';
}
