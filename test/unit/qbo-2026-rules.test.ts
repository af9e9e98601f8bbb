// Pure rules behind QuickBooks Online as it is in 2026: the settings' floors and defaults, and how a created invoice's
// number tells that the company's numbering preference changed under the run.
import { ConfigError, loadConfig } from '../../service/src/config';
import { numberingChange, NumberingChanged, NumberingWatch, preferenceNotes } from '../../service/src/export/preferences';
import { pacingReason, readBudgetLow, readBudgetSpentText } from '../../service/src/export/entries';
import type { CompanyModel } from '../../service/src/export/model';
import type { TargetSettings } from '../../service/src/export/target';

describe('QuickBooks settings of 2026', () => {
  it('when nothing is set, then 10 requests a second, 10 in flight and a budget of 500,000 reads a month, on minor version 75', () => {
    const qb = loadConfig({}).quickbooks;
    expect([qb.requestsPerSecond, qb.maxConcurrent, qb.monthlyReadBudget, qb.minorVersion]).toEqual([10, 10, 500_000, 75]);
  });

  it('when a minor version below 75 is set, then the configuration is refused, saying QuickBooks ignores it', () => {
    expect(() => loadConfig({ QBO_MINOR_VERSION: '74' })).toThrow(ConfigError);
    expect(() => loadConfig({ QBO_MINOR_VERSION: '65' })).toThrow(/QuickBooks ignores lower minor versions since 1 August 2025/);
    expect(loadConfig({ QBO_MINOR_VERSION: '76' }).quickbooks.minorVersion).toBe(76);
  });

  it('when the read budget is 0, then reads are not metered; more than 10 requests a second is refused', () => {
    expect(loadConfig({ QBO_MONTHLY_READ_BUDGET: '0' }).quickbooks.monthlyReadBudget).toBe(0);
    expect(() => loadConfig({ QBO_REQUESTS_PER_SECOND: '11' })).toThrow(ConfigError);
    expect(loadConfig({ QBO_REQUESTS_PER_SECOND: '4' }).quickbooks.requestsPerSecond).toBe(4);
  });
});

describe('the numbering a run planned', () => {
  it('when the number sent comes back, or QuickBooks numbered an invoice it was to number, then the numbering holds', () => {
    expect(numberingChange('INV-1', { number: 'INV-1' })).toBeNull();
    expect(numberingChange(null, { number: '1042' })).toBeNull();
    expect(numberingChange('INV-1', {})).toBeNull(); // the target did not say
  });

  it('when QuickBooks replaced the number sent, or left a number it was to give empty, then the numbering changed', () => {
    expect(numberingChange('INV-1', { number: '1042' })).toBe('replaced');
    expect(numberingChange('INV-1', { number: null })).toBe('replaced');
    expect(numberingChange(null, { number: null })).toBe('missing');
    expect(numberingChange(null, { number: '' })).toBe('missing');
  });

  it('when one created invoice shows the change, then it is named and the phase stops at its next step', () => {
    const watch = new NumberingWatch();
    expect(watch.check({ id: 'a1', name: 'INV-1' }, 'INV-1', { id: '10', number: 'INV-1' })).toEqual([]);
    watch.assertHeld();
    const [e] = watch.check({ id: 'a2', name: 'INV-2' }, 'INV-2', { id: '11', number: '1043' });
    expect(e).toMatchObject({ level: 'WARN', recordName: 'INV-2', targetId: '11' });
    expect(e!.message).toBe(
      'Invoice INV-2 was created in QuickBooks (Id 11) with number 1043 instead of INV-2: QuickBooks no longer keeps the numbers it is sent.',
    );
    expect(() => watch.assertHeld()).toThrow(NumberingChanged);
    expect(watch.change).toBe('replaced');
  });

  it('when the company has Automated Sales Tax on, then the run says once that QuickBooks computes the tax', () => {
    const company = { name: 'Acme', numbering: 'target' } as CompanyModel;
    const settings: TargetSettings = {
      companyName: 'Acme Books',
      customNumbers: true,
      multiCurrency: false,
      homeCurrency: 'USD',
      rejectsDuplicateNumbers: true,
    };
    expect(preferenceNotes(company, settings)).toEqual([]);
    const notes = preferenceNotes(company, { ...settings, automatedSalesTax: true });
    expect(notes).toHaveLength(1);
    expect(notes[0]!.message).toMatch(/Automated Sales Tax turned on/);
  });
});

describe('the monthly read budget in words', () => {
  it('when 80 % are used, then the warning gives the count, the month and when QuickBooks would block reads', () => {
    const e = readBudgetLow('Acme', { month: '2026-07', used: 400_000, budget: 500_000 });
    expect(e.message).toBe(
      'Ledgerline has used 400,000 of its 500,000 QuickBooks reads for July 2026 (80%, every company together). At 500,000 QuickBooks blocks all reads until August 1, 2026 and shows the app as Offline to its companies.',
    );
  });

  it('when the budget is spent, then the run’s sentence says it stopped before reading, and the fix says when to export again', () => {
    const { message, fix } = readBudgetSpentText({ month: '2026-12', used: 500_000, budget: 500_000 });
    expect(message).toMatch(/^The export stopped before reading more from QuickBooks: .* until January 1, 2027\.$/);
    expect(fix).toMatch(/^Export again on or after January 1, 2027 \(UTC\)/);
  });

  it('when a call waits for a window, then the page reads how long in whole seconds', () => {
    expect(pacingReason(11_200, 'batch')).toBe("pacing to QuickBooks' limits — next batch in 12 s");
    expect(pacingReason(300, 'call')).toBe("pacing to QuickBooks' limits — next call in 1 s");
  });
});
