import type { CheckpointRef } from '../../events/onboarding/state';
import type { Sealed } from '../../events/sealed';
import { onboardingStream } from '../../events/streamNames';
import type { EventStore } from '../../infra/eventStore/eventStore';
import type { FieldCipher } from '../../infra/privacy/fieldCipher';

/**
 * A checkpoint's client data, read from its own CheckpointSaved event (one event, by position)
 * and opened. `erased` is true when the subject's key is gone: the data can never be read again.
 */
export const openCheckpointData = async (
  deps: Readonly<{ eventStore: EventStore; cipher: FieldCipher }>,
  sessionId: string,
  ref: CheckpointRef,
): Promise<{ data: unknown; erased: boolean }> => {
  const { events } = await deps.eventStore.readStream(onboardingStream(sessionId), {
    fromPosition: ref.position,
    maxCount: 1,
  });
  const event = events[0];
  const data = event?.data as { checkpointVersion?: number; data?: Sealed | null } | undefined;
  if (event?.type !== 'CheckpointSaved' || data?.checkpointVersion !== ref.version) {
    throw new Error(`checkpoint ${ref.version} is not at position ${ref.position}`);
  }
  if (data.data == null) return { data: null, erased: false };
  const clear = await deps.cipher.open(data.data);
  return clear === null ? { data: null, erased: true } : { data: JSON.parse(clear), erased: false };
};
