/**
 * ISO-8601 UTC strings ↔ microseconds since the epoch, for the `timestamp-micros` logical type
 * (avroLogicalTypes.ts). Arithmetic rather than Date: Date.parse and toISOString cost about a
 * microsecond each, several times a whole event's decode.
 */
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

// Proleptic Gregorian calendar arithmetic (H. Hinnant's days_from_civil / civil_from_days).
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
 * 1828–2112 (microseconds past 2^52, see parseIso). Nothing is rounded.
 */
export const isoMicros = (s: unknown): number | undefined => {
  if (typeof s !== 'string') return undefined;
  if (s === parsed.text) return parsed.micros;
  const micros = parseIso(s);
  parsed.text = s;
  parsed.micros = micros;
  return micros;
};

// NaN (a non-digit) fails every comparison, so these also check that the digits are digits.
const shapeOk = (s: string, n: number): boolean =>
  (n === 24 || n === 27) &&
  at(s, 4, 45) && // -
  at(s, 7, 45) &&
  at(s, 10, 84) && // T
  at(s, 13, 58) && // :
  at(s, 16, 58) &&
  at(s, 19, 46) && // .
  at(s, n - 1, 90); // Z
const dateOk = (year: number, month: number, day: number): boolean =>
  year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
const clockOk = (hour: number, minute: number, second: number): boolean =>
  hour <= 23 && minute <= 59 && second <= 59;

const longLimit = 2 ** 52;
const parseIso = (s: string): number | undefined => {
  const n = s.length;
  if (!shapeOk(s, n)) return undefined;
  const year = digitsAt(s, 0, 4);
  const month = digitsAt(s, 5, 7);
  const day = digitsAt(s, 8, 10);
  const hour = digitsAt(s, 11, 13);
  const minute = digitsAt(s, 14, 16);
  const second = digitsAt(s, 17, 19);
  const fraction = digitsAt(s, 20, n - 1);
  if (!(dateOk(year, month, day) && clockOk(hour, minute, second) && fraction >= 0)) {
    return undefined;
  }
  if (n === 27 && fraction % 1000 === 0) return undefined;
  const seconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  const micros = seconds * 1e6 + (n === 24 ? fraction * 1000 : fraction);
  // avsc writes a long through a float zigzag (2n or -2n-1), exact up to 2^53: so |micros| < 2^52,
  // ±142 years around 1970 (1828–2112). Beyond, the string branch.
  return micros > -longLimit && micros < longLimit ? micros : undefined;
};

// A batch's times share few seconds (and recordedAt and at usually one): a small direct-mapped
// cache of their prefixes, keyed by the second.
const prefixSlots = 16;
const prefixSeconds = new Float64Array(prefixSlots).fill(NaN);
const prefixes: string[] = new Array<string>(prefixSlots).fill('');
const prefixCached = (seconds: number): string => {
  const slot = seconds & (prefixSlots - 1);
  if (prefixSeconds[slot] === seconds) return prefixes[slot] as string;
  const prefix = prefixOf(seconds);
  prefixSeconds[slot] = seconds;
  prefixes[slot] = prefix;
  return prefix;
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
