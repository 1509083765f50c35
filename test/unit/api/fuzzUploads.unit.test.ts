import fc from 'fast-check';
import request from 'supertest';
import { createInMemoryEventStore } from '../../../infra/eventStore/inMemoryEventStore';
import { bearer, buildTestApp, testUploadLimits } from '../../support/apiHarness';
import { createTally } from '../../support/arbitraries/mutated';
import { jpegWithExif, pdf, png } from '../../support/builders/uploads';

const base = '/api/v1/onboarding';
const roomy = {
  ...testUploadLimits,
  maxPhotosPerMinute: 10_000,
  maxPhotosPerSession: 10_000,
  maxDocumentsPerSession: 10_000,
  maxBytesPerSession: 2 ** 40,
};

const fieldName = fc.oneof(
  fc.constantFrom(
    'gps_latitude',
    'gps_longitude',
    'text_input',
    'zone_hint',
    'compass_direction',
    'label',
    '__proto__',
    'constructor',
  ),
  fc.stringMatching(/^[A-Za-z_.[\]-]{1,24}$/),
);
const fieldValue = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.constantFrom(
    'NaN',
    'Infinity',
    '-0',
    '1e308',
    '90.00000000001',
    ' 45 ',
    '0x10',
    '\u0000',
    'a'.repeat(5000),
  ),
  fc.double().map(String),
);
const magic = fc.constantFrom(
  Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
  Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'),
  Buffer.from('%PDF-1.7\n'),
  Buffer.from('RIFF\x00\x00\x00\x00WEBPVP8 ', 'latin1'),
  Buffer.from('ID3\x03'),
  Buffer.alloc(0),
);
const file = fc.record({
  field: fc.oneof(fc.constantFrom('photo', 'audio', 'file'), fc.stringMatching(/^[a-z]{1,8}$/)),
  bytes: fc
    .tuple(magic, fc.uint8Array({ maxLength: 3000 }))
    .map(([m, rest]) => Buffer.concat([m, rest])),
  type: fc.constantFrom(
    'image/jpeg',
    'image/png',
    'application/pdf',
    'audio/mpeg',
    'application/octet-stream',
    'text/html',
    '',
  ),
});
const plausible = fc
  .tuple(
    fc.double({ min: -90, max: 90, noNaN: true }),
    fc.array(fc.tuple(fieldName, fieldValue), { maxLength: 2 }),
  )
  .map(([lat, rest]): [string, string][] => [
    ['gps_latitude', lat.toFixed(4)],
    ['gps_longitude', '12.5'],
    ['text_input', 'seen'],
    ...rest,
  ]);
const randomForm = fc.record({
  fields: fc.oneof(
    plausible,
    fc.array(fc.tuple(fieldName, fieldValue), { maxLength: 8 }),
    fc.constant([]),
  ),
  files: fc.array(file, { maxLength: 3 }),
  route: fc.constantFrom('observation', 'uploads'),
});

describe('fuzzing the upload endpoints (fast-check)', () => {
  it('never answers 5xx, answers 4xx in the envelope, and a 4xx stores and accepts nothing', async () => {
    const store = createInMemoryEventStore();
    const unlimited = { name: 'fuzz', points: 1e9, durationSeconds: 60 };
    const { app, storage } = buildTestApp(store, {
      uploadLimits: roomy,
      policies: { standard: unlimited, staff: unlimited, critical: unlimited },
    });
    const auth = await bearer('user', 'tenant-a', 'fuzzer');
    const id = (
      await request(app).post(`${base}/conversation/start/`).set('Authorization', auth).send({})
    ).body.conversation_id as string;
    // Documented forms with real files (so the success path is reached), mixed with random ones.
    const goodFiles: { field: string; bytes: Buffer; type: string }[] = [
      { field: 'file', bytes: pdf(), type: 'application/pdf' },
      { field: 'file', bytes: await png(), type: 'image/png' },
    ];
    const goodPhoto = { field: 'photo', bytes: await jpegWithExif(), type: 'image/jpeg' };
    const validForm = fc.oneof(
      fc.record({
        fields: plausible.map((f) => f.slice(0, 3)),
        files: fc.constantFrom<(typeof goodPhoto)[]>([], [goodPhoto]),
        route: fc.constant('observation'),
      }),
      fc.record({
        fields: fc.constant([] as [string, string][]),
        files: fc.constantFrom(...goodFiles).map((f) => [f]),
        route: fc.constant('uploads'),
      }),
    );
    const form = fc.oneof(
      { arbitrary: validForm, weight: 1 },
      { arbitrary: randomForm, weight: 2 },
    );
    const accepted = async () =>
      (await store.readStream(`onboarding-${id}`)).events.filter((e) => e.type === 'UploadAccepted')
        .length;
    const tally = createTally('uploads');
    await fc.assert(
      fc.asyncProperty(form, async ({ fields, files, route }) => {
        const before = { accepted: await accepted(), files: (await storage.list(id)).length };
        const path =
          route === 'observation' ? `site-audit/${id}/observation/` : `sessions/${id}/uploads/`;
        let req = request(app).post(`${base}/${path}`).set('Authorization', auth);
        for (const [name, value] of fields) req = req.field(name, value);
        for (const f of files)
          req = req.attach(f.field, f.bytes, {
            filename: 'f',
            contentType: f.type || 'application/octet-stream',
          });
        const res = await req;
        tally.record(res.status, res.body?.error);
        expect(res.status).toBeLessThan(500);
        const after = { accepted: await accepted(), files: (await storage.list(id)).length };
        if (res.status >= 400) {
          expect(res.body).toEqual(
            expect.objectContaining({
              error: expect.any(String),
              correlation_id: expect.any(String),
            }),
          );
          expect(after).toEqual(before);
        } else {
          expect(after.accepted).toBe(before.accepted + (res.body.uploads?.length ?? 1));
        }
      }),
      { numRuns: 250 },
    );
    // The generator must reach the success path too, or the property proves little.
    tally.expectReached(0.15);
  }, 180_000);
});
