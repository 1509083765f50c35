import type { Sealed } from '../sealed';
import type { CommandMetadata } from '../envelope';
import type { Flow } from './flows';
import type { ErrorCategory, UploadKind } from './events';

type Command<Type extends string, Data> = Readonly<{
  type: Type;
  data: Readonly<Data>;
  metadata: CommandMetadata;
}>;

export type StartSession = Command<
  'StartSession',
  {
    sessionId: string;
    tenantId: string;
    userId: string;
    flow: Flow;
    language: string;
    channel: string;
    userType: string;
    clientId: string | null;
  }
>;
export type EnterStep = Command<'EnterStep', { step: string }>;
export type CompleteStep = Command<'CompleteStep', { step: string }>;
export type AskQuestion = Command<'AskQuestion', { step: string; questionId: string }>;
export type AnswerQuestion = Command<
  'AnswerQuestion',
  { step: string; questionId: string; answerLength: number; answer: Sealed | null }
>;
export type RecordError = Command<
  'RecordError',
  { step: string | null; category: ErrorCategory; code: string; retryable: boolean }
>;
export type AcceptUpload = Command<
  'AcceptUpload',
  { uploadId: string; kind: UploadKind; sizeBytes: number; contentType: string }
>;
export type RejectUpload = Command<'RejectUpload', { kind: UploadKind; reason: string }>;
/** `minIntervalMs` and `force` carry the checkpoint rules in, so decide stays pure. */
export type SaveCheckpoint = Command<
  'SaveCheckpoint',
  {
    checkpointHash: string;
    clientState: string;
    dataVersion: number;
    data: Sealed | null;
    sizeBytes: number;
    minIntervalMs: number;
    force: boolean;
  }
>;
export type ResumeSession = Command<'ResumeSession', { fromCheckpointVersion: number | null }>;
export type RecordRateLimitHit = Command<'RecordRateLimitHit', { resource: string }>;
export type CompleteSession = Command<'CompleteSession', Record<string, never>>;
export type CancelSession = Command<'CancelSession', { reason: string }>;
/** `endedAt`: when the session ended in event time (last activity + threshold); absent = now. */
export type AbandonSession = Command<
  'AbandonSession',
  { reason: string; idleSeconds: number; endedAt?: string }
>;

export type OnboardingCommand =
  | StartSession
  | EnterStep
  | CompleteStep
  | AskQuestion
  | AnswerQuestion
  | RecordError
  | AcceptUpload
  | RejectUpload
  | SaveCheckpoint
  | ResumeSession
  | RecordRateLimitHit
  | CompleteSession
  | CancelSession
  | AbandonSession;
