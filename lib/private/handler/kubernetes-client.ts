import * as http from 'http';
import * as https from 'https';
import { URL } from 'url';
import { throwIfAborted } from './work-abort';

export { WorkAbortedError } from './work-abort';

/** HTTP methods the handler needs. */
export type KubernetesMethod = 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

/** Status and raw body of a Kubernetes API response; non-2xx statuses are answers, not exceptions. */
export interface KubernetesResponse {
  readonly statusCode: number;
  readonly body: string;
  /** The `Retry-After` header, when the server sent one (seconds, on 429 and 503). */
  readonly retryAfter?: string;
}

/** Per-request options. */
export interface KubernetesRequestOptions {
  /**
   * Content type of the body.
   * @default 'application/json'
   */
  readonly contentType?: string;
}

/**
 * Sends one request to the Kubernetes API; rejects only when no HTTP answer arrived (network, TLS, timeout), or
 * with `WorkAbortedError` when the handler has already answered CloudFormation.
 */
export interface KubernetesRequester {
  request(method: KubernetesMethod, path: string, body?: unknown, options?: KubernetesRequestOptions): Promise<KubernetesResponse>;
}

/** How long `Retry-After` asks to wait, in milliseconds; undefined when absent or not a number of seconds. */
export function retryAfterMs(response: KubernetesResponse): number | undefined {
  const seconds = response.retryAfter === undefined ? NaN : Number(response.retryAfter.trim());
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/** Where the API server is and how to prove who we are. */
export interface KubernetesClientOptions {
  /** `https://…` (an EKS endpoint) or `http://…` (test servers only). */
  readonly endpoint: string;
  /** PEM of the cluster CA: the only CA trusted for `https` endpoints. Required for `https`. */
  readonly certificateAuthorityPem?: string;
  /** A fresh bearer token for each request (EKS tokens are short-lived). */
  readonly bearerToken: () => Promise<string>;
  /**
   * Limit on one request, from connecting to the last byte of the answer.
   * @default 10000
   */
  readonly requestTimeoutMs?: number;
  /**
   * Aborted once the handler has answered CloudFormation: no request starts afterwards, and one in flight is cut.
   * @default - never aborted
   */
  readonly signal?: AbortSignal;
}

/** A request that did not finish within its time limit; retried like a connection reset. */
export class KubernetesRequestTimeoutError extends Error {
  public readonly code = 'ETIMEDOUT';

  constructor(method: string, path: string, timeoutMs: number) {
    super(`${method} ${path} got no complete answer within ${timeoutMs} ms`);
    this.name = 'KubernetesRequestTimeoutError';
  }
}

/**
 * A minimal Kubernetes API client over Node's `http`/`https`. The cluster CA is passed as `ca:`, which replaces the
 * public roots: the API server must present a certificate from that CA, and verification is never turned off.
 * (`@kubernetes/client-node` cannot load on Node 20, see TOOLCHAIN.)
 */
export class KubernetesClient implements KubernetesRequester {
  private readonly endpoint: URL;
  private readonly requestTimeoutMs: number;

  constructor(private readonly options: KubernetesClientOptions) {
    this.endpoint = new URL(options.endpoint);
    if (this.endpoint.protocol !== 'https:' && this.endpoint.protocol !== 'http:') {
      throw new Error(`Kubernetes endpoint ${options.endpoint} must start with https:// (or http:// for tests)`);
    }
    if (this.endpoint.protocol === 'https:' && !options.certificateAuthorityPem) {
      throw new Error(`Kubernetes endpoint ${options.endpoint} has no certificate authority to verify it with`);
    }
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  }

  public async request(method: KubernetesMethod, path: string, body?: unknown, options: KubernetesRequestOptions = {}): Promise<KubernetesResponse> {
    throwIfAborted(this.options.signal, `before ${method} ${path}`);
    const token = await this.options.bearerToken();
    throwIfAborted(this.options.signal, `before ${method} ${path}`);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
    const headers: http.OutgoingHttpHeaders = {
      'accept': 'application/json',
      'authorization': `Bearer ${token}`,
      'user-agent': 'cdk-eks-fargate',
    };
    if (payload) {
      headers['content-type'] = options.contentType ?? 'application/json';
      headers['content-length'] = payload.length;
    }
    const requestOptions: https.RequestOptions = {
      method,
      protocol: this.endpoint.protocol,
      hostname: this.endpoint.hostname,
      port: this.endpoint.port || undefined,
      path: this.endpoint.pathname.replace(/\/$/, '') + path,
      headers,
      // One connection per request: no pooled socket can go stale between retries.
      agent: false,
      signal: this.options.signal,
    };
    if (this.endpoint.protocol === 'https:') {
      requestOptions.ca = this.options.certificateAuthorityPem;
    }
    return this.send(requestOptions, payload);
  }

  private send(options: https.RequestOptions, payload: Buffer | undefined): Promise<KubernetesResponse> {
    const transport = options.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const request = transport.request(options, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', fail);
        response.on('aborted', () => fail(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' })));
        response.on('end', () => {
          clearTimeout(timer);
          const retryAfter = response.headers['retry-after'];
          resolve({
            statusCode: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            ...(typeof retryAfter === 'string' ? { retryAfter } : {}),
          });
        });
      });
      // A whole-request limit rather than a socket idle limit: a server that trickles bytes cannot hold us.
      const timer = setTimeout(() => {
        request.destroy(new KubernetesRequestTimeoutError(options.method ?? 'GET', options.path ?? '', this.requestTimeoutMs));
      }, this.requestTimeoutMs);
      function fail(error: Error) {
        clearTimeout(timer);
        reject(error);
      }
      request.on('error', fail);
      request.end(payload);
    });
  }
}
