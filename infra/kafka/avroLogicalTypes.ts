import avro from 'avsc';

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

/** Lower-case 8-4-4-4-12 hex: the one spelling the fixed can give back. */
export const isCanonicalUuid = (s: unknown): boolean => {
  if (typeof s !== 'string' || s.length !== 36) return false;
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
const readUuid = (buf: Buffer, pos: number): string => {
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

const digitsAt = (s: string, from: number, to: number): number => {
  let n = 0;
  for (let i = from; i < to; i += 1) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    n = n * 10 + c;
  }
  return n;
};
const twoDigits = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const threeDigits = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

// Proleptic Gregorian calendar arithmetic (H. Hinnant's days_from_civil / civil_from_days):
// Date.parse and toISOString cost a microsecond or more each, several times this.
const daysFromCivil = (year: number, month: number, day: number): number => {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
};
const daysInMonth = (year: number, month: number): number =>
  month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : month === 4 || month === 6 || month === 9 || month === 11
      ? 30
      : 31;
const at = (s: string, i: number, c: number): boolean => s.charCodeAt(i) === c;

/** "YYYY-MM-DDTHH:MM:SS." of a second since the epoch, as toISOString spells it. */
const prefixOf = (seconds: number): string => {
  const days = Math.floor(seconds / 86400);
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 0 || year > 9999) {
    const iso = new Date(seconds * 1000).toISOString(); // extended years: ±YYYYYY
    return iso.slice(0, iso.length - 4);
  }
  const s = seconds - days * 86400;
  const h = Math.floor(s / 3600);
  const mi = Math.floor((s - h * 3600) / 60);
  const y2 = twoDigits[Math.floor(year / 100)] as string;
  return `${y2}${twoDigits[year % 100] as string}-${twoDigits[month] as string}-${twoDigits[day] as string}T${twoDigits[h] as string}:${twoDigits[mi] as string}:${twoDigits[s - h * 3600 - mi * 60] as string}.`;
};

// A union asks each branch, then writes: remember the last string parsed.
const parsed = { text: '', micros: undefined as number | undefined };

/**
 * Microseconds since the epoch of an ISO-8601 UTC time in one of the two spellings Waymark writes,
 * milliseconds (`toISOString`, 24 characters) or microseconds (the store's `recorded_at`, 27);
 * undefined for any other spelling. `isoText` gives back 3 digits when the last three are 0, else
 * 6, so a 27-character time ending in `000Z` is not canonical either, nor one outside the years
 * 1685–2255 (microseconds past 2^53). Nothing is rounded.
 */
export const isoMicros = (s: unknown): number | undefined => {
  if (typeof s !== 'string') return undefined;
  if (s === parsed.text) return parsed.micros;
  const micros = parseIso(s);
  parsed.text = s;
  parsed.micros = micros;
  return micros;
};

const parseIso = (s: string): number | undefined => {
  const n = s.length;
  if (n !== 24 && n !== 27) return undefined;
  if (!(at(s, 4, 45) && at(s, 7, 45) && at(s, 10, 84) && at(s, 13, 58) && at(s, 16, 58))) {
    return undefined; // - - T : :
  }
  if (!(at(s, 19, 46) && at(s, n - 1, 90))) return undefined; // . Z
  const year = digitsAt(s, 0, 4);
  const month = digitsAt(s, 5, 7);
  const day = digitsAt(s, 8, 10);
  const hour = digitsAt(s, 11, 13);
  const minute = digitsAt(s, 14, 16);
  const second = digitsAt(s, 17, 19);
  const fraction = digitsAt(s, 20, n - 1);
  // NaN fails every comparison below, so a non-digit anywhere ends here too.
  if (!(year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month))) {
    return undefined;
  }
  if (!(hour <= 23 && minute <= 59 && second <= 59 && fraction >= 0)) return undefined;
  if (n === 27 && fraction % 1000 === 0) return undefined;
  const seconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  const micros = seconds * 1e6 + (n === 24 ? fraction * 1000 : fraction);
  // A JS number holds microseconds exactly for ±285 years around 1970 (1685–2255); beyond, text.
  return Number.isSafeInteger(micros) ? micros : undefined;
};

// The envelope's recordedAt and the data's at usually share a second, and a batch its minutes.
const printed = [
  { seconds: NaN, prefix: '' },
  { seconds: NaN, prefix: '' },
];
let older = 0;
const prefixCached = (seconds: number): string => {
  for (const p of printed) if (p.seconds === seconds) return p.prefix;
  const slot = printed[older] as { seconds: number; prefix: string };
  older = 1 - older;
  slot.seconds = seconds;
  slot.prefix = prefixOf(seconds);
  return slot.prefix;
};

export const isoText = (micros: number): string => {
  const seconds = Math.floor(micros / 1e6);
  const prefix = prefixCached(seconds);
  const fraction = micros - seconds * 1e6;
  const ms = Math.floor(fraction / 1000);
  const us = fraction - ms * 1000;
  return us === 0
    ? `${prefix}${threeDigits[ms] as string}Z`
    : `${prefix}${threeDigits[ms] as string}${threeDigits[us] as string}Z`;
};

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
