/**
 * How the aws-auth handler's writer behaves when many SafeAwsAuth owners write one aws-auth ConfigMap at once:
 * writers race through the real writer (read, merge, write at the read resourceVersion, jittered backoff on 409)
 * against the fake Kubernetes API server from the tests, with foreign entries present and an outside writer
 * interfering. Run: `npx ts-node --project bench/tsconfig.json bench/aws-auth-concurrency.ts`
 */
import { OwnerRaceOptions, runOwnerRace } from '../test/private/aws-auth/handler/owner-race';
import { FakeKubernetesApi } from '../test/private/handler/fake-kubernetes-api';

/** The numbers the benchmark prints. */
export interface AwsAuthConcurrencyNumbers {
  readonly writers: number;
  readonly rounds: number;
  /** Read-merge-write rounds over all writes (a conflict-free run needs writers × rounds). */
  readonly attempts: number;
  readonly conflictsRetried: number;
  /** Entries that should have been in aws-auth at the end but were not. */
  readonly entriesLost: number;
  /** Entries in aws-auth at the end that nobody asked for. */
  readonly entriesUnexpected: number;
  readonly wallTimeMs: number;
}

/**
 * Runs the race with the handler's own backoff (full jitter, 100 ms doubling up to 5 s) and real sleeps, against a
 * fake Kubernetes API server started for the run.
 * @default - 20 writers, 5 rounds, 10 foreign entries, 8 outside writes
 */
export async function runAwsAuthConcurrencyBenchmark(options: Partial<OwnerRaceOptions> = {}): Promise<AwsAuthConcurrencyNumbers> {
  const api = await FakeKubernetesApi.start();
  try {
    const result = await runOwnerRace(api, { writers: 20, rounds: 5, foreignEntries: 10, outsideWrites: 8, ...options });
    return {
      writers: result.writers,
      rounds: result.rounds,
      attempts: result.attempts,
      conflictsRetried: result.conflictsRetried,
      entriesLost: result.entriesLost,
      entriesUnexpected: result.entriesUnexpected,
      wallTimeMs: result.wallTimeMs,
    };
  } finally {
    await api.close();
  }
}

if (require.main === module) {
  void (async () => {
    const numbers = await runAwsAuthConcurrencyBenchmark();
    console.log('aws-auth concurrency: fake Kubernetes API on 127.0.0.1, real sleeps, the handler\'s backoff');
    console.log(`writers:            ${numbers.writers}`);
    console.log(`rounds:             ${numbers.rounds}`);
    console.log(`writes:             ${numbers.writers * numbers.rounds}`);
    console.log(`attempts:           ${numbers.attempts}`);
    console.log(`conflicts retried:  ${numbers.conflictsRetried}`);
    console.log(`entries lost:       ${numbers.entriesLost}`);
    console.log(`entries unexpected: ${numbers.entriesUnexpected}`);
    console.log(`wall time:          ${numbers.wallTimeMs} ms`);
    process.exitCode = numbers.entriesLost === 0 && numbers.entriesUnexpected === 0 ? 0 : 1;
  })();
}
