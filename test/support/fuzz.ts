import fc from 'fast-check';

/**
 * Schema-driven fuzzing of the HTTP contract. Requests are generated from the committed OpenAPI document's
 * request schemas (path parameters, query, bodies): mostly well-formed, with hostile values mixed in (NUL
 * bytes, nulls, wrong types, integers past int64, bad and blocked URLs, repeated query keys, deep nesting,
 * oversized and malformed bodies). Any 5xx fails; a face may plug in a check of its own error bodies.
 */

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, Schema> };
}

interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

interface OpenApiOperation {
  operationId?: string;
  parameters?: OpenApiParameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  'x-public'?: boolean;
}

export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  additionalProperties?: boolean | Schema;
  example?: unknown;
}

export interface FuzzOperation {
  operationId: string;
  method: string;
  path: string;
  public: boolean;
  pathParams: OpenApiParameter[];
  queryParams: OpenApiParameter[];
  bodySchema?: Schema;
}

export interface FuzzRequest {
  method: string;
  /** Path with parameters substituted and the query string appended. */
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface FuzzResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON when the response is JSON, else undefined. */
  json?: unknown;
  ms: number;
}

/** A face's own assertion on a response; returns a failure message, or undefined when the response is fine. */
export type ResponseCheck = (operation: FuzzOperation, request: FuzzRequest, response: FuzzResponse) => string | undefined;

export interface FuzzFailure {
  operationId: string;
  request: FuzzRequest;
  status: number;
  reason: string;
  /** The start of the response body. */
  body: string;
}

export interface FuzzReport {
  seed: number;
  operations: number;
  requests: number;
  byClass: Record<'2xx' | '3xx' | '4xx' | '5xx', number>;
  /** Operations that answered at least one 5xx. */
  operationsWith5xx: string[];
  failures: FuzzFailure[];
  elapsedMs: number;
  slowestMs: number;
  /** True when the time budget ended the walk before every planned request was sent. */
  truncated: boolean;
}

export interface FuzzOptions {
  baseUrl: string;
  document: OpenApiDocument;
  /** Sent as a bearer key on every request (public operations too: they must ignore it). */
  key?: string;
  /** Extra headers on every request (e.g. X-Organization-Id). */
  headers?: Record<string, string>;
  /** Real values for path parameters by name (org_id, project_id, ...), so requests reach past the lookups. */
  seeds?: Record<string, string[]>;
  /** Operations to walk; default every operation in the document. */
  include?: (operation: FuzzOperation) => boolean;
  requestsPerOperation?: number;
  /** Stops sending new requests once this much time has passed. */
  timeBudgetMs?: number;
  /** Per-request timeout: a hang counts as a failure. */
  requestTimeoutMs?: number;
  concurrency?: number;
  seed?: number;
  /** Face-specific checks, e.g. that 4xx bodies have the face's error shape. */
  checks?: ResponseCheck[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Every operation of the document with its parameters and JSON body schema, in a stable order. */
export function operationsOf(document: OpenApiDocument): FuzzOperation[] {
  const out: FuzzOperation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const params = op.parameters ?? [];
      const content = op.requestBody?.content ?? {};
      const json = Object.entries(content).find(([type]) => type.includes('json'))?.[1];
      out.push({
        operationId: op.operationId ?? `${method} ${path}`,
        method: method.toUpperCase(),
        path,
        public: op['x-public'] === true,
        pathParams: params.filter((p) => p.in === 'path'),
        queryParams: params.filter((p) => p.in === 'query'),
        bodySchema: json?.schema ?? (op.requestBody ? {} : undefined),
      });
    }
  }
  return out;
}

const INT64_OVERFLOW = '9223372036854775808';

/** Strings that have broken parsers, drivers and URL handling before. */
const HOSTILE_STRINGS = [
  '',
  ' ',
  'a\u0000b',
  '\u0000',
  'x'.repeat(5000),
  '\ud800',
  '😀'.repeat(50),
  "' OR 1=1 --",
  '../../etc/passwd',
  '%00',
  '%',
  '\\',
  '{"a":1}',
  '[]',
  'null',
  'true',
  '-1',
  '0',
  '1e400',
  '1.5',
  INT64_OVERFLOW,
  '99999999999999999999999999',
  '-9223372036854775809',
  '00000000-0000-0000-0000-000000000000',
  '00000000-0000-4000-8000-00000000000g',
  'http://',
  'http://[::1',
  'http://127.0.0.1/',
  'http://[::ffff:127.0.0.1]/',
  'http://169.254.169.254/latest/meta-data',
  'http://localhost:0/',
  'https://exa mple.com/',
  'https://example.com:99999/',
  'javascript:alert(1)',
  'file:///etc/passwd',
  'not a url',
  '//evil.example',
  'user@',
  '@',
  'a@b',
  'x@example.test\r\nBcc: y@example.test',
];

