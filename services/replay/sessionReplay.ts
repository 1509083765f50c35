import type { RecordedEvent } from '../../events/envelope';
import { fold } from '../../events/onboarding/state';
import { personalFields } from '../../events/schemas/onboardingSchemas';
import { asOnboardingEvents } from '../sessions/loadSession';

const snakeCase = (type: string): string =>
  type.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

const timeOf = (event: RecordedEvent): string =>
  (event.data as { at?: string }).at ?? event.recordedAt;

/** Event data for a viewer: personal (sealed) fields replaced by a marker, `at` lifted out. */
const masked = (event: RecordedEvent): Record<string, unknown> => {
  const data = { ...(event.data as Record<string, unknown>) };
  delete data.at;
  for (const field of personalFields(event.type as Parameters<typeof personalFields>[0])) {
    if (data[field] != null) data[field] = { masked: true };
  }
  // The API speaks snake_case, like every other response.
  return Object.fromEntries(Object.entries(data).map(([key, value]) => [snakeCase(key), value]));
};

/**
 * A session's timeline straight from its stream, as it stood at `asOf` (event time, inclusive):
 * every event up to then, personal fields masked, and the state folded from exactly those events.
 */
export const replaySession = (
  events: readonly RecordedEvent[],
  asOf: Date | null,
  page: Readonly<{ fromPosition: number; limit: number }>,
) => {
  const cutoff = asOf?.getTime() ?? Number.POSITIVE_INFINITY;
  const visible = events.filter((e) => Date.parse(timeOf(e)) <= cutoff);
  const state = fold(asOnboardingEvents(visible));
  const shown = visible.filter((e) => e.streamPosition >= page.fromPosition).slice(0, page.limit);
  const last = shown.at(-1);
  return {
    state,
    timeline: shown.map((e) => ({
      position: e.streamPosition,
      timestamp: timeOf(e),
      recorded_at: e.recordedAt,
      event_type: snakeCase(e.type),
      data: masked(e),
    })),
    totalEvents: visible.length,
    nextPosition:
      last !== undefined && visible.some((e) => e.streamPosition > last.streamPosition)
        ? last.streamPosition + 1
        : null,
  };
};
