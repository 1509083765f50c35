import type { Express } from 'express';
import request from 'supertest';
import { createInMemoryEventStore } from '../../../infra/eventStore/inMemoryEventStore';
import { apiBasePath } from '../../../services/api/app';
import { allRouteSpecs } from '../../../services/api/contract/allRouteSpecs';
import { apiDocument } from '../../../services/api/contract/apiDocument';
import { openApiPath } from '../../../services/api/contract/openApiDocument';
import { bearer, buildTestApp } from '../../support/apiHarness';
import { checkResponse, contractStats } from '../../support/contractValidator';

type Layer = {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
};

/** Every route the Express app serves under the base path, as `method /path/{param}/`. */
const routeTable = (app: Express): string[] => {
  const out: string[] = [];
  const add = (route: NonNullable<Layer['route']>) =>
    Object.keys(route.methods)
      .filter((m) => m !== '_all')
      .forEach((m) => out.push(`${m} ${openApiPath(route.path)}`));
  const walk = (stack: Layer[], nested: boolean) => {
    for (const layer of stack) {
      // Top-level routes (/metrics) are outside the base path.
      if (layer.route !== undefined && nested) add(layer.route);
      else if (layer.handle?.stack !== undefined) walk(layer.handle.stack, true);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, false);
  return [...new Set(out)].sort();
};

const documented = () =>
  Object.entries(apiDocument().paths)
    .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`))
    .sort();

describe('the OpenAPI document and the app agree', () => {
  it('lists exactly the routes the app serves, both ways', () => {
    const { bareApp } = buildTestApp(createInMemoryEventStore());
    // The web console (HTML and static files under /console/) is a client of the API, not part of it.
    const served = routeTable(bareApp).filter((r) => !/^get \/console(\/|$)/.test(r));
    const doc = documented();
    expect(served.filter((r) => !doc.includes(r))).toEqual([]);
    expect(doc.filter((r) => !served.includes(r))).toEqual([]);
    expect(served.length).toBeGreaterThanOrEqual(36);
  });

  it('is OpenAPI 3.1 with the bearer scheme, an operation id per route and the error codes', () => {
    const doc = apiDocument();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const ids = allRouteSpecs.map((s) => s.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const start = (doc.paths['/conversation/start/'] as Record<string, { responses: object }>).post;
    expect(Object.keys(start?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '201', '400', '401', '403', '409', '429', '503']),
    );
  });

  it('is served at openapi.json, with a local reference page at docs/ (no CDN)', async () => {
    const { app } = buildTestApp(createInMemoryEventStore());
    const json = await request(app).get(`${apiBasePath}/openapi.json`);
    expect(json.status).toBe(200);
    expect(json.body.openapi).toBe('3.1.0');
    expect(Object.keys(json.body.paths as object)).toContain('/analytics/funnel/');
    const page = await request(app).get(`${apiBasePath}/docs/`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('swagger-ui-bundle.js');
    expect(page.text).not.toMatch(/https?:\/\//);
    for (const asset of ['init.js', 'swagger-ui.css', 'swagger-ui-bundle.js']) {
      const res = await request(app).get(`${apiBasePath}/docs/${asset}`);
      expect({ asset, status: res.status }).toEqual({ asset, status: 200 });
    }
    expect((await request(app).get(`${apiBasePath}/docs/index.html`)).status).toBe(401);
  });
});

describe('the response validator', () => {
  const ok = {
    session_id: '0b6f8f5e-6c2b-4d8e-9a77-0d7c3f1e2a10',
    version: 1,
    appended: 1,
  };
  const path = `${apiBasePath}/sessions/${ok.session_id}/events/`;
  const envelope = { error: 'forbidden', detail: 'no', field_errors: {}, correlation_id: 'c' };

  it('accepts a documented response', () => {
    expect(checkResponse('POST', path, 201, ok)).toBeNull();
    expect(checkResponse('POST', path, 403, envelope)).toBeNull();
  });

  it('fails an undocumented field, status or error code', () => {
    expect(checkResponse('POST', path, 201, { ...ok, extra: 1 })).toMatch(/additional/);
    expect(checkResponse('POST', path, 201, { ...ok, version: 'one' })).toMatch(/integer/);
    expect(checkResponse('POST', path, 202, ok)).toMatch(/not documented/);
    expect(checkResponse('POST', path, 403, { ...envelope, error: 'nope' })).toMatch(/allowed/);
    expect(
      checkResponse('POST', path, 409, { ...envelope, error: 'task_not_found' }),
    ).not.toBeNull();
    expect(checkResponse('PATCH', path, 200, ok)).toMatch(/undocumented route/);
  });

  it('checks every response of the apps the harness builds', async () => {
    const { app } = buildTestApp(createInMemoryEventStore());
    const before = contractStats.checked;
    await request(app)
      .post(`${apiBasePath}/conversation/start/`)
      .set('Authorization', await bearer('user', 'tenant-a', 'alice'))
      .send({});
    expect(contractStats.checked).toBe(before + 1);
  });
});
