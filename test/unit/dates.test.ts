// Payment dates are calendar dates in the company's time zone: near midnight, and across a DST change.
import { isTimeZone, localDate } from '../../service/src/export/dates';
import { paymentDay } from '../../service/src/export/plan/invoices';

describe('calendar dates in a company’s time zone', () => {
  it('when a payment is taken at 00:30 local time in UTC−8, then it stays on its local day (not the UTC day before or after)', () => {
    // 00:30 on 15 January in Los Angeles (PST, UTC−8) is 08:30 UTC the same day; 23:30 on the 14th is 07:30 UTC on the 15th.
    expect(localDate('2026-01-15T08:30:00Z', 'America/Los_Angeles')).toBe('2026-01-15');
    expect(localDate('2026-01-15T07:30:00Z', 'America/Los_Angeles')).toBe('2026-01-14');
  });

  it('when a payment is taken at 00:30 in UTC, then it is that day', () => {
    expect(localDate('2026-01-15T00:30:00Z', 'UTC')).toBe('2026-01-15');
    expect(localDate('2026-01-14T23:59:59Z', 'UTC')).toBe('2026-01-14');
  });

  it('when a payment is taken at 00:30 in UTC+10, then it is that local day although UTC is still the day before', () => {
    // 00:30 on 15 January in Brisbane (AEST, UTC+10, no DST) is 14:30 UTC on the 14th.
    expect(localDate('2026-01-14T14:30:00Z', 'Australia/Brisbane')).toBe('2026-01-15');
    expect(localDate('2026-01-14T13:59:00Z', 'Australia/Brisbane')).toBe('2026-01-14');
  });

  it('when the clocks change, then the offset of that night is used', () => {
    // US DST starts 8 March 2026 at 02:00 local: 00:30 PST = 08:30 UTC; after the change, 00:30 on the 9th is PDT = 07:30 UTC.
    expect(localDate('2026-03-08T08:30:00Z', 'America/Los_Angeles')).toBe('2026-03-08');
    expect(localDate('2026-03-09T07:30:00Z', 'America/Los_Angeles')).toBe('2026-03-09');
    expect(localDate('2026-03-09T06:59:00Z', 'America/Los_Angeles')).toBe('2026-03-08');
    // Sydney leaves DST on 5 April 2026 at 03:00 local (UTC+11 -> UTC+10).
    expect(localDate('2026-04-04T13:30:00Z', 'Australia/Sydney')).toBe('2026-04-05');
    expect(localDate('2026-04-05T14:30:00Z', 'Australia/Sydney')).toBe('2026-04-06');
  });

  it('when a payment has only a date, then the date is used as it is', () => {
    expect(paymentDay({ paidAt: null, date: '2026-02-01' }, 'Australia/Brisbane')).toBe('2026-02-01');
    expect(paymentDay({ paidAt: '2026-01-31T14:30:00Z', date: '2026-01-31' }, 'Australia/Brisbane')).toBe('2026-02-01');
  });

  it('when a zone name is checked, then known ones pass and others do not', () => {
    expect(isTimeZone('America/Los_Angeles')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});
