/**
 * Generates the OpenAPI 3.1 document from {@link API_ROUTES} and the zod schemas in `schemas.ts`
 * with zod's own `z.toJSONSchema` (JSON Schema 2020-12, OpenAPI 3.1's dialect). Nothing in it is
 * written by hand but the prose.
 */
import { z } from 'zod';
import { API_ROUTES } from './api-spec.js';
import type { ResponseSpec, RouteSpec } from './api-spec.js';
import { COMPONENTS } from './schemas.js';

/** A JSON Schema object. */
type JsonSchema = Record<string, unknown>;

/** The OpenAPI document (the subset of fields mailsink emits). */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, JsonSchema>>;
  components: { schemas: Record<string, JsonSchema> };
}

const REF_PREFIX = '#/components/schemas/';

const DESCRIPTION = [
  'REST API of mailsink, a local fake SMTP server for tests. Errors are `{ "error": { "code", "message", "field"?, "details"? } }`.',
  'Reads never change state; only `PATCH /api/messages/{id}` marks a message read or sets its tags. The `mailpit` routes behave as Mailpit\'s own (`GET /api/v1/message/{id}` marks read there).',
  'With `--ui-auth-file`, every route but `/api/health` (and the WebSocket) needs HTTP basic auth: `401 unauthorized` otherwise. A write from another origin than the sink\'s own gets `403 origin_not_allowed` unless `--cors-origin` allows it. A request whose `Host` is not a loopback name, an IP address, this machine\'s name, `--host` or an `--allowed-host` gets `403 host_not_allowed` (DNS-rebinding protection), on every route and the WebSocket. JSON bodies are limited to 100 KiB (`413 payload_too_large`).',
  'Live events: WebSocket `/api/events` sends JSON `SinkEvent`s (`hello`, `message.received`, `message.updated`, `message.deleted`, `store.cleared`, `fault.triggered`, `faults.changed`, `message.delivery`, `rejection.recorded`), each with a rising `seq`.',
].join('\n\n');

/** Express path → OpenAPI path: `/api/messages/:id` → `/api/messages/{id}`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:(\w+)/g, '{$1}');
}

/** Builds the document for this version of the server. */
export function buildOpenApi(version: string): OpenApiDocument {
  const registry = z.registry<{ id: string }>();
  const names = new Map<z.ZodType, string>();
  for (const [id, schema] of Object.entries(COMPONENTS)) {
    registry.add(schema, { id });
    names.set(schema, id);
  }
  const generated = z.toJSONSchema(registry, { uri: (id) => `${REF_PREFIX}${id}`, io: 'output', target: 'draft-2020-12' }) as { schemas: Record<string, JsonSchema> };
  const schemas: Record<string, JsonSchema> = {};
  for (const [id, schema] of Object.entries(generated.schemas)) schemas[id] = clean(schema);
  const paths: OpenApiDocument['paths'] = {};
  for (const route of API_ROUTES) (paths[openApiPath(route.path)] ??= {})[route.method] = operation(route, names);
  return { openapi: '3.1.0', info: { title: 'mailsink', version, description: DESCRIPTION }, paths, components: { schemas } };
}

function operation(route: RouteSpec, names: Map<z.ZodType, string>): JsonSchema {
  const op: JsonSchema = { operationId: operationId(route), summary: route.summary, tags: [route.tag] };
  const parameters = [...parametersOf(route.params, 'path'), ...parametersOf(route.query, 'query')];
  if (parameters.length > 0) op['parameters'] = parameters;
  if (route.body) {
    const schema = route.body.schema === 'binary' ? { type: 'string', contentMediaType: route.body.type } : inputSchema(route.body.schema);
    op['requestBody'] = { required: true, description: route.body.description, content: { [route.body.type]: { schema } } };
  }
  const responses: JsonSchema = {};
  for (const [status, response] of Object.entries(route.responses)) responses[status] = responseObject(response, names);
  op['responses'] = responses;
  return op;
}

function responseObject(response: ResponseSpec, names: Map<z.ZodType, string>): JsonSchema {
  if (!response.type || !response.schema) return { description: response.description };
  let schema: JsonSchema;
  if (response.schema === 'text') schema = { type: 'string' };
  else if (response.schema === 'binary') schema = response.type.includes('*') ? { type: 'string' } : { type: 'string', contentMediaType: response.type };
  else {
    const name = names.get(response.schema);
    schema = name ? { $ref: `${REF_PREFIX}${name}` } : clean(z.toJSONSchema(response.schema, { io: 'output' }) as JsonSchema);
  }
  return { description: response.description, content: { [response.type]: { schema } } };
}

function parametersOf(schema: z.ZodObject | undefined, where: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const json = inputSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    const parameter: JsonSchema = { name, in: where, required: where === 'path' || (json.required ?? []).includes(name), schema: rest };
    if (typeof description === 'string') parameter['description'] = description;
    if (where === 'query' && (rest['anyOf'] !== undefined || rest['type'] === 'array')) parameter['explode'] = true;
    return parameter;
  });
}

function inputSchema(schema: z.ZodType): JsonSchema {
  return clean(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema);
}

function clean(schema: JsonSchema): JsonSchema {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

function operationId(route: RouteSpec): string {
  const words = route.path
    .replace(/^\/api\//, '')
    .split(/[/.-]/)
    .filter((w) => w !== '')
    .map((w) => (w.startsWith(':') ? `by ${w.slice(1)}` : w));
  return [route.method, ...words].join(' ').replace(/ (\w)/g, (_m, c: string) => c.toUpperCase());
}
