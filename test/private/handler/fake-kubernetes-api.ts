import * as http from 'http';
import * as https from 'https';
import { AddressInfo } from 'net';
import { FakeObjectStore } from './fake-object-store';

/** A ConfigMap as the fake stores it. */
export interface StoredConfigMap {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  metadata: { name: string; namespace: string; resourceVersion: string; [field: string]: unknown };
  data?: { [key: string]: string };
  [field: string]: unknown;
}

/** A request as the fake received it. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization?: string;
  /** The request's content type. */
  readonly contentType?: string;
  /** Parsed JSON body of PUT, POST and PATCH. */
  readonly body?: any;
}

/** What `setAwsAuth` and interfering writers store: data and metadata; the fake fills in the rest. */
export interface ConfigMapContent {
  metadata?: { [field: string]: unknown };
  data?: { [key: string]: string };
  [field: string]: unknown;
}

type Method = 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

/**
 * A fault applied to the next `times` requests whose method is in `methods` (every method when absent), after
 * letting the first `skip` of them through:
 * - `interfere`: another writer stores `change(current)` (or deletes aws-auth when it returns `undefined`) just
 *   before this request is handled: a stale PUT then gets 409, a PUT after a delete 404, a POST after a create 409;
 * - `status`: answer with this HTTP status and a Kubernetes Status body (with `message`, and a `Retry-After` header
 *   when `retryAfterSeconds` is set), without touching anything;
 * - `garble`: handle the request, then answer 200 with the first half of the body (complete, but cut JSON), or with
 *   `replacement` (a proxy's HTML page, say);
 * - `slow`: handle the request, then hold the answer back for `delayMs` (beyond a client's timeout, the write has landed);
 * - `reset`: destroy the socket without an answer, after handling the request when `afterApplying` is set;
 * - `hold`: keep the request until `release()` resolves (other clients' requests go through meanwhile), then handle it.
 */
export type Fault = { readonly skip?: number } & (
  | {
    readonly kind: 'interfere';
    readonly times: number;
    readonly methods?: Method[];
    readonly change: (current: StoredConfigMap | undefined) => ConfigMapContent | undefined;
  }
  | {
    readonly kind: 'status';
    readonly times: number;
    readonly methods?: Method[];
    readonly status: number;
    readonly message?: string;
    readonly retryAfterSeconds?: number;
  }
  | { readonly kind: 'garble'; readonly times: number; readonly methods?: Method[]; readonly replacement?: string }
  | { readonly kind: 'slow'; readonly times: number; readonly methods?: Method[]; readonly delayMs: number }
  | { readonly kind: 'reset'; readonly times: number; readonly methods?: Method[]; readonly afterApplying?: boolean }
  | { readonly kind: 'hold'; readonly times: number; readonly methods?: Method[]; readonly release: () => Promise<unknown> });

type PendingFault = Fault & { remaining: number; toSkip: number };

const REASONS: { [status: number]: string } = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
};

const CONFIG_MAPS = /^\/api\/v1\/namespaces\/([^/]+)\/configmaps(?:\/([^/?]+))?$/;

/**
 * A Kubernetes API server on 127.0.0.1 and a free port. ConfigMaps read with GET (one, or a LIST of a namespace) and
 * written with PUT/POST (aws-auth) have real optimistic concurrency: one monotonic resourceVersion counter, 409
 * Conflict on a stale PUT, 409 AlreadyExists on POST of an existing name, 404 NotFound when absent. Every other object
 * path, and PATCH/DELETE, goes to `objects` (discovery, server-side apply with field managers, finalizers, CRDs).
 * Kubernetes-shaped Status bodies; faults are injected per request.
 */
