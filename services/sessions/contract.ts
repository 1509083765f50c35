import { z } from 'zod';
import { count, isoDate, sessionIdPath } from '../api/contract/common';
import type { RouteSpec } from '../api/contract/routeSpec';
import { appendEventsBody, startSessionBody } from './schemas';

/** A session as the API shows it (sessionView.ts). */
export const sessionViewSchema = z.strictObject({
  session_id: z.string(),
  tenant_id: z.string(),
  user_id: z.string(),
  status: z.string().describe('active, completed, cancelled, abandoned'),
  version: z.number().int(),
  flow: z.strictObject({ id: z.string(), version: z.number().int(), steps: z.array(z.string()) }),
  language: z.string(),
  channel: z.string(),
  user_type: z.string(),
  client_id: z.string().nullable(),
  current_step: z.string().nullable(),
  completed_steps: z.array(z.string()),
  furthest_step_index: z.number().int(),
  progress: z.number().describe('percent, 0–100'),
  started_at: isoDate,
  last_activity_at: isoDate,
  ended_at: isoDate.nullable(),
  counts: z.strictObject({
    errors: count,
    questions_asked: count,
    questions_answered: count,
    uploads_accepted: count,
    uploads_rejected: count,
    checkpoints: count,
    resumes: count,
  }),
});

const started = z.strictObject({
  conversation_id: z.string(),
  resumed: z.boolean(),
  current_state: z.string(),
  session: sessionViewSchema,
});

export const sessionRouteSpecs: readonly RouteSpec[] = [
  {
    method: 'post',
    path: '/conversation/start/',
    operationId: 'startConversation',
    summary: 'Start an onboarding session (a service names the user in user_id)',
    tag: 'sessions',
    rateLimit: 'session_start',
    body: startSessionBody,
    responses: {
      201: { description: 'started', schema: started },
      200: { description: 'resumed (resume_existing: true)', schema: started },
    },
    errors: ['forbidden', 'active_session_exists', 'unknown_flow', 'wrong_expected_version'],
  },
  {
    method: 'post',
    path: '/sessions/:id/events/',
    operationId: 'appendSessionEvents',
    summary: 'Record what the user did (appended atomically, optionally at an expected version)',
    tag: 'sessions',
    rateLimit: 'session_events',
    params: { id: sessionIdPath },
    body: appendEventsBody(100),
    responses: {
      201: {
        description: 'appended',
        schema: z.strictObject({
          session_id: z.string(),
          version: z.number().int(),
          appended: count,
        }),
      },
    },
    errors: [
      'forbidden',
      'session_not_found',
      'wrong_expected_version',
      'illegal_state',
      'session_ended',
      'unknown_step',
    ],
  },
  {
    method: 'get',
    path: '/sessions/:id/',
    operationId: 'getSession',
    summary: 'Read a session, folded from its own stream (read-your-writes)',
    tag: 'sessions',
    rateLimit: 'session_read',
    params: { id: sessionIdPath },
    responses: { 200: { description: 'the session', schema: sessionViewSchema } },
    errors: ['forbidden', 'session_not_found'],
  },
];
