import type { Sealed } from '../../events/sealed';
import { onboardingStream } from '../../events/streamNames';
import type { EventStore } from '../../infra/eventStore/eventStore';
import type { FieldCipher } from '../../infra/privacy/fieldCipher';
import type { FileStorage } from '../../infra/storage/fileStorage';

const isSealed = (v: unknown): v is Sealed =>
  v !== null &&
  typeof v === 'object' &&
  typeof (v as Sealed).subject === 'string' &&
  typeof (v as Sealed).nonce === 'string' &&
  typeof (v as Sealed).ciphertext === 'string';

/** Opens every sealed value of a record; a value whose key is gone becomes null and is listed. */
const openAll = async (cipher: FieldCipher, data: Record<string, unknown>) => {
  const opened: Record<string, unknown> = {};
  const erased: string[] = [];
  for (const [field, value] of Object.entries(data)) {
    if (!isSealed(value)) {
      opened[field] = value;
      continue;
    }
    const clear = await cipher.open(value);
    opened[field] = clear;
    if (clear === null) erased.push(field);
  }
  return { opened, erased };
};

/**
 * Everything Waymark holds about one session, personal fields opened through the key store
 * (a data subject's access request, or an admin's export): the event stream and the
 * observations. After the subject's erasure the personal fields come back null, listed under
 * `erased_fields`; the rest (steps, times, counts) is still there.
 */
export const exportSession = async (
  deps: Readonly<{ eventStore: EventStore; cipher: FieldCipher; storage: FileStorage }>,
  sessionId: string,
) => {
  const { events } = await deps.eventStore.readStream(onboardingStream(sessionId));
  const timeline = [];
  for (const e of events) {
    const { opened, erased } = await openAll(deps.cipher, e.data as Record<string, unknown>);
    timeline.push({
      position: e.streamPosition,
      type: e.type,
      recorded_at: e.recordedAt,
      data: opened,
      ...(erased.length > 0 ? { erased_fields: erased } : {}),
    });
  }
  const observations = [];
  for (const key of (await deps.storage.list(sessionId)).filter((k) => k.endsWith('.json'))) {
    const stored = JSON.parse((await deps.storage.read(key))?.toString('utf8') ?? '{}') as {
      uploads?: string[];
      at?: string;
      sealed?: Sealed;
    };
    const clear = stored.sealed ? await deps.cipher.open(stored.sealed) : null;
    observations.push({
      observation_id: key.slice(key.lastIndexOf('/') + 1, -'.json'.length),
      uploads: stored.uploads ?? [],
      at: stored.at ?? null,
      fields: clear === null ? null : (JSON.parse(clear) as unknown),
      ...(clear === null ? { erased_fields: ['fields'] } : {}),
    });
  }
  return { session_id: sessionId, events: timeline, observations };
};
