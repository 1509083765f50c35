import express, { Router, type Response } from 'express';
import { assetVersion, chartJsFile, indexHtml, publicDir } from './consoleAssets';

export const consolePath = '/console';

/**
 * Strict: scripts, styles, images and API calls from this origin only; no inline script or style,
 * no framing, no plugins. Chart.js sizes its canvas through the CSSOM, which the policy allows.
 */
export const consoleCsp = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const secure = (res: Response) => {
  res.setHeader('Content-Security-Policy', consoleCsp);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
};

const forever = 'public, max-age=31536000, immutable';

/**
 * The web console (services/console/README.md): a page shell at /console/ (never cached, names
 * the current asset version) and static files under /console/<version>/ (cached for a year).
 * It holds no data and no endpoint of its own: the browser calls the public API with the token.
 */
export const createConsoleRoutes = (): Router => {
  const version = assetVersion();
  const shell = indexHtml(version);
  // Strict routing: /console and /console/ are different paths (one redirects to the other).
  const router = Router({ strict: true });
  router.use(consolePath, (_req, res, next) => {
    secure(res);
    next();
  });
  router.get(consolePath, (_req, res) => res.redirect(301, `${consolePath}/`));
  router.get(`${consolePath}/`, (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(shell);
  });
  const assets = `${consolePath}/${version}`;
  router.get(`${assets}/vendor/chart.umd.min.js`, (_req, res) => {
    res.setHeader('Cache-Control', forever);
    res.type('js').sendFile(chartJsFile);
  });
  router.use(
    assets,
    express.static(publicDir, { index: false, immutable: true, maxAge: '365d', etag: false }),
  );
  return router;
};
