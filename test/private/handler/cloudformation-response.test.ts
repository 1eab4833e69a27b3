import * as http from 'http';
import { AddressInfo } from 'net';
import { FakeTiming } from './handler-fakes';
import {
  CloudFormationResponse, HttpsCloudFormationResponder, MAX_RESPONSE_BYTES, responseBody,
} from '../../../lib/private/handler/cloudformation-response';

const RESPONSE: CloudFormationResponse = {
  Status: 'SUCCESS',
  PhysicalResourceId: 'app/Auth',
  StackId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/app/1',
  RequestId: 'request-1',
  LogicalResourceId: 'AwsAuthResource',
  NoEcho: false,
  Data: { Result: 'replaced' },
};

/** A stand-in for the presigned S3 URL: records PUTs, and can drop the first connections. */
async function startResponseBucket(dropFirst = 0) {
  const received: Array<{ method?: string; url?: string; contentType?: string; body: string }> = [];
  let dropped = 0;
  const server = http.createServer((request, response) => {
    if (dropped < dropFirst) {
      dropped++;
      request.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ method: request.method, url: request.url, contentType: request.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/stack-response?X-Amz-Signature=abc`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('HttpsCloudFormationResponder', () => {
  test('the response is PUT to the response URL as JSON with the empty content type the URL was signed with', async () => {
    // GIVEN
    const bucket = await startResponseBucket();

    // WHEN
    try {
      await new HttpsCloudFormationResponder(new FakeTiming()).send(bucket.url, RESPONSE);
    } finally {
      await bucket.close();
    }

    // THEN
    expect(bucket.received).toEqual([{ method: 'PUT', url: '/stack-response?X-Amz-Signature=abc', contentType: '', body: JSON.stringify(RESPONSE) }]);
  });

  test('a dropped connection is retried', async () => {
    // GIVEN
    const bucket = await startResponseBucket(2);
    const timing = new FakeTiming();

    // WHEN
    try {
      await new HttpsCloudFormationResponder(timing).send(bucket.url, RESPONSE);
    } finally {
      await bucket.close();
    }

    // THEN
    expect(bucket.received).toHaveLength(1);
    expect(timing.sleeps).toEqual([500, 1000]);
  });

  test('a response URL that keeps failing makes send reject, so the invocation is retried', async () => {
    // GIVEN
    const bucket = await startResponseBucket(3);

    // WHEN / THEN
    try {
      await expect(new HttpsCloudFormationResponder(new FakeTiming()).send(bucket.url, RESPONSE)).rejects.toThrow(/socket hang up|ECONNRESET/);
    } finally {
      await bucket.close();
    }
  });
});

describe('responseBody', () => {
  test('a long failure reason is cut so the body fits CloudFormation\'s 4096-byte limit', () => {
    // GIVEN
    const reason = 'Could not update aws-auth: ' + 'é'.repeat(5_000);

    // WHEN
    const body = responseBody({ ...RESPONSE, Status: 'FAILED', Reason: reason });

    // THEN
    expect(Buffer.byteLength(body, 'utf8')).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
    expect(JSON.parse(body).Reason).toMatch(/^Could not update aws-auth: é+…$/);
    expect(JSON.parse(body).PhysicalResourceId).toBe('app/Auth');
  });

  test('a short response is sent as it is', () => {
    expect(responseBody(RESPONSE)).toBe(JSON.stringify(RESPONSE));
  });
});
