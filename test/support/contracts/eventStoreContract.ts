import { randomUUID } from 'node:crypto';
import {
  DuplicateEventIdError,
  WrongExpectedVersionError,
  type EventStore,
  type NewEvent,
} from '../../../infra/eventStore/eventStore';
import { uniqueName } from '../uniqueName';

const metadata = { correlationId: 'corr-1', tenantId: 'tenant-a', actor: 'test' };
const event = (type: string, data: Record<string, unknown> = {}): NewEvent => ({
  eventId: randomUUID(),
  type,
  data,
  metadata,
});
const category = () => uniqueName('ct').replace(/_/g, '');

/**
 * The EventStore contract. Every adapter runs it: Message DB on PostgreSQL and on PGlite, the
 * in-memory fake, and EventStoreDB where a server is configured.
 */
export const eventStoreContract = (
  name: string,
  open: () => Promise<{ store: EventStore; close: () => Promise<void> }>,
) => {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    let close: () => Promise<void>;
    beforeAll(async () => ({ store, close } = await open()));
    afterAll(async () => close());

    it('appends to a new stream and reads the events back in order', async () => {
      const stream = `${category()}-${randomUUID()}`;
      const result = await store.appendToStream(
        stream,
        [event('A', { n: 1 }), event('B', { nested: { ok: true } })],
        { expectedVersion: -1 },
      );
      expect(result.nextExpectedVersion).toBe(1);
      const { events, version } = await store.readStream(stream);
      expect(version).toBe(1);
      expect(events.map((e) => [e.type, e.streamPosition, e.streamName])).toEqual([
        ['A', 0, stream],
        ['B', 1, stream],
      ]);
      expect(events[1]?.data).toEqual({ nested: { ok: true } });
      expect(events[0]?.metadata).toMatchObject(metadata);
      expect(Number.isNaN(Date.parse(events[0]?.recordedAt ?? ''))).toBe(false);
    });

    it('reads a stream from a position, bounded, and always reports its current version', async () => {
      const stream = `${category()}-${randomUUID()}`;
      await store.appendToStream(stream, [event('A'), event('B'), event('C'), event('D')], {
        expectedVersion: -1,
      });
      const tail = await store.readStream(stream, { fromPosition: 2 });
      expect(tail.events.map((e) => [e.type, e.streamPosition])).toEqual([
        ['C', 2],
        ['D', 3],
      ]);
      expect(tail.version).toBe(3);
      const one = await store.readStream(stream, { fromPosition: 1, maxCount: 1 });
      expect(one.events.map((e) => e.type)).toEqual(['B']);
      expect(one.version).toBe(3);
      expect(await store.readStream(stream, { fromPosition: 4 })).toEqual({
        events: [],
        version: 3,
      });
      expect(await store.readStream(`${category()}-${randomUUID()}`, { fromPosition: 5 })).toEqual({
        events: [],
        version: -1,
      });
    });

    it('reads a missing stream as empty with version -1', async () => {
      expect(await store.readStream(`${category()}-${randomUUID()}`)).toEqual({
        events: [],
        version: -1,
      });
    });

    it('rejects a wrong expected version and reports the current one, appending nothing', async () => {
      const stream = `${category()}-${randomUUID()}`;
      await store.appendToStream(stream, [event('A')], { expectedVersion: -1 });
      const attempt = store.appendToStream(stream, [event('B'), event('C')], {
        expectedVersion: 5,
      });
      await expect(attempt).rejects.toBeInstanceOf(WrongExpectedVersionError);
      await expect(attempt).rejects.toMatchObject({ currentVersion: 0 });
      await expect(
        store.appendToStream(stream, [event('B')], { expectedVersion: -1 }),
      ).rejects.toBeInstanceOf(WrongExpectedVersionError);
      expect((await store.readStream(stream)).version).toBe(0);
    });

    it("appends with 'any' regardless of the version", async () => {
      const stream = `${category()}-${randomUUID()}`;
      await store.appendToStream(stream, [event('A')], { expectedVersion: 'any' });
      await store.appendToStream(stream, [event('B')], { expectedVersion: 'any' });
      expect((await store.readStream(stream)).version).toBe(1);
    });

    it('lets exactly one of several concurrent appends at the same version win', async () => {
      const stream = `${category()}-${randomUUID()}`;
      await store.appendToStream(stream, [event('A')], { expectedVersion: -1 });
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, () =>
          store.appendToStream(stream, [event('B'), event('C')], { expectedVersion: 0 }),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(
        results.filter(
          (r) => r.status === 'rejected' && r.reason instanceof WrongExpectedVersionError,
        ),
      ).toHaveLength(7);
      expect((await store.readStream(stream)).version).toBe(2);
    });

    it('never stores one event id twice: a repeated id is DuplicateEventIdError, nothing of that append is stored', async () => {
      const stream = `${category()}-${randomUUID()}`;
      const once = event('A');
      await store.appendToStream(stream, [once], { expectedVersion: 'any' });
      // A retried append (the same event again), with either kind of expected version.
      await expect(
        store.appendToStream(stream, [once], { expectedVersion: 'any' }),
      ).rejects.toBeInstanceOf(DuplicateEventIdError);
      await expect(
        store.appendToStream(stream, [once], { expectedVersion: 0 }),
      ).rejects.toMatchObject({ code: 'duplicate_event_id', retriable: false, streamName: stream });
      // A new event next to a stored id: the append is rejected whole.
      const fresh = event('B');
      await expect(
        store.appendToStream(stream, [fresh, once], { expectedVersion: 0 }),
      ).rejects.toBeInstanceOf(DuplicateEventIdError);
      const { events, version } = await store.readStream(stream);
      expect(version).toBe(0);
      expect(events.map((e) => e.eventId)).toEqual([once.eventId]);
      // The stream still takes new events at the next position.
      await store.appendToStream(stream, [fresh], { expectedVersion: 0 });
      expect((await store.readStream(stream)).version).toBe(1);
    });

    it('rejects one id twice in a single append with DuplicateEventIdError, storing nothing', async () => {
      const stream = `${category()}-${randomUUID()}`;
      const twice = event('A');
      await expect(
        store.appendToStream(stream, [twice, twice], { expectedVersion: -1 }),
      ).rejects.toBeInstanceOf(DuplicateEventIdError);
      expect(await store.readStream(stream)).toEqual({ events: [], version: -1 });
    });

    it('reads a category in commit order from a position, in pages, without gaps or doubles', async () => {
      const cat = category();
      const other = category();
      const streams = [randomUUID(), randomUUID(), randomUUID()].map((id) => `${cat}-${id}`);
      for (let i = 0; i < 12; i += 1) {
        const stream = streams[i % 3] ?? '';
        await store.appendToStream(stream, [event('E', { i })], { expectedVersion: 'any' });
        await store.appendToStream(`${other}-${randomUUID()}`, [event('Noise')], {
          expectedVersion: 'any',
        });
      }
      const seen: number[] = [];
      let from = 0;
      for (let page = 0; page < 10; page += 1) {
        const batch = await store.readCategory(cat, from, 5);
        if (batch.length === 0) break;
        expect(batch.length).toBeLessThanOrEqual(5);
        batch.forEach((e) => seen.push((e.data as { i: number }).i));
        expect(batch.every((e) => e.streamName.startsWith(`${cat}-`))).toBe(true);
        const positions = batch.map((e) => e.globalPosition);
        expect([...positions].sort((a, b) => a - b)).toEqual(positions);
        from = (batch.at(-1)?.globalPosition ?? from) + 1;
      }
      expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => i));
    });
  });
};
