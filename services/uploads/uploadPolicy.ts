import type { UploadKind } from '../../events/onboarding/events';

/** What each upload kind may be, by the type its bytes show (file-type's names). */
export const allowedTypes: Readonly<Record<UploadKind, readonly string[]>> = {
  photo: ['image/jpeg', 'image/png', 'image/webp'],
  document: ['application/pdf', 'image/jpeg', 'image/png'],
  audio: ['audio/mpeg', 'audio/wav', 'audio/ogg', 'audio/opus', 'audio/mp4', 'audio/webm'],
};

/** Aliases clients and sniffers use for the same format. */
const aliases: Readonly<Record<string, string>> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'audio/x-wav': 'audio/wav',
  'audio/wave': 'audio/wav',
  'audio/vnd.wave': 'audio/wav',
  'audio/mp3': 'audio/mpeg',
  'audio/x-m4a': 'audio/mp4',
  'audio/m4a': 'audio/mp4',
  'video/webm': 'audio/webm',
};

const normalise = (type: string): string => {
  const bare = type.split(';')[0]?.trim().toLowerCase() ?? '';
  return aliases[bare] ?? bare;
};

/** A declared type that makes no claim (curl's default): the bytes alone decide. */
const noClaim = new Set(['', 'application/octet-stream']);

export type TypeVerdict =
  | Readonly<{ ok: true; contentType: string }>
  | Readonly<{ ok: false; reason: 'file_type_invalid' | 'type_mismatch' }>;

/**
 * Decides a file's type from its magic bytes: unknown or not allowed for the kind → invalid; a
 * declared type that names another format than the bytes → mismatch (415 either way).
 */
export const judgeType = (
  kind: UploadKind,
  declared: string,
  sniffed: string | null,
): TypeVerdict => {
  if (sniffed === null) return { ok: false, reason: 'file_type_invalid' };
  const actual = normalise(sniffed);
  if (!allowedTypes[kind].includes(actual)) return { ok: false, reason: 'file_type_invalid' };
  const claimed = normalise(declared);
  if (!noClaim.has(claimed) && claimed !== actual) return { ok: false, reason: 'type_mismatch' };
  return { ok: true, contentType: actual };
};

export const extensionOf: Readonly<Record<string, string>> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
  'audio/mpeg': 'mp3',
  'audio/wav': 'wav',
  'audio/ogg': 'ogg',
  'audio/opus': 'opus',
  'audio/mp4': 'm4a',
  'audio/webm': 'webm',
};
