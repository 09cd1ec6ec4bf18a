import { Controller, Get, Inject, Injectable, Module, RequestMethod, SetMetadata, type DynamicModule, type INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryModule, DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { TSchema } from '@sinclair/typebox';
import { serve, setup } from 'swagger-ui-express';

const OPENAPI = Symbol('jobstream:openapi');

export interface ApiDoc {
  summary: string;
  description?: string;
  /** The same TypeBox schemas the route's pipes validate with. */
  body?: TSchema;
  query?: TSchema;
  params?: Record<string, TSchema>;
  /** Request headers the route reads besides the API key. */
  headers?: Record<string, { description: string; schema: TSchema }>;
  /**
   * Every status the route itself can answer. A 2xx needs the schema of its body (a spec checks
   * it); a 4xx/5xx is always a problem document. The answers implied by `auth`, `body`, `params`
   * and `query` (401/403, 400/413/415) are added by the generator.
   */
  responses: Record<number, string | { description: string; schema: TSchema; contentType?: string }>;
  /** Which API key role the route needs; public routes omit it. */
  auth?: string;
}

/** Documents a route in the service's OpenAPI document. */
export const ApiRoute = (doc: ApiDoc) => SetMetadata(OPENAPI, doc);

const METHODS: Record<number, string> = {
  [RequestMethod.GET]: 'get',
  [RequestMethod.POST]: 'post',
  [RequestMethod.PUT]: 'put',
  [RequestMethod.PATCH]: 'patch',
  [RequestMethod.DELETE]: 'delete',
};

/** JSON Schema → OpenAPI 3.1 schema: drop TypeBox's symbols and JSON-Schema-only keys OpenAPI tools trip on. */
function plain(schema: TSchema): Record<string, unknown> {
  // Nested $ids too (TypeBox names some shared objects): in OpenAPI 3.1 they would rebase URIs.
  // TypeBox writes tuples in draft-07 form (`items: [...]`, `additionalItems`), which OpenAPI 3.1
  // (JSON Schema 2020-12) spells `prefixItems`. Ours are pairs of one type (25th and 75th
  // percentile), i.e. a two-item array of that type: the form every tool reads, schemathesis included.
  return JSON.parse(JSON.stringify(schema), (key, value: unknown) => {
    if (key === '$id') return undefined;
    if (value && typeof value === 'object' && Array.isArray((value as { items?: unknown }).items)) {
      const { items, additionalItems: _closed, ...rest } = value as { items: unknown[]; additionalItems?: unknown };
      const same = items.every((item) => JSON.stringify(item) === JSON.stringify(items[0]));
      return same ? { ...rest, items: items[0] ?? {} } : { ...rest, prefixItems: items, items: false };
    }
    return value;
  }) as Record<string, unknown>;
}

/** RFC 9457 problem details, with the members errors carried before as extension members. */
export const problemSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'instance', 'statusCode', 'error', 'message'],
  properties: {
    type: { type: 'string', description: 'A URI naming the kind of problem, or about:blank' },
    title: { type: 'string', description: 'The status reason phrase' },
    status: { type: 'integer' },
    detail: { type: 'string', description: 'What went wrong, naming every offending field' },
    instance: { type: 'string', description: 'The request path' },
    statusCode: { type: 'integer', description: 'Same as status (kept for existing clients)' },
    error: { type: 'string', description: 'Same as title (kept for existing clients)' },
    message: { type: 'string', description: 'Same as detail (kept for existing clients)' },
    issues: {
      type: 'array',
      description: 'One entry per offending field, as a JSON pointer',
      items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } },
    },
  },
  additionalProperties: true,
};

const problemRef = { $ref: '#/components/schemas/Problem' };
const problemContent = { 'application/problem+json': { schema: problemRef } };
const noStore = { 'Cache-Control': { description: 'no-store: errors are never cached', schema: { type: 'string' } } };

const retryAfter = { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'string' } } };
const problem = (description: string, headers: Record<string, unknown> = {}) => ({ description, headers: { ...headers, ...noStore }, content: problemContent });

/**
 * Answers an operation can give whatever its route says: a wrong method on its path (405); for a
 * body, one that does not decode (400), is over the body limit (413) or comes in an encoding or
 * charset we don't read (415); for path or query parameters, one that fails its schema (400); for
 * a key-protected route, no valid key (401) or a key without the role (403).
 */
