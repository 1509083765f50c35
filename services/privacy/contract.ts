import { z } from 'zod';
import { anyObject, count, isoDate, sessionIdPath } from '../api/contract/common';
import type { RouteSpec } from '../api/contract/routeSpec';
import { auditQuery, eraseBody, subjectIdParam } from './schemas';

export const privacyRouteSpecs: readonly RouteSpec[] = [
  {
    method: 'get',
    path: '/sessions/:id/export/',
    operationId: 'exportSession',
    summary: "Everything stored about a session, personal fields opened (subject's access right)",
    tag: 'privacy',
    rateLimit: 'session_export',
    params: { id: sessionIdPath },
    responses: {
      200: {
        description: 'the export',
        schema: z.strictObject({
          session_id: z.string(),
          events: z.array(
            z.strictObject({
              position: count,
              type: z.string(),
              recorded_at: isoDate,
              data: anyObject,
              erased_fields: z.array(z.string()).optional(),
            }),
          ),
          observations: z.array(
            z.strictObject({
              observation_id: z.string(),
              uploads: z.array(z.string()),
              at: isoDate.nullable(),
              fields: z.unknown().nullable(),
              erased_fields: z.array(z.string()).optional(),
            }),
          ),
        }),
      },
    },
    errors: ['forbidden', 'session_not_found'],
  },
  {
    method: 'post',
    path: '/admin/subjects/:subject/erase/',
    operationId: 'eraseSubject',
    summary: "Erase a data subject (crypto-shredding of the subject's key; confirm: true)",
    tag: 'privacy',
    rateLimit: 'admin',
    params: { subject: subjectIdParam },
    body: eraseBody,
    responses: {
      200: {
        description: 'erased',
        schema: z.strictObject({
          subject_id: z.string(),
          erased: z.literal(true),
          key_existed: z.boolean(),
          sessions: count,
          files_removed: count,
          erased_at: isoDate,
        }),
      },
    },
    errors: ['forbidden', 'confirmation_required'],
  },
  {
    method: 'get',
    path: '/admin/audit/',
    operationId: 'listAudit',
    summary: 'The audit trail of admin actions',
    tag: 'privacy',
    rateLimit: 'admin',
    query: auditQuery,
    responses: {
      200: {
        description: 'entries, newest first',
        schema: z.strictObject({
          entries: z.array(
            z.strictObject({
              at: isoDate,
              tenant_id: z.string().nullable(),
              actor: z.string(),
              action: z.string(),
              target: z.string().nullable(),
              details: anyObject,
              correlation_id: z.string().nullable(),
            }),
          ),
          pagination: z.strictObject({ page: count, page_size: count, total: count }),
        }),
      },
    },
    errors: ['forbidden'],
  },
];
