import path from 'node:path';
import { Router } from 'express';
import { getAbsoluteFSPath } from 'swagger-ui-dist';
import type { OpenApiDocument } from './openApiDocument';

/** Only the assets the page uses, never the package's demo page. */
const assets = [
  ['swagger-ui.css', 'text/css'],
  ['swagger-ui-bundle.js', 'application/javascript'],
] as const;

/** The page that renders the document with swagger-ui's own assets, served from node_modules. */
const page = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Waymark API reference</title>
<link rel="stylesheet" href="swagger-ui.css"></head>
<body><div id="reference"></div>
<script src="swagger-ui-bundle.js"></script>
<script src="init.js"></script>
</body></html>`;

// A file, not an inline script, so a strict Content-Security-Policy can still allow it.
const init = `window.ui = SwaggerUIBundle({ url: '../openapi.json', dom_id: '#reference', deepLinking: true });`;

/**
 * `GET openapi.json` and the reference page `GET docs/` (no token, no CDN: the page and its
 * assets are served by the API itself). The document is built once, when the app is.
 */
export const createDocsRoutes = (document: OpenApiDocument): Router => {
  const router = Router();
  const body = JSON.stringify(document);
  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(body);
  });
  router.get('/docs/', (_req, res) => {
    res.type('html').send(page);
  });
  router.get('/docs/init.js', (_req, res) => {
    res.type('application/javascript').send(init);
  });
  for (const [asset, type] of assets) {
    router.get(`/docs/${asset}`, (_req, res) => {
      res.type(type).setHeader('Cache-Control', 'public, max-age=3600');
      res.sendFile(path.join(getAbsoluteFSPath(), asset));
    });
  }
  return router;
};
