import { readdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import request from 'supertest';
import { createInMemoryEventStore } from '../../../infra/eventStore/inMemoryEventStore';
import { bearer, buildTestApp, testUploadLimits } from '../../support/apiHarness';
import { brokenJpeg, exifCanary, jpegWithExif, pdf, png } from '../../support/builders/uploads';

const base = '/api/v1/onboarding';

const setup = async (options: Parameters<typeof buildTestApp>[1] = {}) => {
  const store = createInMemoryEventStore();
  const harness = buildTestApp(store, options);
  const user = await bearer('user', 'tenant-a', 'alice');
  const started = await request(harness.app)
    .post(`${base}/conversation/start/`)
    .set('Authorization', user)
    .send({});
  const session = started.body.conversation_id as string;
  const document = (file: Buffer, type: string, auth = user) =>
    request(harness.app)
      .post(`${base}/sessions/${session}/uploads/`)
      .set('Authorization', auth)
      .attach('file', file, { filename: 'upload.bin', contentType: type });
  const observation = () =>
    request(harness.app)
      .post(`${base}/site-audit/${session}/observation/`)
      .set('Authorization', user)
      .field('gps_latitude', '51.5074')
      .field('gps_longitude', '-0.1278');
  const eventTypes = async () =>
    (await store.readStream(`onboarding-${session}`)).events.map((e) => e.type);
  const events = async () => (await store.readStream(`onboarding-${session}`)).events;
  const stored = async (area: 'files' | 'quarantine') => {
    const root = path.join(harness.storageDir, area);
    const dirs = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
    return dirs.filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name));
  };
  return { ...harness, store, user, session, document, observation, eventTypes, events, stored };
};

describe('POST sessions/{id}/uploads/ (documents)', () => {
  it('stores a PDF under a generated name and records UploadAccepted', async () => {
    const api = await setup();
    const res = await api.document(pdf(), 'application/pdf');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      kind: 'document',
      content_type: 'application/pdf',
      size_bytes: pdf().length,
      quota: { documents: { used: 1, limit: 20 }, bytes: { used: pdf().length } },
    });
    expect(await api.eventTypes()).toContain('UploadAccepted');
    const files = await api.stored('files');
    expect(files).toHaveLength(1);
    expect(files[0]).toContain(res.body.upload_id);
    expect(files[0]).not.toContain('upload.bin');
    expect(await api.stored('quarantine')).toEqual([]);
  });

  it('types by magic bytes: a PNG declared as PDF is 415 type_mismatch; text is file_type_invalid', async () => {
    const api = await setup();
    const mismatch = await api.document(await png(), 'application/pdf');
    expect(mismatch.status).toBe(415);
    expect(mismatch.body).toMatchObject({
      error: 'type_mismatch',
      correlation_id: expect.any(String),
    });
    const text = await api.document(Buffer.from('just some text, no magic'), 'application/pdf');
    expect(text.status).toBe(415);
    expect(text.body.error).toBe('file_type_invalid');
    const rejected = (await api.events()).filter((e) => e.type === 'UploadRejected');
    expect(rejected.map((e) => (e.data as { reason: string }).reason)).toEqual([
      'type_mismatch',
      'file_type_invalid',
    ]);
    expect(await api.stored('files')).toEqual([]);
    expect(await api.stored('quarantine')).toEqual([]);
  });

  it('stops an oversized file while it streams: 413, nothing stored, quota given back', async () => {
    const api = await setup({ maxFileBytes: 64 * 1024 });
    const res = await api.document(
      Buffer.concat([pdf(), Buffer.alloc(200 * 1024, 1)]),
      'application/pdf',
    );
    expect(res.status).toBe(413);
    expect(res.body.error).toBe('file_too_large');
    expect(await api.stored('files')).toEqual([]);
    expect(await api.stored('quarantine')).toEqual([]);
    const ok = await api.document(pdf(), 'application/pdf');
    expect(ok.body.quota.bytes.used).toBe(pdf().length);
  });

  it('answers 429 session_document_limit with Retry-After past the session quota', async () => {
    const api = await setup({ uploadLimits: { ...testUploadLimits, maxDocumentsPerSession: 2 } });
    expect((await api.document(pdf(), 'application/pdf')).status).toBe(201);
    expect((await api.document(pdf(), 'application/pdf')).status).toBe(201);
    const third = await api.document(pdf(), 'application/pdf');
    expect(third.status).toBe(429);
    expect(third.headers['retry-after']).toMatch(/^\d+$/);
    expect(third.body).toMatchObject({
      error: 'session_document_limit',
      reason: 'session_document_limit',
    });
    expect(third.body.retry_after).toBeGreaterThan(0);
    expect(await api.stored('files')).toHaveLength(2);
  });

  it('refuses other users (404), missing files and unknown fields (400), non-multipart (415)', async () => {
    const api = await setup();
    const other = await api.document(
      pdf(),
      'application/pdf',
      await bearer('user', 'tenant-a', 'bob'),
    );
    expect(other.status).toBe(404);
    const none = await request(api.app)
      .post(`${base}/sessions/${api.session}/uploads/`)
      .set('Authorization', api.user)
      .field('label', 'x');
    expect(none.status).toBe(400);
    const extra = await request(api.app)
      .post(`${base}/sessions/${api.session}/uploads/`)
      .set('Authorization', api.user)
      .attach('other', pdf(), 'a.pdf');
    expect(extra.status).toBe(400);
    const json = await request(api.app)
      .post(`${base}/sessions/${api.session}/uploads/`)
      .set('Authorization', api.user)
      .send({ file: 'x' });
    expect(json.status).toBe(415);
    expect(await api.stored('files')).toEqual([]);
  });
});

