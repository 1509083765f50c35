import { fold, type OnboardingState, type SessionState } from '../../events/onboarding/state';
import { onboardingStream } from '../../events/streamNames';
import type { EventStore } from '../../infra/eventStore/eventStore';
import { asOnboardingEvents, type LoadedSession } from './loadSession';

/** A session restored from its newest usable snapshot + tail (or, with none, the whole stream). */
export type RestoreSession = (
  sessionId: string,
) => Promise<Readonly<{ state: OnboardingState; version: number; tailLength: number }>>;

export type SessionLoaderDeps = Readonly<{
  eventStore: EventStore;
  restore: RestoreSession;
  /** Writes a snapshot (every tier); null: the command path takes none. */
  takeSnapshot: ((state: SessionState, position: number) => Promise<unknown>) | null;
  /** Sessions kept folded in this process (least recently used dropped); 0: no cache. */
  cacheSize: number;
  /** A snapshot is taken once this many events were folded past the newest one; 0: never. */
  snapshotEvery: number;
}>;

/** A folded state at a stream version, and the position of the newest snapshot known to exist. */
type Entry = Readonly<{ state: OnboardingState; version: number; snapshotAt: number }>;

/**
 * The command path's loader: the cached state at its stream version + the tail read from the
 * store (one query, usually empty), or on a miss the restorer's snapshot + tail. Every load still
 * reads the store, so a client reads its own writes and sees other processes' writes; the cost
 * no longer grows with the stream. Folding a tail onto a state equals folding the whole stream
 * (property-tested), so the cache can only be stale, never wrong, and a stale entry is caught by
 * the version check. Snapshots taken here bound what a restart or another process must replay.
 */
export const createSessionLoader = (deps: SessionLoaderDeps) => {
  const cache = new Map<string, Entry>();

  const remember = (sessionId: string, entry: Entry): void => {
    if (deps.cacheSize === 0 || entry.version < 0) return;
    cache.delete(sessionId); // re-inserted last: Map order is the recency order
    cache.set(sessionId, entry);
    if (cache.size > deps.cacheSize) {
      const oldest = cache.keys().next();
      if (oldest.done !== true) cache.delete(oldest.value);
    }
  };

  const fromCache = async (sessionId: string, entry: Entry): Promise<Entry | null> => {
    const tail = await deps.eventStore.readStream(onboardingStream(sessionId), {
      fromPosition: entry.version + 1,
    });
    // A tail that does not continue the cached version (a store reset under us): restore.
    if (tail.version - entry.version !== tail.events.length) return null;
    const state = fold(asOnboardingEvents(tail.events), entry.state);
    return { state, version: tail.version, snapshotAt: entry.snapshotAt };
  };

  const fromRestore = async (sessionId: string): Promise<Entry> => {
    const restored = await deps.restore(sessionId);
    return {
      state: restored.state,
      version: restored.version,
      snapshotAt: restored.version - restored.tailLength,
    };
  };

  /** Fire and forget: a snapshot is an optimisation; a failed one is retried N events later. */
  const snapshotIfDue = (entry: Entry): Entry => {
    const due = deps.snapshotEvery > 0 && entry.version - entry.snapshotAt >= deps.snapshotEvery;
    if (!due || deps.takeSnapshot === null || entry.state === null) return entry;
    deps.takeSnapshot(entry.state, entry.version).catch(() => undefined);
    return { ...entry, snapshotAt: entry.version };
  };

  const load = async (sessionId: string): Promise<LoadedSession> => {
    const cached = cache.get(sessionId);
    const found =
      (cached && (await fromCache(sessionId, cached))) ?? (await fromRestore(sessionId));
    const entry = snapshotIfDue(found);
    remember(sessionId, entry);
    return { state: entry.state, version: entry.version };
  };

  /**
   * For a command: the cached state as it stands, without a read (marked `unchecked`), else a
   * load. Deciding on it is safe because the append carries its version as the expected one: if
   * another process appended since, the append fails and the handler decides again on a load.
   * Reads for a client (GET) never use this: they must see other processes' writes.
   */
  const loadForCommand = async (sessionId: string): Promise<LoadedSession> => {
    const cached = cache.get(sessionId);
    if (cached === undefined) return load(sessionId);
    remember(sessionId, cached);
    return { state: cached.state, version: cached.version, unchecked: true };
  };

  /** What a command just committed: the next load folds only what others appended since. */
  const committed = (sessionId: string, state: OnboardingState, version: number): void => {
    const known = cache.get(sessionId);
    if (known === undefined || known.version >= version) return;
    // Checked here too: with `loadForCommand` a busy session may never pass through `load`.
    remember(sessionId, snapshotIfDue({ state, version, snapshotAt: known.snapshotAt }));
  };

  return { load, loadForCommand, committed, size: () => cache.size };
};

export type CachedSessionLoader = ReturnType<typeof createSessionLoader>;
