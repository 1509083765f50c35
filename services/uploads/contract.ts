import { z } from 'zod';
import { count, sessionIdPath } from '../api/contract/common';
import type { RouteSpec } from '../api/contract/routeSpec';
import { documentFields, observationFields } from './schemas';

const upload = {
  upload_id: z.string(),
  field: z.string(),
  kind: z.string(),
  content_type: z.string(),
  size_bytes: count,
};
const usage = z.strictObject({ used: count, limit: count });
const quota = z.strictObject({ photos: usage, documents: usage, bytes: usage });
const refusals = [
  'forbidden',
  'session_not_found',
  'session_ended',
  'malformed_multipart',
  'unexpected_file',
  'file_too_large',
  'image_too_large',
  'too_many_parts',
  'unsupported_media_type',
  'file_type_invalid',
  'file_corrupt',
  'type_mismatch',
  'session_photo_limit',
  'session_document_limit',
  'session_size_limit',
  'burst_limit',
  'concurrent_limit',
  'quota_unavailable',
] as const;

export const uploadRouteSpecs: readonly RouteSpec[] = [
  {
    method: 'post',
    path: '/site-audit/:id/observation/',
    operationId: 'uploadObservation',
    summary: 'A site-audit observation: photo and/or audio and text fields (multipart)',
    tag: 'uploads',
    rateLimit: 'uploads',
    params: { id: sessionIdPath },
    body: observationFields.extend({
      photo: z.string().optional().describe('image (JPEG, PNG or WebP), binary'),
      audio: z.string().optional().describe('audio file, binary'),
    }),
    bodyType: 'multipart/form-data',
    responses: {
      201: {
        description: 'stored',
        schema: z.strictObject({
          observation_id: z.string(),
          session_id: z.string(),
          uploads: z.array(z.strictObject(upload)),
          quota,
        }),
      },
    },
    errors: refusals,
  },
  {
    method: 'post',
    path: '/sessions/:id/uploads/',
    operationId: 'uploadDocument',
    summary: 'A document or image upload (multipart, one file part)',
    tag: 'uploads',
    rateLimit: 'uploads',
    params: { id: sessionIdPath },
    body: documentFields.extend({ file: z.string().describe('the file, binary') }),
    bodyType: 'multipart/form-data',
    responses: {
      201: {
        description: 'stored',
        schema: z.strictObject({ ...upload, session_id: z.string(), quota }),
      },
    },
    errors: refusals,
  },
];
