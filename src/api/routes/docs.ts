import { Router } from 'express';
import type { ApiDeps } from '../deps';
import { OPERATIONS, openApiDocument, type Operation } from '../openapi';

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

type Doc = ReturnType<typeof openApiDocument> & { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, unknown> } };

function pre(value: unknown): string {
  return `<pre>${escape(JSON.stringify(value, null, 2))}</pre>`;
}

function section(doc: Doc, op: Operation): string {
  const o = doc.paths[op.path][op.method];
  const key = 'Authorization: Bearer &lt;key&gt;, or the session cookie';
  const auth = {
    none: 'none',
    key,
    'key-or-query': `${key}, or ?key=`,
    coral: 'X-Coral-Signature (Coral signs the body; no key)',
  }[op.auth];
  const role = op.scope ? `, scope ${op.scope} (or admin)` : '';
  const params = (o.parameters as { name: string; in: string; required: boolean; schema: unknown }[])
    .map((p) => `<li><code>${escape(p.name)}</code> (${p.in}${p.required ? ', required' : ''}) <code>${escape(JSON.stringify(p.schema))}</code></li>`)
    .join('');
  const body = o.requestBody ? `<h4>Request body</h4>${pre(o.requestBody.content['application/json'].schema)}` : '';
  const responses = Object.entries(o.responses as Record<string, { description: string; content?: Record<string, { schema?: unknown }> }>)
    .map(([status, r]) => {
      const [type, media] = Object.entries(r.content ?? {})[0] ?? [];
      return `<li><b>${escape(status)}</b> ${escape(r.description)}${type ? ` <code>${escape(type)}</code>` : ''}${media?.schema ? pre(media.schema) : ''}</li>`;
    })
    .join('');
  return [
    `<section id="${escape(o.operationId)}">`,
    `<h2><code>${op.method.toUpperCase()} ${escape(op.path)}</code></h2>`,
    `<p>${escape(o.summary)}. Auth: ${auth}${role}.</p>`,
    params ? `<h4>Parameters</h4><ul>${params}</ul>` : '',
    body,
    `<h4>Responses</h4><ul>${responses}</ul>`,
    '</section>',
  ].join('\n');
}

/** The page: rendered on the server from the document, no script, nothing inline to allow. */
function page(doc: Doc): string {
  const toc = OPERATIONS.map((op) => `<li><a href="#${escape(doc.paths[op.path][op.method].operationId)}"><code>${op.method.toUpperCase()} ${escape(op.path)}</code></a> ${escape(doc.paths[op.path][op.method].summary)}</li>`).join('');
  const schemas = Object.entries(doc.components.schemas).map(([name, s]) => `<h3 id="schema-${escape(name)}">${escape(name)}</h3>${pre(s)}`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Decorum API</title></head>
<body>
<h1>Decorum API ${escape(String((doc.info as { version: string }).version))}</h1>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p>
<p>${escape(String((doc.info as { description: string }).description))}</p>
<ul>${toc}</ul>
${OPERATIONS.map((op) => section(doc, op)).join('\n')}
<h2>Schemas</h2>
${schemas}
</body></html>`;
}

export function docsRouter({ policy }: ApiDeps): Router {
  const router = Router();
  // Built once: the schemas don't change while the process runs.
  const doc = openApiDocument(`v1 (policy ${policy.doc.version})`) as Doc;
  const json = JSON.stringify(doc);
  const html = page(doc);
  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(json);
  });
  router.get('/docs', (_req, res) => {
    res.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    res.type('html').send(html);
  });
  return router;
}
