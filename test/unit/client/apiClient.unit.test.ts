import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { createInMemoryEventStore } from '../../../infra/eventStore/inMemoryEventStore';
import { createApiClient } from '../../../services/client/apiClient';
import { buildTestApp, tokenFor } from '../../support/apiHarness';

const root = path.resolve(__dirname, '../../..');

describe('the typed client (services/client/)', () => {
  it('is generated from the document the API serves (npm run client:generate -- --check)', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'services/cli/generateClient.ts'), '--check'],
      { cwd: root, timeout: 120_000 },
    );
    expect(stdout).toContain('is up to date');
  }, 150_000);

  it('starts a session, appends and reads it back, with typed answers and errors', async () => {
    const { app } = buildTestApp(createInMemoryEventStore());
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const ids: string[] = [];
      const client = createApiClient({
        baseUrl,
        token: await tokenFor('user', 'tenant-a', 'user-7'),
        correlationId: () => `t-${ids.push(String(ids.length))}`,
      });
      const start = await client.POST('/conversation/start/', { body: { channel: 'web' } });
      expect(start.response.status).toBe(201);
      const id = start.data?.conversation_id ?? '';
      const append = await client.POST('/sessions/{id}/events/', {
        params: { path: { id } },
        body: { events: [{ type: 'step_entered', step: 'information_collection' }] },
      });
      expect(append.data?.version).toBe(1);
      const read = await client.GET('/sessions/{id}/', { params: { path: { id } } });
      expect(read.data).toMatchObject({ version: 1 });
      expect(read.response.headers.get('x-correlation-id')).toBe('t-3');

      // An error answer is the envelope, typed per route and status.
      const wrong = await client.POST('/sessions/{id}/events/', {
        params: { path: { id } },
        body: { events: [{ type: 'step_entered', step: 'no_such_step' }] },
      });
      expect(wrong.response.status).toBe(422);
      expect(wrong.error).toMatchObject({ error: 'unknown_step', correlation_id: 't-4' });
      // Compile-time checks (npm run check type-checks the tests): unknown paths and missing
      // parameters do not compile.
      if (ids.length < 0) {
        // @ts-expect-error no such path in the document
        await client.GET('/sessions/{id}/nothing/', { params: { path: { id } } });
        // @ts-expect-error the path parameter is required
        await client.GET('/sessions/{id}/', {});
      }
    } finally {
      server.close();
    }
  });
});
