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
  /** Status codes and what they mean; a schema when the body is documented. */
  responses: Record<number, string | { description: string; schema: TSchema }>;
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
  const out = JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
  delete out.$id;
  return out;
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

/**
 * Answers every operation can give whatever its route says: a wrong method on its path (405), and
 * for a body, one that does not decode (400) or comes in an encoding or charset we don't read (415).
 */
export function genericErrorResponses(hasBody: boolean): Record<string, Record<string, unknown>> {
  return {
    ...(hasBody
      ? {
          400: { description: 'Invalid body: not JSON, not UTF-8, does not inflate as its Content-Encoding says, or fails the schema (each field named)', headers: noStore, content: problemContent },
          415: { description: 'Unsupported Content-Encoding or charset', headers: noStore, content: problemContent },
        }
      : {}),
    405: {
      description: 'The path exists, but not for this method',
      headers: { Allow: { description: 'The methods the path answers', schema: { type: 'string' } }, ...noStore },
      content: problemContent,
    },
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
        const responses: Record<string, unknown> = genericErrorResponses(doc.body !== undefined);
        for (const [code, r] of Object.entries(doc.responses)) {
          const description = typeof r === 'string' ? r : r.description;
          if (Number(code) >= 400) {
            // A route's own 400 keeps its wording; the problem body is the same whatever the route.
            responses[code] = { description, headers: noStore, content: problemContent };
            continue;
          }
          const schema = typeof r === 'string' ? undefined : plain(r.schema);
          responses[code] = { description, ...(schema ? { content: { 'application/json': { schema } } } : {}) };
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
