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

const errorSchema = {
  type: 'object',
  properties: {
    statusCode: { type: 'integer' },
    error: { type: 'string' },
    message: { type: 'string', description: 'Names every offending field' },
    issues: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
  },
};

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
        const responses: Record<string, unknown> = {};
        for (const [code, r] of Object.entries(doc.responses)) {
          const description = typeof r === 'string' ? r : r.description;
          const schema = typeof r === 'string' ? (Number(code) >= 400 ? errorSchema : undefined) : plain(r.schema);
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
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'API key (or X-API-Key header)' } } },
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
