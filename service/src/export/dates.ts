// Pure: calendar dates in a company's time zone. A payment taken at 00:30 local time is on that local day, not on
// the day before in UTC.

/** The calendar date (YYYY-MM-DD) of an instant in an IANA time zone. */
export function localDate(instant: string | Date, timeZone: string): string {
  const at = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(at.getTime())) throw new RangeError(`not a time: ${String(instant)}`);
  return dayFormat(timeZone).format(at);
}

/** One formatter a time zone: building one costs more than formatting with it, and a run formats every record's dates. */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

function dayFormat(timeZone: string): Intl.DateTimeFormat {
  let format = dayFormats.get(timeZone);
  if (!format) {
    // en-CA formats as YYYY-MM-DD.
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  return format;
}

/** Whether a time zone name is one this runtime knows. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
