/**
 * The browser side of the gateway, served entirely from its own assets so that it works on a
 * government intranet or with no network at all: GraphiQL at /graphql (a browser's GET asking for
 * HTML) and a plain landing page of ours at /.
 *
 * Hive Gateway's defaults load GraphiQL from unpkg.com and the landing page's highlighter from
 * cdnjs; offline they stay on "Loading…". `@graphql-yoga/render-graphiql` ships the same GraphiQL
 * (script, styles and Monaco's three workers) as strings; we serve each once as a cacheable file under
 * /console/ instead of inlining 9 MB into every page load, and the page carries a Content-Security-Policy
 * that lets the browser load and connect to this origin only.
 */
import { createHash } from 'node:crypto';
import type { GatewayPlugin } from '@graphql-hive/gateway';
import { css, editorWorkerService, favicon, graphqlWorker, js, jsonWorker } from '@graphql-yoga/render-graphiql/graphiql';

export const CONSOLE_PREFIX = '/console/';

/** What GraphiQL opens with: a province's page, the README's example. */
export const DEFAULT_QUERY = `# ทะเบียนเครือข่ายคุณธรรม · Moral-network registry
# กด ▶ เพื่อดูข้อมูลจังหวัดพระนครศรีอยุธยา · Press ▶ for Phra Nakhon Si Ayutthaya's page.
# คู่มือ · Docs: README.md and docs/ in the repository
{
  province(code: "TH-14") {
    nameTh
    nameEn
    region { nameTh }
    agencyStats { total }
    networks { nameTh agencyCount }
    activities(fiscalYear: 2565, first: 5) {
      totalCount
      edges { node { titleTh startDate participantCount } }
    }
  }
}
`;

interface Asset {
  body: string;
  type: string;
  etag: string;
}

function asset(body: string, type: string): Asset {
  return { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
}

/** Monaco asks for a worker by label; each is one of our files. */
const WORKERS = { editorWorkerService: 'editor-worker.js', json: 'json-worker.js', graphql: 'graphql-worker.js' };

const ASSETS: Record<string, Asset> = {
  'graphiql.js': asset(js, 'text/javascript; charset=utf-8'),
  'graphiql.css': asset(css, 'text/css; charset=utf-8'),
  [WORKERS.editorWorkerService]: asset(editorWorkerService, 'text/javascript; charset=utf-8'),
  [WORKERS.json]: asset(jsonWorker, 'text/javascript; charset=utf-8'),
  [WORKERS.graphql]: asset(graphqlWorker, 'text/javascript; charset=utf-8'),
};

/** The assets change only with the package; a version in the URL lets browsers keep them a year. */
const VERSION = createHash('sha256')
  .update(
    Object.values(ASSETS)
      .map((a) => a.etag)
      .join(),
  )
  .digest('base64url')
  .slice(0, 10);

const assetUrl = (name: string) => `${CONSOLE_PREFIX}${name}?v=${VERSION}`;

/**
 * What the page may load and where it may connect: this origin only. Inline script is limited to
 * the one nonce'd block that starts GraphiQL; Monaco's workers and GraphiQL's styles need blob: and
 * inline styles, data: covers the inline icons.
 */
function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "worker-src 'self' blob:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** JSON inside <script>: `</script>` and friends cannot end the block. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/** Hive Gateway's `renderGraphiQL`: the GraphiQL page, its code and styles from /console/. */
export function renderConsole(options: Record<string, unknown> = {}): string {
  const nonce = createHash('sha256').update(`${Math.random()}${Date.now()}`).digest('base64url').slice(0, 22);
  const workers = Object.fromEntries(Object.entries(WORKERS).map(([label, file]) => [label, assetUrl(file)]));
  const title = typeof options.title === 'string' ? options.title : 'GraphiQL';
  return `<!doctype html>
<html lang="th">
  <head>
    <meta charset="utf-8" />
    <meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(nonce)}" />
    <title>${escapeHtml(title)}</title>
    <link rel="icon" href="${escapeHtml(typeof options.favicon === 'string' ? options.favicon : favicon)}" />
    <link rel="stylesheet" href="${assetUrl('graphiql.css')}" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>GraphiQL ต้องใช้ JavaScript · GraphiQL needs JavaScript.</noscript>
    <div id="root"></div>
    <script src="${assetUrl('graphiql.js')}"></script>
    <script nonce="${nonce}">
      const workers = ${scriptJson(workers)};
      self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (moduleId, label) => workers[label] };
      YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), ${scriptJson(options)});
    </script>
  </body>
</html>
`;
}

/** The page at /: what this is and where to go, in Thai and English, with nothing from elsewhere. */
export function landingPage(options: { graphqlPath: string; console: boolean }): string {
  const consoleLink = options.console
    ? `<p><a href="${options.graphqlPath}">เปิด GraphiQL · Open GraphiQL</a> — ลองคำสั่งค้นหากับข้อมูลจริง · try queries against the live data.</p>`
    : '';
  return `<!doctype html>
<html lang="th">
  <head>
    <meta charset="utf-8" />
    <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>ทะเบียนเครือข่ายคุณธรรม · Moral-network registry API</title>
    <style>
      body { font-family: system-ui, 'Noto Sans Thai', sans-serif; max-width: 46rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.6; color: #1f2933; }
      h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
      h1 + p { margin-top: 0; color: #52606d; }
      code { background: #f0f4f8; padding: 0.1rem 0.3rem; border-radius: 3px; }
      a { color: #0b5cad; }
    </style>
  </head>
  <body>
    <h1>ทะเบียนเครือข่ายคุณธรรม</h1>
    <p>Moral-network registry · GraphQL API</p>
    ${consoleLink}
    <p>ส่งคำสั่ง GraphQL ด้วย <code>POST ${options.graphqlPath}</code> · Send GraphQL operations with
      <code>POST ${options.graphqlPath}</code> (JSON body <code>{"query": "…", "variables": {…}}</code>).</p>
    <p>สถานะ · Health: <a href="/healthz">/healthz</a>, <a href="/readyz">/readyz</a></p>
  </body>
</html>
`;
}

/** Serves /console/* and, when enabled, the landing page at /. */
export function consolePlugin(options: { graphqlPath: string; landingPage: boolean; console: boolean }): GatewayPlugin {
  const landing = landingPage(options);
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      if (options.landingPage && url.pathname === '/') {
        endResponse(
          new fetchAPI.Response(request.method === 'HEAD' ? null : landing, {
            headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' },
          }),
        );
        return;
      }
      if (!options.console || !url.pathname.startsWith(CONSOLE_PREFIX)) return;
      const found = ASSETS[url.pathname.slice(CONSOLE_PREFIX.length)];
      if (!found) return;
      const headers = {
        'content-type': found.type,
        etag: found.etag,
        // Versioned URLs never change; an unversioned one is revalidated.
        'cache-control': url.searchParams.get('v') === VERSION ? 'public, max-age=31536000, immutable' : 'no-cache',
      };
      if (request.headers.get('if-none-match') === found.etag) {
        endResponse(new fetchAPI.Response(null, { status: 304, headers }));
        return;
      }
      endResponse(new fetchAPI.Response(request.method === 'HEAD' ? null : found.body, { headers }));
    },
  };
}
