import { container, workload, findings } from './readiness-fixtures';

describe('readiness rule job-ttl', () => {
  test('a Job and a CronJob without ttlSecondsAfterFinished are warnings', () => {
    const job = workload('Job', { containers: [container()], restartPolicy: 'Never' });
    delete job.spec.ttlSecondsAfterFinished;
    const cronJob = workload('CronJob', { containers: [container()] });
    delete cronJob.spec.jobTemplate.spec.ttlSecondsAfterFinished;
    expect(findings(job, 'job-ttl')[0]).toMatchObject({ level: 'warning', message: expect.stringMatching(/^Job default\/web: sets no `spec.ttlSecondsAfterFinished`/) });
    expect(findings(cronJob, 'job-ttl')[0].message).toMatch(/`spec.jobTemplate.spec.ttlSecondsAfterFinished`/);
  });

  test('a Job with a TTL and a CronJob that keeps no history are not reported', () => {
    const cronJob = workload('CronJob', { containers: [container()] });
    delete cronJob.spec.jobTemplate.spec.ttlSecondsAfterFinished;
    cronJob.spec.successfulJobsHistoryLimit = 0;
    cronJob.spec.failedJobsHistoryLimit = 0;
    expect(findings(workload('Job', { containers: [container()] }), 'job-ttl')).toEqual([]);
    expect(findings(cronJob, 'job-ttl')).toEqual([]);
  });
});
