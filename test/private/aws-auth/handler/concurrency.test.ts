import { runOwnerRace } from './owner-race';
import { FakeKubernetesApi } from '../../handler/fake-kubernetes-api';

describe('aws-auth writers racing', () => {
  let api: FakeKubernetesApi;
  beforeAll(async () => {
    api = await FakeKubernetesApi.start();
  });
  afterAll(() => api.close());

  test('20 owners writing 3 rounds at once, with foreign entries and an outside writer, lose no update', async () => {
    // GIVEN 20 owners, 10 foreign entries, and 8 outside writes landing between someone's read and write
    // WHEN every owner writes in each round at the same time (real sleeps, short backoff)
    const result = await runOwnerRace(api, {
      writers: 20,
      rounds: 3,
      foreignEntries: 10,
      outsideWrites: 8,
      backoff: { baseDelayMs: 10, maxDelayMs: 200 },
    });

    // THEN every owner's entries, every foreign entry and every outside write is there, and nothing else
    expect(result.entriesExpected).toBe(2 + 10 + 8 + 1 + 20 * 3);
    expect(result.entriesLost).toBe(0);
    expect(result.entriesUnexpected).toBe(0);
    // Racing writers did collide, and every 409 the server gave was retried.
    expect(result.conflictsRetried).toBeGreaterThan(20);
    expect(result.conflictsRetried).toBe(result.conflictsAnswered);
  }, 30_000);
});