const HOSTILE_NUMBERS = [0, -1, -0.5, 1.5, 2 ** 31, 2 ** 53, 1e21, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE];

/** Any JSON value, biased towards the nasty ones. */
function hostileJson(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom(...HOSTILE_STRINGS),
    fc.constantFrom(...HOSTILE_NUMBERS),
    fc.constantFrom<unknown>(null, true, false, [], {}, [null], { '': null }, JSON.parse('{"__proto__":{"polluted":1}}'), { constructor: { prototype: {} } }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constant(JSON.parse(`{"a":${'['.repeat(40)}${']'.repeat(40)}}`) as unknown),
  );
}

/** A raw string inserted as a JSON number token (JSON.stringify cannot write values past 2^53 exactly). */
const RAW_NUMBER = '\u0001RAW:';

function formatString(schema: Schema): fc.Arbitrary<string> {
  if (schema.enum) return fc.constantFrom(...schema.enum.map(String));
  switch (schema.format) {
    case 'uuid':
      return fc.uuid();
    case 'date-time':
      return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
    case 'email':
      return fc.emailAddress();
    case 'uri':
    case 'url':
      return fc.oneof(fc.webUrl(), fc.constantFrom('https://example.com/', 'http://127.0.0.1:1/'));
    default:
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 30, 64) });
  }
}

class SchemaArbitraries {
  constructor(private readonly document: OpenApiDocument) {}

  resolve(schema: Schema): Schema {
    let s = schema;
    for (let i = 0; s.$ref && i < 20; i++) {
      const name = s.$ref.split('/').pop() as string;
      s = this.document.components?.schemas?.[name] ?? {};
    }
    if (s.allOf?.length) {
      const parts = s.allOf.map((p) => this.resolve(p));
      return {
        ...s,
        allOf: undefined,
        type: parts.find((p) => p.type)?.type ?? s.type,
        properties: Object.assign({}, ...parts.map((p) => p.properties ?? {}), s.properties),
        required: [...parts.flatMap((p) => p.required ?? []), ...(s.required ?? [])],
        enum: parts.find((p) => p.enum)?.enum ?? s.enum,
      };
    }
    return s;
  }

  /** A value that conforms to the schema (as far as the document says). */
  valid(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
    const s = this.resolve(schema);
    const alternatives = s.oneOf ?? s.anyOf;
    if (alternatives?.length) return fc.oneof(...alternatives.map((a) => this.valid(a, depth + 1)));
    if (s.enum?.length) return fc.constantFrom(...s.enum);
    switch (s.type) {
      case 'string':
        return formatString(s);
      case 'integer':
        return fc.integer({ min: s.minimum ?? 0, max: s.maximum ?? 1000 });
      case 'number':
        return fc.double({ min: s.minimum ?? 0, max: s.maximum ?? 1000, noNaN: true });
      case 'boolean':
        return fc.boolean();
      case 'array':
        return depth > 4 ? fc.constant([]) : fc.array(this.valid(s.items ?? {}, depth + 1), { maxLength: 3 });
      case 'object':
      default: {
        if (depth > 5) return fc.constant({});
        const props = s.properties ?? {};
        const required = new Set(s.required ?? []);
        const record: Record<string, fc.Arbitrary<unknown>> = {};
        for (const [name, p] of Object.entries(props)) record[name] = this.valid(p, depth + 1);
        if (!Object.keys(record).length) return s.type === 'object' ? fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 2 }) : hostileJson();
        return fc.record(record, { requiredKeys: [...required].filter((k) => k in record) });
      }
    }
  }

  /** The schema's value with one hostile change: a field replaced, nulled, added or the whole value swapped. */
  mutated(schema: Schema): fc.Arbitrary<unknown> {
    const s = this.resolve(schema);
    const fields = Object.keys(s.properties ?? {});
    const whole = fc.oneof(hostileJson(), fc.constant(null), fc.constant([]));
    if (!fields.length) return whole;
    const replaceField = fc.tuple(this.valid(s), fc.constantFrom(...fields), hostileJson()).map(([value, field, bad]) => ({ ...(value as object), [field]: bad }));
    const nullField = fc.tuple(this.valid(s), fc.constantFrom(...fields)).map(([value, field]) => ({ ...(value as object), [field]: null }));
    const hugeInt = fc.tuple(this.valid(s), fc.constantFrom(...fields)).map(([value, field]) => ({ ...(value as object), [field]: `${RAW_NUMBER}${INT64_OVERFLOW}` }));
    const unknownField = this.valid(s).map((value) => ({ ...(value as object), unexpected: 'x' }));
    return fc.oneof({ weight: 4, arbitrary: replaceField }, { weight: 2, arbitrary: nullField }, hugeInt, unknownField, whole);
  }
}