export function genericErrorResponses(hasBody: boolean, options: { parameters?: boolean; auth?: boolean } = {}): Record<string, Record<string, unknown>> {
  return {
    ...(options.parameters ? { 400: problem('A path or query parameter fails its schema (each one named)') } : {}),
    ...(hasBody
      ? {
          400: problem('Invalid body: not JSON, not UTF-8, does not inflate as its Content-Encoding says, or fails the schema (each field named)'),
          413: problem('The body is larger than HTTP_BODY_LIMIT'),
          415: problem('Unsupported Content-Encoding or charset'),
        }
      : {}),
    ...(options.auth
      ? {
          401: problem('No API key, or an unknown one (Authorization: Bearer <key> or X-API-Key)'),
          403: problem('The key lacks the role, or may not write this company'),
        }
      : {}),
    405: problem('The path exists, but not for this method', { Allow: { description: 'The methods the path answers', schema: { type: 'string' } } }),
  };
}

const joinPath = (...parts: string[]) =>
  `/${parts
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/')}`.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

@Injectable()
export class OpenApiDocument {
  private cached?: Record<string, unknown>;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    @Inject('OPENAPI_INFO') private readonly info: { title: string; description: string; version: string },
  ) {}

  build(): Record<string, unknown> {
    if (this.cached) return this.cached;
    const paths: Record<string, Record<string, unknown>> = {};
    for (const wrapper of this.discovery.getControllers()) {
      const instance = wrapper.instance as object | undefined;
      if (!instance || !wrapper.metatype) continue;
      const base = (this.reflector.get<string | undefined>(PATH_METADATA, wrapper.metatype) ?? '');
      const proto = Object.getPrototypeOf(instance) as Record<string, unknown>;
      for (const name of this.scanner.getAllMethodNames(proto)) {
        const handler = proto[name] as () => unknown;
        const doc = this.reflector.get<ApiDoc | undefined>(OPENAPI, handler);
        if (!doc) continue;
        const method = METHODS[this.reflector.get<number>(METHOD_METADATA, handler)];
        const path = joinPath(base, this.reflector.get<string>(PATH_METADATA, handler) ?? '');
        const parameters: Record<string, unknown>[] = [];
        for (const [param, schema] of Object.entries(doc.params ?? {})) parameters.push({ name: param, in: 'path', required: true, schema: plain(schema) });
        if (doc.query) {
          const q = plain(doc.query) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
          for (const [param, schema] of Object.entries(q.properties ?? {})) {
            parameters.push({ name: param, in: 'query', required: q.required?.includes(param) ?? false, description: schema.description, schema });
          }
        }
        for (const [header, h] of Object.entries(doc.headers ?? {})) parameters.push({ name: header, in: 'header', required: false, description: h.description, schema: plain(h.schema) });
        const responses: Record<string, unknown> = genericErrorResponses(doc.body !== undefined, { parameters: doc.query !== undefined || doc.params !== undefined, auth: doc.auth !== undefined });
        for (const [code, r] of Object.entries(doc.responses)) {
          const description = typeof r === 'string' ? r : r.description;
          if (Number(code) >= 400) {
            // A route's own wording wins; the problem body is the same whatever the route.
            responses[code] = problem(description, Number(code) === 429 || Number(code) === 503 ? retryAfter : {});
            continue;
          }
          const content = typeof r === 'string' ? undefined : { [r.contentType ?? 'application/json']: { schema: plain(r.schema) } };
          responses[code] = { description, ...(content ? { content } : {}) };
        }
        paths[path] ??= {};
        paths[path][method] = {
          summary: doc.summary,
          ...(doc.description ? { description: doc.description } : {}),
          operationId: `${wrapper.name}.${name}`,
          ...(parameters.length ? { parameters } : {}),
          ...(doc.body ? { requestBody: { required: true, content: { 'application/json': { schema: plain(doc.body) } } } } : {}),
          ...(doc.auth ? { security: [{ apiKey: [] }], 'x-required-role': doc.auth } : {}),
          responses,
        };
      }
    }
    this.cached = {
      openapi: '3.1.0',
      info: this.info,
      components: { schemas: { Problem: problemSchema }, securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'API key (or X-API-Key header)' } } },
      paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    };
    return this.cached;
  }
}

@Controller()
class OpenApiController {
  constructor(private readonly doc: OpenApiDocument) {}

  @Get('docs-json')
  json(): Record<string, unknown> {
    return this.doc.build();
  }
}

@Module({})
export class OpenApiModule {
  static forRoot(info: { title: string; description: string; version?: string }): DynamicModule {
    return {
      module: OpenApiModule,
      imports: [DiscoveryModule],
      controllers: [OpenApiController],
      providers: [OpenApiDocument, { provide: 'OPENAPI_INFO', useValue: { version: '1.0.0', ...info } }],
      exports: [OpenApiDocument],
    };
  }
}

/** Serves Swagger UI at /docs over the generated document. */
export function mountDocsUi(app: INestApplication): void {
  const doc = app.get(OpenApiDocument, { strict: false });
  app.use('/docs', serve, setup(doc.build()));
}
