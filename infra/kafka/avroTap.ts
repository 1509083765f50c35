import type avro from 'avsc';
import { createRequire } from 'node:module';

/** The part of avsc's internal Tap (lib/utils.js, avsc 5.7) this module relies on. */
type AvscTap = {
  buf: Buffer;
  pos: number;
  readLong(): number;
  _invalidate(): void;
};
type TapClass = new (buf: Buffer, pos?: number) => AvscTap;
/** What a type or resolver offers its generated readers and writers (not in avsc's typings). */
type Readable = { _read(tap: AvscTap): unknown };
type Writable = { _write(tap: AvscTap, value: unknown): void };

const load = createRequire(require.resolve('avsc'));
const { Tap } = load('./utils') as { Tap: TapClass };

const slots = 512;
const longest = 32;
type Utf8 = Buffer & { utf8Slice(from: number, to: number): string };

/**
 * avsc's Tap with one change: strings up to 32 bytes come from a small cache keyed by their bytes.
 * Each string avsc reads costs a native `utf8Slice` call, the largest single cost of decoding an
 * event (tenant ids, actors, step and question names, codes repeat from one event to the next);
 * hashing and comparing a few bytes in JS is several times cheaper. Longer strings are read as
 * before. The cache is per tap, so per codec.
 */
class InterningTap extends Tap {
  private readonly lengths = new Int32Array(slots).fill(-1);
  private readonly bytes = new Uint8Array(slots * longest);
  private readonly strings: string[] = new Array<string>(slots).fill('');

  readString(): string | undefined {
    const len = this.readLong();
    if (len < 0) {
      this._invalidate();
      return '';
    }
    const buf = this.buf as Utf8;
    const pos = this.pos;
    const end = pos + len;
    this.pos = end;
    if (end > buf.length) return undefined;
    if (len > longest) return buf.utf8Slice(pos, end);
    let h = len;
    for (let i = pos; i < end; i += 1) h = Math.imul(h ^ (buf[i] as number), 0x01000193);
    const slot = (h >>> 0) & (slots - 1);
    const base = slot * longest;
    if (this.lengths[slot] === len && this.same(buf, pos, base, len)) {
      return this.strings[slot];
    }
    const s = buf.utf8Slice(pos, end);
    this.lengths[slot] = len;
    for (let k = 0; k < len; k += 1) this.bytes[base + k] = buf[pos + k] as number;
    this.strings[slot] = s;
    return s;
  }

  private same(buf: Buffer, pos: number, base: number, len: number): boolean {
    for (let k = 0; k < len; k += 1) if (buf[pos + k] !== this.bytes[base + k]) return false;
    return true;
  }
}

/**
 * One tap for reading and one for writing, reused for every value (avsc's `decode`/`encode`
 * allocate a Tap and a result object per call).
 */
const empty = Buffer.alloc(0);
export const createTaps = () => {
  const reader = new InterningTap(empty);
  const writer = new Tap(empty);
  return {
    /** The value in `buf` from `pos` to its end; undefined when it is truncated or longer. */
    read: (type: avro.Type | ReturnType<avro.Type['createResolver']>, buf: Buffer, pos: number) => {
      reader.buf = buf;
      reader.pos = pos;
      const value = (type as unknown as Readable)._read(reader);
      const complete = reader.pos === buf.length;
      reader.buf = empty; // not to keep the caller's buffer alive
      return complete ? value : undefined;
    },
    /** Writes from `pos`; the end offset, or minus the bytes missing when `buf` is too short. */
    write: (type: avro.Type, value: unknown, buf: Buffer, pos: number): number => {
      writer.buf = buf;
      writer.pos = pos;
      (type as unknown as Writable)._write(writer, value);
      const end = writer.pos;
      return end <= buf.length ? end : buf.length - end;
    },
  };
};
