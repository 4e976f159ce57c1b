// Times of trade inputs: ISO 8601 with a zone, or epoch seconds / milliseconds. Throws a RangeError with the reason.

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?$/i;
const EPOCH = /^\d+(\.\d+)?$/;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Minutes east of UTC of `Z`, `UTC`, `+02`, `+0200` or `+02:00`. */
export function zoneOffsetMinutes(zone: string): number {
  if (/^(Z|UTC)$/i.test(zone)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!m) throw new RangeError(`zone ${JSON.stringify(zone)} is not Z, UTC or an offset like +02:00`);
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === "-" ? -minutes : minutes;
}

/**
 * Epoch ms of `text`: an ISO 8601 date-time with `Z`, `UTC` or an offset (a `T` or a space between date and time;
 * seconds and fractions optional), or an epoch number: below 1e11 seconds (up to the year 5138), else milliseconds.
 * A date-time without a zone takes `zone` when given, else it is an error asking for one.
 */
export function parseTradeTime(text: string, zone?: string): number {
  const t = text.trim();
  if (EPOCH.test(t)) {
    const v = Number(t);
    return Math.round(v < 1e11 ? v * 1000 : v);
  }
  const m = ISO.exec(t);
  if (!m) {
    throw new RangeError(
      `time ${JSON.stringify(text)} is not ISO 8601 with a zone (2025-01-02T10:00:00Z) nor epoch seconds or ms`,
    );
  }
  const [y, mo, d, h = 0, mi = 0, s = 0] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((x) =>
    x === undefined ? undefined : Number(x)
  ) as number[];
  const ms = Number(((m[7] ?? "") + "000").slice(0, 3));
  const leap = y! % 4 === 0 && (y! % 100 !== 0 || y! % 400 === 0);
  const days = mo === 2 ? (leap ? 29 : 28) : DAYS[mo! - 1] ?? 0;
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > days || h > 23 || mi > 59 || s > 59) {
    throw new RangeError(`time ${JSON.stringify(text)} is not a valid date and time`);
  }
  const z = m[8] ?? zone;
  if (z === undefined) {
    throw new RangeError(
      `time ${JSON.stringify(text)} has no zone; write it with Z or an offset (2025-01-02T10:00:00Z, ` +
        `2025-01-02T10:00:00+01:00), or give the file's zone in the column mapping (zone=UTC)`,
    );
  }
  return Date.UTC(y!, mo! - 1, d!, h, mi, s, ms) - zoneOffsetMinutes(z) * 60_000;
}
