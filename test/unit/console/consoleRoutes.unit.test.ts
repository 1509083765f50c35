import { readdirSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { createInMemoryEventStore } from '../../../infra/eventStore/inMemoryEventStore';
import { loadConfig } from '../../../infra/config/loadConfig';
import { publicDir } from '../../../services/console/consoleAssets';
import { devSignInLink } from '../../../services/console/devSignIn';
import { consoleCsp } from '../../../services/console/routes';
import { buildTestApp } from '../../support/apiHarness';

const versionOf = (html: string) => /\/console\/([0-9a-f]{12})\/app\/main\.js/.exec(html)?.[1];

describe('console routes', () => {
  const { app, logLines } = buildTestApp(createInMemoryEventStore());

  it('serves the shell under the strict CSP, uncached, with versioned asset URLs', async () => {
    expect((await request(app).get('/console')).headers.location).toBe('/console/');
    const shell = await request(app).get('/console/');
    expect(shell.status).toBe(200);
    expect(shell.headers['content-security-policy']).toBe(consoleCsp);
    expect(consoleCsp).not.toMatch(/unsafe-(inline|eval)/);
    expect(shell.headers['cache-control']).toBe('no-cache');
    expect(versionOf(shell.text)).toMatch(/^[0-9a-f]{12}$/);
    expect(shell.text).not.toContain('__VERSION__');
  });

  it('serves every console file and Chart.js immutable under the current version only', async () => {
    const version = versionOf((await request(app).get('/console/')).text) ?? '';
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory()
          ? files(path.join(dir, e.name))
          : [path.relative(publicDir, path.join(dir, e.name))],
      );
    for (const file of [
      ...files(publicDir).filter((f) => f !== 'index.html'),
      'vendor/chart.umd.min.js',
    ]) {
      const res = await request(app).get(`/console/${version}/${file}`);
      expect([file, res.status, res.headers['cache-control']]).toEqual([
        file,
        200,
        'public, max-age=31536000, immutable',
      ]);
    }
    const stale = await request(app).get('/console/0123456789ab/app/main.js');
    expect(stale.status).toBe(404);
    expect(stale.body.error).toBe('not_found');
  });

  it('the development sign-in link carries the token only in the fragment; production has none', async () => {
    const link = await devSignInLink(loadConfig({ JWT_SECRET: 'x'.repeat(40), PORT: '8123' }));
    expect(link).toMatch(/^http:\/\/localhost:8123\/console\/#token=[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(new URL(link ?? '').search).toBe('');
    const production = loadConfig({
      WAYMARK_ENV: 'production',
      JWT_SECRET: 'x'.repeat(40),
      PRIVACY_KEK: Buffer.alloc(32, 1).toString('base64'),
    });
    expect(await devSignInLink(production)).toBeNull();
    expect(logLines.join('\n')).not.toContain('#token=');
  });
});
