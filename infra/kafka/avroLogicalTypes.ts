import avro from 'avsc';
import { isoMicros, isoText } from './isoMicros';

/**
 * avsc logical types for the event envelope's `wire` fields (events/schemas/onboardingSchemas.ts):
 * the domain keeps ISO strings and UUID strings, the wire carries `timestamp-micros` longs and the
 * 16-byte `Uuid` fixed. Each canonical type accepts exactly the strings it gives back, and its
 * string sibling takes everything else, so a union of the two round-trips every value unchanged.
 *
 * `_check`, `_read` and `_write` are overridden (avsc calls them, they are not in its typings) to
 * skip the intermediate Buffer or Date a `_toValue`/`_fromValue` pair would allocate per value.
 */
type Tap = {
  buf: Buffer;
  pos: number;
  readLong(): number;
  writeLong(n: number): void;
  readString(): string;
  writeString(s: string): void;
};
type Hook = ((value: unknown, type: avro.Type) => void) | undefined;

const fail = (ok: boolean, value: unknown, type: avro.Type, hook: Hook): boolean => {
  if (!ok && hook) hook(value, type);
  return ok;
};
const sameLogical = (a: avro.Type, b: avro.Type): boolean => a.typeName === b.typeName;
const identity = (v: unknown): unknown => v;

// --- UUIDs -------------------------------------------------------------------------------------

const hexValue = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i += 1) hexValue['0123456789abcdef'.charCodeAt(i)] = i;
const dash = 0x2d;
/** Start offset of each byte's two hex digits in the 36-character form. */
const digitAt = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];

let lastUuid = '';
/** Lower-case 8-4-4-4-12 hex: the one spelling the fixed can give back. */
export const isCanonicalUuid = (s: unknown): boolean => {
  if (typeof s !== 'string' || s.length !== 36) return false;
  // A union asks both branches, then writes: the last UUID seen is the likeliest.
  if (s === lastUuid) return true;
  if (!hexSpelling(s)) return false;
  lastUuid = s;
  return true;
};
const hexSpelling = (s: string): boolean => {
  for (let i = 0; i < 36; i += 1) {
    const c = s.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== dash) return false;
    } else if (c > 127 || (hexValue[c] as number) < 0) return false;
  }
  return true;
};

const writeUuid = (s: string, buf: Buffer, pos: number): void => {
  for (let k = 0; k < 16; k += 1) {
    const d = digitAt[k] as number;
    buf[pos + k] =
      ((hexValue[s.charCodeAt(d)] as number) << 4) | (hexValue[s.charCodeAt(d + 1)] as number);
  }
};

const hexDigit = Buffer.from('0123456789abcdef', 'latin1');
// One flat string per UUID (a single latin1Slice), not a rope of 20 concatenations that every
// later use (Map key, SQL parameter) would have to flatten.
const uuidText = Buffer.alloc(36, dash) as Buffer & {
  latin1Slice(from: number, to: number): string;
};
// Consecutive events repeat their session and correlation ids: a direct-mapped cache of recent
// UUIDs by their bytes saves building the string again (one native call each).
const uuidSlots = 32;
const uuidBytes = new Uint8Array(uuidSlots * 16);
const uuidStrings: (string | undefined)[] = new Array<string | undefined>(uuidSlots).fill(
  undefined,
);
const sameBytes = (buf: Buffer, pos: number, base: number): boolean => {
  for (let k = 0; k < 16; k += 1) if (buf[pos + k] !== uuidBytes[base + k]) return false;
  return true;
};
const readUuid = (buf: Buffer, pos: number): string => {
  const slot = ((buf[pos + 15] as number) ^ ((buf[pos + 3] as number) << 1)) & (uuidSlots - 1);
  const base = slot * 16;
  const cached = uuidStrings[slot];
  if (cached !== undefined && sameBytes(buf, pos, base)) return cached;
  const text = uuidTextOf(buf, pos);
  for (let k = 0; k < 16; k += 1) uuidBytes[base + k] = buf[pos + k] as number;
  uuidStrings[slot] = text;
  return text;
};
const uuidTextOf = (buf: Buffer, pos: number): string => {
  for (let k = 0; k < 16; k += 1) {
    const b = buf[pos + k] as number;
    const d = digitAt[k] as number;
    uuidText[d] = hexDigit[b >> 4] as number;
    uuidText[d + 1] = hexDigit[b & 15] as number;
  }
  return uuidText.latin1Slice(0, 36);
};