export class FakeKubernetesApi {
  /** Starts a server: plain HTTP, or HTTPS with the given key and certificate. */
  public static async start(tls?: { key: string; cert: string }): Promise<FakeKubernetesApi> {
    const api = new FakeKubernetesApi();
    const listener = (request: http.IncomingMessage, response: http.ServerResponse) => api.handle(request, response);
    api.server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, listener) : http.createServer(listener);
    await new Promise<void>((resolve) => api.server.listen(0, '127.0.0.1', resolve));
    const port = (api.server.address() as AddressInfo).port;
    api.endpoint = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
    return api;
  }

  /** `http://127.0.0.1:<port>` or `https://…`. */
  public endpoint = '';
  /** Every request, in arrival order. */
  public readonly requests: RecordedRequest[] = [];
  /** 409 answers given (Conflict and AlreadyExists). */
  public conflictsAnswered = 0;
  /** Objects applied with server-side apply, and discovery. */
  public readonly objects = new FakeObjectStore();

  private server!: http.Server;
  private readonly configMaps = new Map<string, StoredConfigMap>();
  private readonly faults: PendingFault[] = [];
  private resourceVersion = 1000;

  private constructor() {}

  /** Sets `kube-system/aws-auth` as if someone else wrote it (a new resourceVersion), or deletes it. */
  public setAwsAuth(configMap: ConfigMapContent | undefined): void {
    if (!configMap) {
      this.configMaps.delete('kube-system/aws-auth');
      return;
    }
    this.store({
      ...configMap,
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { ...configMap.metadata, name: 'aws-auth', namespace: 'kube-system', resourceVersion: '' },
    });
  }

  /** `kube-system/aws-auth` as stored now (a copy). */
  public awsAuth(): StoredConfigMap | undefined {
    return this.configMap('aws-auth');
  }

  /** A ConfigMap of `kube-system` as stored now (a copy). */
  public configMap(name: string): StoredConfigMap | undefined {
    const stored = this.configMaps.get(`kube-system/${name}`);
    return stored ? JSON.parse(JSON.stringify(stored)) : undefined;
  }

  /** Sets a ConfigMap of `kube-system` as if someone else wrote it, or deletes it. */
  public setConfigMap(name: string, configMap: ConfigMapContent | undefined): void {
    if (!configMap) {
      this.configMaps.delete(`kube-system/${name}`);
      return;
    }
    this.store({
      ...configMap,
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { ...configMap.metadata, name, namespace: 'kube-system', resourceVersion: '' },
    });
  }

  /** Writes (PUT and POST) of one ConfigMap of `kube-system`. */
  public writesTo(name: string): number {
    return this.requests.filter((request) => request.method !== 'GET'
      && (request.path.endsWith(`/configmaps/${name}`) || (request.path.endsWith('/configmaps') && request.body?.metadata?.name === name))).length;
  }

  /** Queues a fault; faults apply in the order added. */
  public inject(fault: Fault): void {
    this.faults.push({ ...fault, remaining: fault.times, toSkip: fault.skip ?? 0 });
  }

  /** Drops pending faults, the request log and the conflict count (between tests). */
  public resetFaults(): void {
    this.faults.length = 0;
    this.requests.length = 0;
    this.conflictsAnswered = 0;
  }

  /** Requests counted by method. */
  public count(method: Method): number {
    return this.requests.filter((request) => request.method === method).length;
  }

  /** Every request as `METHOD path` without its query, in arrival order: the sequence a test asserts. */
  public trail(): string[] {
    return this.requests.map((request) => `${request.method} ${request.path.split('?')[0]}`);
  }

  /** Stops listening and drops open connections. */
  public async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const method = request.method as Method;
      const text = Buffer.concat(chunks).toString('utf8');
      this.requests.push({
        method, path: request.url ?? '', authorization: request.headers.authorization, contentType: request.headers['content-type'], body: parseOrUndefined(text),
      });
      let fault = this.takeFault(method);
      if (fault?.kind === 'hold') {
        await fault.release();
        fault = undefined;
      }
      if (fault?.kind === 'status') {
        const headers = fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
        return this.send(response, fault.status, statusBody(fault.status, fault.message ?? `injected ${fault.status}`), headers);
      }
      if (fault?.kind === 'reset' && !fault.afterApplying) {
        return request.socket.destroy();
      }
      if (fault?.kind === 'interfere') {
        this.setAwsAuth(fault.change(this.awsAuth()));
      }
      const [status, body] = this.apply(method, request.url ?? '', text);
      if (fault?.kind === 'reset') {
        return request.socket.destroy();
      }
      if (fault?.kind === 'slow') {
        setTimeout(() => this.send(response, status, body), fault.delayMs).unref();
        return;
      }
      if (fault?.kind === 'garble') {
        const whole = JSON.stringify(body);
        response.writeHead(200, { 'content-type': 'application/json' });
        return response.end(fault.replacement ?? whole.slice(0, Math.floor(whole.length / 2)));
      }
      this.send(response, status, body);
    });
  }

  private takeFault(method: Method): PendingFault | undefined {
    for (const fault of this.faults) {
      if (fault.remaining <= 0 || (fault.methods && !fault.methods.includes(method))) {
        continue;
      }
      if (fault.toSkip > 0) {
        fault.toSkip--;
        continue;
      }
      fault.remaining--;
      return fault;
    }
    return undefined;
  }

  /** The API semantics: [status, body]. */
  private apply(method: Method, url: string, text: string): [number, unknown] {
    const match = CONFIG_MAPS.exec(url.split('?')[0]);
    const key = match ? `${match[1]}/${match[2]}` : '';
    if (!match || method === 'PATCH' || method === 'DELETE' || (method === 'GET' && !this.configMaps.has(key) && this.objects.has(url))) {
      return this.objects.handle(method, url, text) ?? [404, statusBody(404, `the server could not find the requested resource (${url})`)];
    }
    const [, namespace, name] = match;
    if (method === 'GET' && name) {
      const stored = this.configMaps.get(key);
      return stored ? [200, stored] : [404, statusBody(404, `configmaps "${name}" not found`, name)];
    }
    if (method === 'GET') {
      return [200, this.list(namespace)];
    }
    let body: StoredConfigMap;
    try {
      body = JSON.parse(text);
    } catch {
      return [400, statusBody(400, 'the request body is not JSON')];
    }
    if (method === 'POST' && !name) {
      const newKey = `${namespace}/${body.metadata?.name}`;
      if (this.configMaps.has(newKey)) {
        return [409, statusBody(409, `configmaps "${body.metadata.name}" already exists`, body.metadata.name, 'AlreadyExists')];
      }
      return [201, this.store({ ...body, metadata: { ...body.metadata, namespace, resourceVersion: '' } })];
    }
    if (method === 'PUT' && name) {
      const stored = this.configMaps.get(key);
      if (!stored) {
        return [404, statusBody(404, `configmaps "${name}" not found`, name)];
      }
      if (body.metadata?.name !== name) {
        return [400, statusBody(400, 'the name of the object does not match the name on the URL')];
      }
      // Like the real API server, a PUT without resourceVersion is an unconditional update.
      if (body.metadata.resourceVersion && body.metadata.resourceVersion !== stored.metadata.resourceVersion) {
        return [409, statusBody(409, `Operation cannot be fulfilled on configmaps "${name}": the object has been modified; `
          + 'please apply your changes to the latest version and try again', name)];
      }
      return [200, this.store({ ...body, metadata: { ...body.metadata, uid: stored.metadata.uid, namespace } })];
    }
    return [405, statusBody(405, `${method} is not supported on ${url}`)];
  }

  /**
   * A `ConfigMapList` of the namespace, as the API server answers a LIST: the list carries `kind`, `apiVersion` and the
   * collection's resourceVersion; its items carry neither `kind` nor `apiVersion`, only their own metadata.
   */
  private list(namespace: string): unknown {
    const items = [...this.configMaps.values()]
      .filter((configMap) => configMap.metadata.namespace === namespace)
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
      .map(({ apiVersion, kind, ...item }) => item);
    return { kind: 'ConfigMapList', apiVersion: 'v1', metadata: { resourceVersion: String(this.resourceVersion) }, items };
  }

  private store(configMap: StoredConfigMap): StoredConfigMap {
    const key = `${configMap.metadata.namespace}/${configMap.metadata.name}`;
    const stored = JSON.parse(JSON.stringify(configMap)) as StoredConfigMap;
    stored.metadata.resourceVersion = String(++this.resourceVersion);
    stored.metadata.uid = stored.metadata.uid ?? `uid-${this.resourceVersion}`;
    this.configMaps.set(key, stored);
    return stored;
  }

  private send(response: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
    if (status === 409) {
      this.conflictsAnswered++;
    }
    response.on('error', () => undefined);
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  }
}

function parseOrUndefined(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** A Kubernetes `Status` error body. */
function statusBody(code: number, message: string, name?: string, reason = REASONS[code] ?? 'Unknown'): unknown {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(name ? { details: { name, kind: 'configmaps' } } : {}),
    code,
  };
}