function encodeJson(value: unknown): string {
  return JSON.stringify(value).replace(new RegExp(`"\\\\u0001RAW:([^"]*)"`, 'g'), '$1');
}

/** Bodies no schema describes: nesting bombs, broken syntax, non-objects, oversize. */
const RAW_BODIES: fc.Arbitrary<{ body: string; contentType: string }> = fc.oneof(
  fc.constantFrom(10_000, 1000, 200, 65).map((n) => ({ body: '['.repeat(n) + ']'.repeat(n), contentType: 'application/json' })),
  fc.constantFrom(5000, 100).map((n) => ({ body: '{"a":'.repeat(n) + '1' + '}'.repeat(n), contentType: 'application/json' })),
  fc.constant({ body: '['.repeat(20_000), contentType: 'application/json' }),
  fc.constant({ body: `[${'1,'.repeat(300_000)}1]`, contentType: 'application/json' }),
  fc.constantFrom('{', '{"a":', 'nul', '"\\ud800"', '{"a":"\\u0000"}', '1e999999', `${INT64_OVERFLOW}`, '"str"', '[]', 'null', '{"__proto__":{"x":1}}').map((body) => ({ body, contentType: 'application/json' })),
  fc.constant({ body: JSON.stringify({ a: 'x'.repeat(1100 * 1024) }), contentType: 'application/json' }),
  fc.constantFrom('text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded').map((contentType) => ({ body: 'a=1&a=2&b=%00', contentType })),
);

function paramValue(param: OpenApiParameter, arbs: SchemaArbitraries, seeds: Record<string, string[]>): fc.Arbitrary<string | string[]> {
  const seeded = seeds[param.name] ?? [];
  const valid = param.schema ? arbs.valid(param.schema).map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))) : fc.string({ maxLength: 12 });
  const options: fc.WeightedArbitrary<string | string[]>[] = [
    { weight: 3, arbitrary: valid },
    { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  ];
  if (seeded.length) options.push({ weight: 5, arbitrary: fc.constantFrom(...seeded) });
  if (param.in === 'query') options.push({ weight: 1, arbitrary: fc.array(valid, { minLength: 2, maxLength: 3 }) });
  return fc.oneof(...options);
}

function requestArbitrary(op: FuzzOperation, arbs: SchemaArbitraries, seeds: Record<string, string[]>): fc.Arbitrary<FuzzRequest> {
  const pathArb = fc.tuple(...op.pathParams.map((p) => paramValue(p, arbs, seeds).map((v) => (Array.isArray(v) ? v[0] : v))));
  const queryArb = fc.tuple(...op.queryParams.map((p) => fc.option(paramValue(p, arbs, seeds), { nil: undefined, freq: 3 })));
  type Body = { body?: string; contentType?: string };
  let bodyArb: fc.Arbitrary<Body> = fc.constant({});
  if (op.bodySchema) {
    const schema = op.bodySchema;
    bodyArb = fc.oneof(
      { weight: 4, arbitrary: arbs.valid(schema).map((v) => ({ body: encodeJson(v), contentType: 'application/json' })) },
      { weight: 5, arbitrary: arbs.mutated(schema).map((v) => ({ body: encodeJson(v), contentType: 'application/json' })) },
      { weight: 2, arbitrary: RAW_BODIES },
      { weight: 1, arbitrary: fc.constant<Body>({}) },
    );
  } else if (op.method !== 'GET' && op.method !== 'DELETE') {
    bodyArb = fc.oneof({ weight: 4, arbitrary: fc.constant<Body>({}) }, { weight: 1, arbitrary: RAW_BODIES });
  }
  return fc.tuple(pathArb, queryArb, bodyArb).map(([pathValues, queryValues, body]) => {
    let path = op.path;
    op.pathParams.forEach((p, i) => {
      path = path.replace(`{${p.name}}`, encodePathSegment(pathValues[i] as string));
    });
    const query = new URLSearchParams();
    op.queryParams.forEach((p, i) => {
      const v = queryValues[i];
      if (v === undefined) return;
      for (const one of Array.isArray(v) ? v : [v]) query.append(p.name, one);
    });
    const qs = query.toString();
    const headers: Record<string, string> = {};
    if (body.contentType) headers['content-type'] = body.contentType;
    return { method: op.method, url: qs ? `${path}?${qs}` : path, headers, body: body.body };
  });
}

