import { randomUUID } from 'node:crypto';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import type { IncomingMessage } from 'node:http';
import type { FileStorage } from '../../infra/storage/fileStorage';
import { AppError } from '../shared/appError';

export type MultipartLimits = Readonly<{
  fileFields: readonly string[];
  maxFileBytes: number;
  maxFields: number;
  maxFieldBytes: number;
}>;

export type ReceivedFile = Readonly<{
  field: string;
  declaredType: string;
  quarantineKey: string;
  size: number;
  head: Buffer;
}>;

export type Multipart = Readonly<{ fields: Record<string, string>; files: ReceivedFile[] }>;

/** Leading bytes kept for typing by magic numbers: enough for every format we accept. */
const sniffBytes = 4100;

const tooLarge = (what: string) =>
  new AppError('too_large', 'file_too_large', `${what} is larger than allowed`);

/**
 * Streams a multipart body: files go straight into quarantine storage under generated keys
 * (never buffered whole), with every busboy limit set. A file over `maxFileBytes` stops the
 * parse at once (413) and everything written so far is discarded. After an early stop the rest
 * of the body is drained and dropped, so the client still reads the answer.
 */
export const readMultipart = (
  req: IncomingMessage,
  storage: FileStorage,
  limits: MultipartLimits,
): Promise<Multipart> =>
  new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    const files: ReceivedFile[] = [];
    const writes: Promise<unknown>[] = [];
    const keys: string[] = [];
    let failed = false;
    const fail = (error: AppError) => {
      if (failed) return;
      failed = true;
      req.unpipe();
      req.resume();
      void Promise.allSettled(writes)
        .then(() => Promise.all(keys.map((k) => storage.discard(k))))
        .finally(() => reject(error));
    };
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: req.headers,
        limits: {
          fileSize: limits.maxFileBytes,
          files: limits.fileFields.length,
          fields: limits.maxFields,
          parts: limits.fileFields.length + limits.maxFields,
          fieldSize: limits.maxFieldBytes,
          fieldNameSize: 64,
          headerPairs: 20,
        },
      });
    } catch {
      reject(new AppError('unsupported', 'unsupported_media_type', 'send multipart/form-data'));
      return;
    }
    bb.on('file', (field, stream, info) => {
      if (!limits.fileFields.includes(field) || files.some((f) => f.field === field)) {
        stream.resume();
        fail(
          new AppError(
            'invalid',
            'unexpected_file',
            `unexpected file field "${field.slice(0, 32)}"`,
          ),
        );
        return;
      }
      const key = randomUUID();
      keys.push(key);
      const chunks: Buffer[] = [];
      let size = 0;
      const tap = new Transform({
        transform(chunk: Buffer, _enc, done) {
          if (size < sniffBytes) chunks.push(chunk.subarray(0, sniffBytes - size));
          size += chunk.length;
          done(null, chunk);
        },
      });
      stream.on('limit', () => fail(tooLarge(`the file "${field}"`)));
      const { sink, written } = storage.quarantine(key);
      const done = pipeline(stream, tap, sink).then(() => written);
      writes.push(done);
      done.then(
        () => {
          files.push({
            field,
            declaredType: info.mimeType,
            quarantineKey: key,
            size,
            head: Buffer.concat(chunks),
          });
        },
        () => fail(new AppError('invalid', 'request_aborted', 'the upload was interrupted')),
      );
    });
    bb.on('field', (name, value, info) => {
      if (info.valueTruncated || info.nameTruncated) fail(tooLarge(`a form field`));
      else fields[name] = value;
    });
    for (const event of ['filesLimit', 'fieldsLimit', 'partsLimit'] as const) {
      bb.on(event, () =>
        fail(new AppError('too_large', 'too_many_parts', 'the form has too many parts')),
      );
    }
    bb.on('error', () =>
      fail(new AppError('invalid', 'malformed_multipart', 'the form cannot be read')),
    );
    bb.on('close', () => {
      void Promise.allSettled(writes).then(() => {
        if (!failed) resolve({ fields, files });
      });
    });
    req.on('aborted', () =>
      fail(new AppError('invalid', 'request_aborted', 'the upload was interrupted')),
    );
    req.pipe(bb);
  });
