import * as http from 'http';
import * as https from 'https';
import { URL } from 'url';
import { RetryTiming } from './retry-timing';

/** The request CloudFormation sends to a Lambda-backed custom resource. */
export interface CloudFormationCustomResourceEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  /** Presigned S3 URL that takes the response; it grants write access, so it is never logged. */
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly ResourceType: string;
  readonly LogicalResourceId: string;
  /** Absent on Create. */
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: { readonly [key: string]: unknown };
  /** Update only: the properties before the update. */
  readonly OldResourceProperties?: { readonly [key: string]: unknown };
}

/** The response document CloudFormation expects at `ResponseURL`. */
export interface CloudFormationResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly NoEcho: boolean;
  readonly Data?: { readonly [key: string]: string };
}

/** Delivers the response; tests inject one that records it. */
export interface CloudFormationResponder {
  send(responseUrl: string, response: CloudFormationResponse): Promise<void>;
}

/** CloudFormation rejects response bodies above 4096 bytes; the reason is what gets shortened. */
export const MAX_RESPONSE_BYTES = 4096;

/** The JSON body, with `Reason` cut (marked with an ellipsis) so the whole body stays within the limit. */
export function responseBody(response: CloudFormationResponse): string {
  const body = JSON.stringify(response);
  if (Buffer.byteLength(body, 'utf8') <= MAX_RESPONSE_BYTES || response.Reason === undefined) {
    return body;
  }
  // Code points, so a cut never splits a character; the longest prefix that fits, by binary search.
  const characters = Array.from(response.Reason);
  const withReasonOf = (length: number) => JSON.stringify({ ...response, Reason: `${characters.slice(0, length).join('')}…` });
  let fits = 0;
  let tooLong = characters.length;
  while (tooLong - fits > 1) {
    const middle = Math.floor((fits + tooLong) / 2);
    if (Buffer.byteLength(withReasonOf(middle), 'utf8') <= MAX_RESPONSE_BYTES) {
      fits = middle;
    } else {
      tooLong = middle;
    }
  }
  return withReasonOf(fits);
}

/** Limits of the HTTPS responder. */
export interface HttpsCloudFormationResponderOptions {
  /**
   * Time limit of one PUT.
   * @default 5000
   */
  readonly requestTimeoutMs?: number;
  /**
   * PUTs tried before giving up.
   * @default 3
   */
  readonly attempts?: number;
}

/**
 * PUTs the response to the presigned S3 URL. The URL was signed with an empty content type, so the request sends
 * `content-type: ''`. A few quick retries cover a dropped connection; the handler keeps time for them in reserve.
 */
export class HttpsCloudFormationResponder implements CloudFormationResponder {
  private readonly requestTimeoutMs: number;
  private readonly attempts: number;

  constructor(private readonly timing: RetryTiming, options: HttpsCloudFormationResponderOptions = {}) {
    this.requestTimeoutMs = options.requestTimeoutMs ?? 5_000;
    this.attempts = options.attempts ?? 3;
  }

  public async send(responseUrl: string, response: CloudFormationResponse): Promise<void> {
    const body = Buffer.from(responseBody(response), 'utf8');
    for (let attempt = 1; ; attempt++) {
      try {
        await this.put(new URL(responseUrl), body);
        return;
      } catch (error) {
        if (attempt >= this.attempts) {
          throw error;
        }
        await this.timing.sleep(500 * attempt);
      }
    }
  }

  private put(url: URL, body: Buffer): Promise<void> {
    const transport = url.protocol === 'http:' ? http : https;
    return new Promise((resolve, reject) => {
      const request = transport.request(url, {
        method: 'PUT',
        headers: { 'content-type': '', 'content-length': body.length },
        timeout: this.requestTimeoutMs,
      }, (answer) => {
        answer.resume();
        answer.on('end', () => {
          const status = answer.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            resolve();
          } else {
            reject(new Error(`CloudFormation response URL answered HTTP ${status}`));
          }
        });
        answer.on('error', reject);
      });
      request.on('timeout', () => request.destroy(new Error(`CloudFormation response PUT timed out after ${this.requestTimeoutMs} ms`)));
      request.on('error', reject);
      request.end(body);
    });
  }
}