/** Lone surrogates cannot be percent-encoded: send them as U+FFFD, as a browser would. */
function encodePathSegment(value: string): string {
  return encodeURIComponent(value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')) || '%20';
}

async function send(baseUrl: string, request: FuzzRequest, timeoutMs: number): Promise<FuzzResponse> {
  const started = performance.now();
  const res = await fetch(baseUrl + request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let json: unknown;
  if ((res.headers.get('content-type') ?? '').includes('json') && text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  return { status: res.status, headers: res.headers, text, json, ms: performance.now() - started };
}

/** Samples requests for every operation and sends them; returns counts and every failure (never throws on a 5xx). */
export async function fuzzOperations(options: FuzzOptions): Promise<FuzzReport> {
  const seed = options.seed ?? Date.now() % 2 ** 31;
  const perOperation = options.requestsPerOperation ?? 30;
  const budget = options.timeBudgetMs ?? 60_000;
  const timeout = options.requestTimeoutMs ?? 10_000;
  const arbs = new SchemaArbitraries(options.document);
  const operations = operationsOf(options.document).filter(options.include ?? (() => true));
  const seeds = options.seeds ?? {};
  // Deletions go last so that they do not remove the seeded objects the other operations reach for.
  const ordered = [...operations.filter((o) => o.method !== 'DELETE'), ...operations.filter((o) => o.method === 'DELETE')];
  const planned: { op: FuzzOperation; request: FuzzRequest }[] = [];
  ordered.forEach((op, index) => {
    for (const request of fc.sample(requestArbitrary(op, arbs, seeds), { numRuns: perOperation, seed: seed + index })) {
      request.headers = { ...options.headers, ...(options.key ? { authorization: `Bearer ${options.key}` } : {}), ...request.headers };
      planned.push({ op, request });
    }
  });

  const report: FuzzReport = { seed, operations: ordered.length, requests: 0, byClass: { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 }, operationsWith5xx: [], failures: [], elapsedMs: 0, slowestMs: 0, truncated: false };
  const with5xx = new Set<string>();
  const started = performance.now();
  let next = 0;
  // Requests of one operation run in order; the concurrency spreads across the plan.
  const worker = async () => {
    while (next < planned.length) {
      if (performance.now() - started > budget) {
        report.truncated = true;
        return;
      }
      const { op, request } = planned[next++];
      report.requests++;
      let response: FuzzResponse;
      try {
        response = await send(options.baseUrl, request, timeout);
      } catch (err) {
        report.failures.push({ operationId: op.operationId, request, status: 0, reason: `no response: ${(err as Error).message}`, body: '' });
        continue;
      }
      report.slowestMs = Math.max(report.slowestMs, response.ms);
      const klass = `${Math.floor(response.status / 100)}xx` as keyof FuzzReport['byClass'];
      if (klass in report.byClass) report.byClass[klass]++;
      const reasons: string[] = [];
      if (response.status >= 500) {
        with5xx.add(op.operationId);
        reasons.push(`status ${response.status}`);
      }
      for (const check of options.checks ?? []) {
        const reason = check(op, request, response);
        if (reason) reasons.push(reason);
      }
      if (reasons.length) report.failures.push({ operationId: op.operationId, request, status: response.status, reason: reasons.join('; '), body: response.text.slice(0, 300) });
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  report.operationsWith5xx = [...with5xx].sort();
  report.elapsedMs = Math.round(performance.now() - started);
  report.slowestMs = Math.round(report.slowestMs);
  return report;
}

/** A readable failure list for an assertion message: one line per failure, bodies and requests truncated. */
export function describeFailures(report: FuzzReport, max = 25): string {
  const lines = report.failures.slice(0, max).map((f) => {
    const body = f.request.body === undefined ? '' : ` body=${f.request.body.length > 120 ? `${f.request.body.slice(0, 120)}…(${f.request.body.length} bytes)` : f.request.body}`;
    return `${f.operationId}: ${f.reason} ← ${f.request.method} ${f.request.url.slice(0, 200)}${body} → ${f.body.slice(0, 160)}`;
  });
  const more = report.failures.length > max ? `\n… and ${report.failures.length - max} more` : '';
  return `seed ${report.seed}: ${report.failures.length} failures\n${lines.join('\n')}${more}`;
}