describe('POST site-audit/{id}/observation/', () => {
  it('re-encodes a photo without its metadata (EXIF, GPS) before anything is stored', async () => {
    const api = await setup();
    const original = await jpegWithExif();
    expect(original.includes(exifCanary)).toBe(true);
    const res = await api
      .observation()
      .field('text_input', 'north wall')
      .attach('photo', original, {
        filename: 'IMG_0001.jpg',
        contentType: 'image/jpeg',
      });
    expect(res.status).toBe(201);
    expect(res.body.uploads).toEqual([
      expect.objectContaining({ kind: 'photo', content_type: 'image/jpeg' }),
    ]);
    const photo = (await api.stored('files')).find((f) => f.endsWith('.jpg')) ?? '';
    const bytes = await api.storage.read(path.relative(path.join(api.storageDir, 'files'), photo));
    expect(bytes?.includes(exifCanary)).toBe(false);
    const meta = await sharp(bytes ?? Buffer.alloc(0)).metadata();
    expect(meta.exif).toBeUndefined();
    expect([meta.width, meta.height]).toEqual([64, 48]);
    expect(res.body.uploads[0].size_bytes).toBe(bytes?.length);
  });

  it('refuses an undecodable image (415 file_corrupt) and a pixel bomb (413 image_too_large)', async () => {
    const api = await setup({ maxImagePixels: 10_000 });
    const broken = await api
      .observation()
      .attach('photo', brokenJpeg(), { filename: 'a.jpg', contentType: 'image/jpeg' });
    expect(broken.status).toBe(415);
    expect(broken.body.error).toBe('file_corrupt');
    const big = await api
      .observation()
      .attach('photo', await png(200, 200), { filename: 'b.png', contentType: 'image/png' });
    expect(big.status).toBe(413);
    expect(big.body.error).toBe('image_too_large');
    expect(await api.stored('files')).toEqual([]);
    expect(await api.stored('quarantine')).toEqual([]);
  });

  it('validates the form: coordinates required and in range; something to observe', async () => {
    const api = await setup();
    const noGps = await request(api.app)
      .post(`${base}/site-audit/${api.session}/observation/`)
      .set('Authorization', api.user)
      .field('text_input', 'hello');
    expect(noGps.status).toBe(400);
    expect(Object.keys(noGps.body.field_errors)).toEqual(expect.arrayContaining(['gps_latitude']));
    const empty = await api.observation();
    expect(empty.status).toBe(400);
    const far = await request(api.app)
      .post(`${base}/site-audit/${api.session}/observation/`)
      .set('Authorization', api.user)
      .field('gps_latitude', '91')
      .field('gps_longitude', '0')
      .field('text_input', 'x');
    expect(far.status).toBe(400);
    expect(await api.eventTypes()).not.toContain('UploadAccepted');
  });

  it('gives the photo slot back when an observation carries no photo', async () => {
    const api = await setup({ uploadLimits: { ...testUploadLimits, maxPhotosPerSession: 1 } });
    const text = await api.observation().field('text_input', 'only words');
    expect(text.status).toBe(201);
    expect(text.body.quota.photos.used).toBe(0);
    const photo = await api
      .observation()
      .attach('photo', await png(), { filename: 'p.png', contentType: 'image/png' });
    expect(photo.status).toBe(201);
    const second = await api
      .observation()
      .attach('photo', await png(), { filename: 'p.png', contentType: 'image/png' });
    expect(second.status).toBe(429);
    expect(second.body.error).toBe('session_photo_limit');
  });

  it('limits photos per user per minute: the 11th is 429 burst_limit', async () => {
    const api = await setup();
    const photo = await png();
    for (let i = 0; i < 10; i += 1) {
      const ok = await api
        .observation()
        .attach('photo', photo, { filename: 'p.png', contentType: 'image/png' });
      expect(ok.status).toBe(201);
    }
    const eleventh = await api
      .observation()
      .attach('photo', photo, { filename: 'p.png', contentType: 'image/png' });
    expect(eleventh.status).toBe(429);
    expect(eleventh.body.error).toBe('burst_limit');
    expect(Number(eleventh.headers['retry-after'])).toBeLessThanOrEqual(60);
  });
});
