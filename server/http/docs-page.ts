/**
 * The API reference page (`GET /api/docs`): the OpenAPI document rendered to static HTML on the
 * server. No script at all and nothing from other origins; served under a CSP that forbids both.
 */
import type { OpenApiDocument } from './openapi.js';

/** CSP of the reference page: no script, no external resources, styles from its own `<style>`. */
export const DOCS_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

type Json = Record<string, unknown>;

const STYLE = `
:root{color-scheme:light dark}
body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1d2330}
code,pre{font:13px/1.45 ui-monospace,monospace;background:#f3f4f7;border-radius:4px}
code{padding:0 .25em}pre{padding:.75em;overflow:auto}
h2{margin-top:2.5rem;border-bottom:1px solid #dde}h3{margin:1.75rem 0 .25rem;font-size:1rem}
.m{display:inline-block;min-width:4.5em;margin-right:.4em;font:700 12px ui-monospace,monospace;text-transform:uppercase}
.get{color:#0a6}.post{color:#06c}.put{color:#639}.patch{color:#a60}.delete{color:#c22}
body{overflow-wrap:break-word}
.tw{overflow-x:auto;margin:.5rem 0}table{border-collapse:collapse}td,th{border:1px solid #dde;padding:.25em .5em;text-align:left;vertical-align:top;overflow-wrap:anywhere}
nav a,h3.op{display:flex;align-items:baseline}.m{flex:none}.path{min-width:0}.seg{white-space:nowrap}
@media (prefers-color-scheme:dark){body{background:#15181f;color:#dfe3ea}code,pre{background:#242936}h2,td,th{border-color:#394052}
a{color:#7ab7ff}a:visited{color:#c3a6ff}.get{color:#4fd1a1}.post{color:#6cb4ff}.put{color:#c39bff}.patch{color:#f0b45a}.delete{color:#ff7a7a}}`;

/** Renders the whole document as one HTML page. */
export function renderDocsPage(doc: OpenApiDocument): string {
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
  // No text between method and path inside the link: a space there would be an underlined blank before every path.
  const nav = operations.map(({ path, method, op }) => `<a href="#${esc(String(op['operationId']))}"><span class="m ${method}">${method}</span>${pathHtml(path)}</a>`);
  const body = operations.map(({ path, method, op }) => renderOperation(path, method, op));
  const schemas = Object.entries(doc.components.schemas).map(([name, schema]) => `<h3 id="schema-${esc(name)}">${esc(name)}</h3><pre>${esc(JSON.stringify(schema, null, 2))}</pre>`);
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(doc.info.title)} ${esc(doc.info.version)} — API reference</title><style>${STYLE}</style></head><body>`,
    `<h1>${esc(doc.info.title)} ${esc(doc.info.version)} — REST API</h1>`,
    ...doc.info.description.split('\n\n').map((p) => `<p>${inline(p)}</p>`),
    '<p>Machine-readable: <a href="/api/openapi.json"><code>/api/openapi.json</code></a> (OpenAPI 3.1). <a href="/">Back to the inbox</a>.</p>',
    `<nav>${nav.join('')}</nav>`,
    '<h2>Endpoints</h2>',
    ...body,
    '<h2>Schemas</h2>',
    ...schemas,
    '</body></html>',
  ].join('\n');
}

function renderOperation(path: string, method: string, op: Json): string {
  const parts = [`<h3 class="op" id="${esc(String(op['operationId']))}"><span class="m ${method}">${method}</span>${pathHtml(path)}</h3>`, `<p>${inline(String(op['summary']))}</p>`];
  const parameters = (op['parameters'] as Json[] | undefined) ?? [];
  if (parameters.length > 0) {
    const rows = parameters.map((p) => `<tr><td><code>${esc(String(p['name']))}</code></td><td>${esc(String(p['in']))}${p['required'] ? ', required' : ''}</td><td><code>${esc(schemaLabel(p['schema'] as Json))}</code></td><td>${inline(String(p['description'] ?? ''))}</td></tr>`);
    parts.push(`<div class="tw"><table><tr><th>parameter</th><th>in</th><th>schema</th><th>meaning</th></tr>${rows.join('')}</table></div>`);
  }
  const requestBody = op['requestBody'] as Json | undefined;
  if (requestBody) {
    const [type, media] = Object.entries(requestBody['content'] as Record<string, Json>)[0]!;
    parts.push(`<p>Body <code>${esc(type)}</code>: ${inline(String(requestBody['description'] ?? ''))}</p><details><summary>schema</summary><pre>${esc(JSON.stringify(media['schema'], null, 2))}</pre></details>`);
  }
  const responses = Object.entries(op['responses'] as Record<string, Json>).map(([status, response]) => {
    const content = response['content'] as Record<string, Json> | undefined;
    const [type, media] = content ? Object.entries(content)[0]! : ['', {}];
    return `<tr><td>${esc(status)}</td><td>${inline(String(response['description']))}</td><td>${type ? `<code>${esc(type)}</code> ${schemaLink(media['schema'] as Json)}` : ''}</td></tr>`;
  });
  parts.push(`<div class="tw"><table><tr><th>status</th><th>meaning</th><th>body</th></tr>${responses.join('')}</table></div>`);
  return parts.join('\n');
}

function schemaLabel(schema: Json | undefined): string {
  if (!schema) return '';
  const type = Array.isArray(schema['anyOf']) ? (schema['anyOf'] as Json[]).map((s) => String(s['type'])).join(' | ') : String(schema['type'] ?? (schema['enum'] ? 'enum' : 'any'));
  const extras = ['default', 'minimum', 'maximum', 'enum'].filter((k) => schema[k] !== undefined).map((k) => `${k} ${JSON.stringify(schema[k])}`);
  return extras.length > 0 ? `${type} (${extras.join(', ')})` : type;
}

function schemaLink(schema: Json | undefined): string {
  const ref = schema?.['$ref'];
  if (typeof ref === 'string') {
    const name = ref.split('/').pop()!;
    return `<a href="#schema-${esc(name)}">${esc(name)}</a>`;
  }
  return schema?.['type'] ? esc(String(schema['type'])) : '';
}

/**
 * A path as `<code>` that wraps only after a `/` (`<wbr>`), never inside a segment such as
 * `list-unsubscribe` or `{partId}`; every segment escaped.
 */
function pathHtml(path: string): string {
  return `<code class="path">${path.split('/').map((segment) => `<span class="seg">${esc(segment)}</span>`).join('/<wbr>')}</code>`;
}

/** Escapes text for HTML, then turns `code spans` into `<code>`. */
function inline(text: string): string {
  return esc(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}
