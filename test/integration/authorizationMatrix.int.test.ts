import request from 'supertest';
import { createInMemoryEventStore } from '../../infra/eventStore/inMemoryEventStore';
import { insertDeadLetters } from '../../infra/postgres/dlqStore';
import { deadLetterRow } from '../support/builders/deadLetters';
import { pdf } from '../support/builders/uploads';
import { badTokens, bearer, buildTestApp } from '../support/apiHarness';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import matrix from '../security/authorizationMatrix.json';

const base = '/api/v1/onboarding/';
type Caller = (typeof matrix.callers)[number];

const authFor = async (caller: Caller): Promise<string | undefined> => {
  const bad = await badTokens();
  const table: Record<string, () => Promise<string | undefined>> = {
    anonymous: () => Promise.resolve(undefined),
    owner: () => bearer('user', 'tenant-a', 'owner'),
    otherUser: () => bearer('user', 'tenant-a', 'someone-else'),
    service: () => bearer('service', 'tenant-a', 'svc'),
    admin: () => bearer('admin', 'tenant-a', 'adm'),
    adminOther: () => bearer('admin', 'tenant-b', 'adm-b'),
    superadmin: () => bearer('superadmin', 'ops', 'root'),
    expired: () => Promise.resolve(`Bearer ${bad.expired}`),
    algNone: () => Promise.resolve(`Bearer ${bad.algNone}`),
    wrongAudience: () => Promise.resolve(`Bearer ${bad.wrongAudience}`),
    wrongIssuer: () => Promise.resolve(`Bearer ${bad.wrongIssuer}`),
  };
  const make = table[caller];
  if (!make) throw new Error(`unknown caller ${caller}`);
  return make();
};

const cells = Object.entries(matrix.routes).flatMap(([route, statuses]) =>
  matrix.callers.map((caller, i) => [route, caller, statuses[i] ?? 0] as const),
);

/** Sends the request as its route expects: nothing for GET, a form for uploads, else JSON. */
const sendFor = (req: request.Test, method: string, template: string, body: object) => {
  if (method === 'GET') return req;
  if (template.includes('uploads/'))
    return req.attach('file', pdf(), { filename: 'a.pdf', contentType: 'application/pdf' });
  if (template.includes('observation/'))
    return req.field('gps_latitude', '1').field('gps_longitude', '2').field('text_input', 'x');
  return req.send(body);
};

/** The JSON body each route needs to get past validation. */
const bodyFor = (route: string, checkpoint: object): object => {
  if (route.includes('erase/')) return { confirm: true, tenant_id: 'tenant-a' };
  if (route.includes('{user_id: owner')) return { user_id: 'owner', resume_existing: true };
  if (route.includes('events')) return { events: [{ type: 'step_entered', step: 'approval' }] };
  return route.includes('checkpoint/') ? checkpoint : {};
};

/** One test per cell of test/security/authorizationMatrix.json: every cell must hold. */
describe('authorization matrix', () => {
  let db: TestDatabase;
  let offset = 0;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());

  it.each(cells)('%s as %s → %i', async (route, caller, expected) => {
    const store = createInMemoryEventStore();
    const { app } = buildTestApp(store, {
      sql: db.sql,
    });
    const owner = await bearer('user', 'tenant-a', 'owner');
    const session = (
      await request(app).post(`${base}conversation/start/`).set('Authorization', owner).send({})
    ).body.conversation_id as string;
    offset += 1;
    await db.sql.transaction((tx) =>
      insertDeadLetters(
        tx,
        [deadLetterRow(offset, { correlationId: null, eventType: null, streamPosition: null })],
        0,
      ),
    );
    const task =
      (
        await db.sql.query<{ id: string }>(
          'SELECT id FROM waymark.dlq_entries WHERE source_offset = $1',
          [offset],
        )
      )[0]?.id ?? '';
    const checkpoint = { checkpoint_data: { version: 1, state: 'x', data: {} } };
    if (route.includes('resume/')) {
      await request(app)
        .post(`${base}sessions/${session}/checkpoint/`)
        .set('Authorization', owner)
        .send(checkpoint)
        .expect(201);
    }
    const [method = 'GET', template = ''] = route.split(' ');
    const path = base + template.replace('{session}', session).replace('{task}', task);
    const body = bodyFor(route, checkpoint);
    const auth = await authFor(caller);
    let req = request(app)[method.toLowerCase() as 'get' | 'post' | 'delete'](path);
    if (auth !== undefined) req = req.set('Authorization', auth);
    const res = await sendFor(req, method, template, body);
    expect({ status: res.status, error: res.status >= 400 ? res.body.error : undefined }).toEqual(
      expect.objectContaining({ status: expected }),
    );
    if (res.status >= 400) expect(res.body.correlation_id).toEqual(expect.any(String));
  });
});