/** `uuid` on the `Uuid` fixed(16). */
export class UuidType extends avro.types.LogicalType {
  _check(value: unknown, _flags?: unknown, hook?: Hook): boolean {
    return fail(isCanonicalUuid(value), value, this, hook);
  }
  _read(tap: Tap): string | undefined {
    const pos = tap.pos;
    tap.pos += 16;
    return tap.pos > tap.buf.length ? undefined : readUuid(tap.buf, pos);
  }
  _write(tap: Tap, value: string): void {
    const pos = tap.pos;
    tap.pos += 16;
    if (tap.pos <= tap.buf.length) writeUuid(value, tap.buf, pos);
  }
  protected override _fromValue(bytes: Buffer): string {
    return readUuid(bytes, 0);
  }
  protected override _toValue(value: unknown): Buffer | undefined {
    if (!isCanonicalUuid(value)) return undefined;
    const bytes = Buffer.alloc(16);
    writeUuid(value as string, bytes, 0);
    return bytes;
  }
  protected override _resolve(type: avro.Type): ((v: unknown) => unknown) | undefined {
    if (sameLogical(this, type)) return identity;
    const t = type as avro.Type & { size?: number };
    return t.typeName === 'fixed' && t.size === 16
      ? (b) => this._fromValue(b as Buffer)
      : undefined;
  }
}

// --- Timestamps --------------------------------------------------------------------------------

/** `timestamp-micros` on a long, shown as an ISO string (see isoMicros for which spellings). */
export class TimestampMicrosType extends avro.types.LogicalType {
  _check(value: unknown, _flags?: unknown, hook?: Hook): boolean {
    return fail(isoMicros(value) !== undefined, value, this, hook);
  }
  _read(tap: Tap): string {
    return isoText(tap.readLong());
  }
  _write(tap: Tap, value: string): void {
    tap.writeLong(isoMicros(value) as number);
  }
  protected override _fromValue(micros: number): string {
    return isoText(micros);
  }
  protected override _toValue(value: unknown): number | undefined {
    return isoMicros(value);
  }
  protected override _resolve(type: avro.Type): ((v: unknown) => unknown) | undefined {
    if (sameLogical(this, type)) return identity;
    return type.typeName === 'long' ? (m) => isoText(m as number) : undefined;
  }
}

// --- The string branches -----------------------------------------------------------------------

/** A string the canonical sibling does not take; reads any string (v1 values resolve into it). */
const textType = (isCanonical: (s: unknown) => boolean) =>
  class extends avro.types.LogicalType {
    _check(value: unknown, _flags?: unknown, hook?: Hook): boolean {
      return fail(typeof value === 'string' && !isCanonical(value), value, this, hook);
    }
    _read(tap: Tap): string {
      return tap.readString();
    }
    _write(tap: Tap, value: string): void {
      tap.writeString(value);
    }
    protected override _fromValue(value: string): string {
      return value;
    }
    protected override _toValue(value: unknown): string | undefined {
      return typeof value === 'string' && !isCanonical(value) ? value : undefined;
    }
    protected override _resolve(type: avro.Type): ((v: unknown) => unknown) | undefined {
      return sameLogical(this, type) || type.typeName === 'string' ? identity : undefined;
    }
  };

export const IdTextType = textType(isCanonicalUuid);
export const TimeTextType = textType((s) => isoMicros(s) !== undefined);

/** The `logicalTypes` option for avro.Type.forSchema. */
export const logicalTypes = {
  uuid: UuidType,
  'timestamp-micros': TimestampMicrosType,
  'waymark-id-text': IdTextType,
  'waymark-time-text': TimeTextType,
} as const;
