import * as yaml from 'js-yaml';
import {
  ADMIN_USER_MAPPING, appendForeignRole, mappingsIn, NODE_ROLE_MAPPING, POD_EXECUTION_ROLE_MAPPING, roleMapping, writerFor,
} from './aws-auth-fixtures';
import { RoleMapping } from '../../../../lib/aws-auth-merge';
import { applyOwnerChange } from '../../../../lib/private/aws-auth/handler/owner-changes';
import { BackoffOptions, RetryTiming, SYSTEM_TIMING } from '../../../../lib/private/handler/retry-timing';
import { FakeKubernetesApi } from '../../handler/fake-kubernetes-api';

/** Shape of a race. */
export interface OwnerRaceOptions {
  /** Owners writing at the same time, each through its own writer (one Lambda invocation each). */
  readonly writers: number;
  /** Times every owner writes; in round r an owner wants r + 1 entries of its own plus one shared by all owners. */
  readonly rounds: number;
  /** Mappings nobody owns that are in aws-auth before the race (besides the node role, pod role and admin user). */
  readonly foreignEntries: number;
  /**
   * Writes by an outside writer (kubectl, EKS), each landing between some owner's read and write, spread over the
   * first 3 × outsideWrites PUTs (so the race needs at least that many writes).
   */
  readonly outsideWrites: number;
  /** @default - the handler's defaults */
  readonly backoff?: BackoffOptions;
  /** @default SYSTEM_TIMING (real sleeps, so jitter really spreads the writers) */
  readonly timing?: RetryTiming;
}

/** What happened. */
export interface OwnerRaceResult {
  readonly writers: number;
  readonly rounds: number;
  /** Read-merge-write rounds over all writes. */
  readonly attempts: number;
  /** Conflicts the writers retried (sum of their outcomes). */
  readonly conflictsRetried: number;
  /** 409 answers the API server gave. */
  readonly conflictsAnswered: number;
  /** Entries that should be in aws-auth at the end. */
  readonly entriesExpected: number;
  /** Of those, entries missing at the end (lost updates). */
  readonly entriesLost: number;
  /** Entries present that nobody asked for. */
  readonly entriesUnexpected: number;
  readonly wallTimeMs: number;
}

/**
 * Owners racing on one aws-auth of `api` through the real writer, while foreign entries exist and an outside writer
 * keeps changing the ConfigMap. Counts what survives. Replaces whatever aws-auth `api` held.
 */
export async function runOwnerRace(api: FakeKubernetesApi, options: OwnerRaceOptions): Promise<OwnerRaceResult> {
  const timing = options.timing ?? SYSTEM_TIMING;
  api.resetFaults();
  const foreign = [NODE_ROLE_MAPPING, POD_EXECUTION_ROLE_MAPPING, ...range(options.foreignEntries).map((i) => roleMapping(`foreign-${i}`))];
  const outside = range(options.outsideWrites).map((i) => roleMapping(`outside-writer-${i}`));
  const shared = roleMapping('shared-by-all-owners', ['viewers']);
  api.setAwsAuth({ data: { mapRoles: yaml.dump(foreign), mapUsers: yaml.dump([ADMIN_USER_MAPPING]) } });
  outside.forEach((mapping, i) => api.inject({ kind: 'interfere', times: 1, methods: ['PUT'], skip: i * 3, change: appendForeignRole(mapping) }));

  const started = Date.now();
  let attempts = 0;
  let conflictsRetried = 0;
  for (let round = 0; round < options.rounds; round++) {
    const outcomes = await Promise.all(range(options.writers).map((owner) => {
      const mapRoles = [shared, ...range(round + 1).map((r) => ownerEntry(owner, r))];
      return writerFor(api, timing, { budgetMs: 120_000, backoff: options.backoff }).write(applyOwnerChange(`owner-${owner}`, { mapRoles }));
    }));
    attempts += outcomes.reduce((sum, outcome) => sum + outcome.attempts, 0);
    conflictsRetried += outcomes.reduce((sum, outcome) => sum + outcome.conflictsRetried, 0);
  }
  const wallTimeMs = Date.now() - started;

  const ownerEntries = range(options.writers).flatMap((owner) => range(options.rounds).map((r) => ownerEntry(owner, r)));
  const expected = new Set([...foreign, ...outside, shared, ...ownerEntries].map((mapping) => mapping.rolearn));
  const present = new Set((mappingsIn(api).mapRoles ?? []).map((mapping) => mapping.rolearn));
  return {
    writers: options.writers,
    rounds: options.rounds,
    attempts,
    conflictsRetried,
    conflictsAnswered: api.conflictsAnswered,
    entriesExpected: expected.size,
    entriesLost: [...expected].filter((arn) => !present.has(arn)).length,
    entriesUnexpected: [...present].filter((arn) => !expected.has(arn)).length,
    wallTimeMs,
  };
}

function ownerEntry(owner: number, round: number): RoleMapping {
  return roleMapping(`owner-${owner}-round-${round}`);
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
