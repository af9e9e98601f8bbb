import { createElement } from 'lwc';
import SalesInvoiceExport from 'c/salesInvoiceExport';
import getSummary from '@salesforce/apex/SalesInvoiceExportController.getSummary';
import startExport from '@salesforce/apex/SalesInvoiceExportController.startExport';
import getRunStatus from '@salesforce/apex/SalesInvoiceExportController.getRunStatus';
import { publish } from 'lightning/messageService';
import EXPORT_RUN_CHANNEL from '@salesforce/messageChannel/Ledgerline_Export_Run__c';
import { getNavigateCalledWith, resetNavigation } from 'lightning/navigation';
import { flushPromises, resetDOM, apexError } from '../../../../../test/jest-utils';

// Imperative Apex, mocked virtually as in lwc-recipes.
jest.mock('@salesforce/apex/SalesInvoiceExportController.getSummary', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/SalesInvoiceExportController.startExport', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/SalesInvoiceExportController.getRunStatus', () => ({ default: jest.fn() }), {
  virtual: true,
});
// Labels with placeholders get their real text so the formatted result can be checked; the others
// resolve to "c.<Name>" (sfdx-lwc-jest's default), which proves they come from Custom Labels.
jest.mock('@salesforce/label/c.SIE_Token_Expires', () => ({ default: 'Refresh token expires in {0} days' }), {
  virtual: true,
});
jest.mock('@salesforce/label/c.SIE_Progress_Of', () => ({ default: '{0} of {1}' }), { virtual: true });
jest.mock('@salesforce/label/c.SIE_Progress_Label', () => ({ default: '{0}: {1}' }), { virtual: true });
jest.mock('@salesforce/label/c.SIE_Plan_Summary', () => ({ default: 'Would create {0} / match {1} / fail {2}' }), { virtual: true });
jest.mock('@salesforce/label/c.SIE_Days_Left', () => ({ default: '{0} days left on the refresh token' }), { virtual: true });
jest.mock('@salesforce/label/c.SIE_Connected_To', () => ({ default: 'QuickBooks company: {0}' }), { virtual: true });
jest.mock('@salesforce/label/c.SIE_Expiring_Warning', () => ({ default: 'The QuickBooks authorization ends in {0} days.' }), { virtual: true });
jest.mock('@salesforce/label/c.SIE_Export_Unavailable_Not_Connected', () => ({ default: 'Export is unavailable: {0} is not connected to QuickBooks.' }), {
  virtual: true,
});
jest.mock(
  '@salesforce/label/c.SIE_Export_Unavailable_Disconnected',
  () => ({ default: 'Export is unavailable: an admin disconnected {0} from QuickBooks on {1}.' }),
  {
    virtual: true,
  },
);
jest.mock('@salesforce/label/c.SIE_Counts_As_Of', () => ({ default: 'Counts as of {0}: read again later.' }), { virtual: true });
jest.mock('@salesforce/label/c.SIE_Plan_Renamed', () => ({ default: '"{0}" becomes "{1}": {2}.' }), { virtual: true });
jest.mock('@salesforce/label/c.SIE_Plan_Shortened', () => ({ default: 'Shortened to fit QuickBooks: {0}.' }), { virtual: true });
jest.mock('@salesforce/label/c.SIE_Reads_This_Month', () => ({ default: 'QuickBooks reads this month: {0} of {1} ({2} by this Company)' }), {
  virtual: true,
});
jest.mock('@salesforce/label/c.SIE_Reads_This_Month_Unmetered', () => ({ default: 'QuickBooks reads this month: {0} ({1} by this Company), not metered' }), {
  virtual: true,
});
jest.mock('@salesforce/label/c.SIE_Run_Reads', () => ({ default: 'QuickBooks reads by this run: {0}' }), { virtual: true });
jest.mock('@salesforce/label/c.SIE_Plan_Fix', () => ({ default: 'Fix: {0}' }), { virtual: true });
jest.mock('@salesforce/label/c.SIE_Plan_Matched_By', () => ({ default: '{0} ({1})' }), { virtual: true });

const SUMMARY = require('./data/getSummary.json');
const RUN_RUNNING = require('./data/getRunStatusRunning.json');
const RUN_FINISHED = require('./data/getRunStatusFinished.json');
const RUN_UNAUTHORIZED = require('./data/getRunStatusUnauthorized.json');
const RUN_DRY_RUN = require('./data/getRunStatusDryRun.json');
const RUN_DRY_RUN_UNREACHABLE = require('./data/getRunStatusDryRunUnreachable.json');

const UNAUTHORIZED_SENTENCE =
  'QuickBooks export API call encountered UNAUTHORIZED status code and could not be completed. Please reset your QuickBooks authorization token and try again.';

function summaryWith(overrides = {}, connection = {}) {
  return {
    ...SUMMARY,
    ...overrides,
    connection: { ...SUMMARY.connection, ...connection },
  };
}

async function render() {
  const element = createElement('c-sales-invoice-export', { is: SalesInvoiceExport });
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => Array.from(element.shadowRoot.querySelectorAll(selector));
const text = (element, selector) => {
  const node = $(element, selector);
  return node ? node.textContent.replace(/\s+/g, ' ').trim() : null;
};
const exportButton = (element) => $(element, 'lightning-button.export-button');
/** The <a> inside a c-quick-books-auth-link. */
const authLink = (element, id) => {
  const host = $(element, `c-quick-books-auth-link[data-id="${id}"]`);
  return host ? host.shadowRoot.querySelector('a') : null;
};
const phaseTexts = (element) => $$(element, '[data-phase]').map((phase) => phase.querySelector('[data-id="phaseText"]').textContent);
const barValues = (element) => $$(element, 'lightning-progress-bar').map((bar) => bar.value);
const dryRunButton = (element) => $(element, 'lightning-button.dry-run-button');

/** Real-timer wait for something to appear (for the tests that cannot use fake timers). */
async function waitFor(find, timeoutMs = 2000, describe = () => '') {
  const deadline = Date.now() + timeoutMs;
  while (!find()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for the component ${describe()}`);
    // Polling on purpose: each round lets the component's promises settle.
    // eslint-disable-next-line no-await-in-loop
    await flushPromises();
  }
}

async function tick(ms = 1000) {
  jest.advanceTimersByTime(ms);
  await flushPromises();
}

describe('c-sales-invoice-export', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });

  afterEach(() => {
    resetDOM();
    resetNavigation();
    jest.clearAllMocks();
    jest.useRealTimers();
  });

  describe('QuickBooks payment status', () => {
    const STATUS_SYNC = require('../../quickBooksStatusSync/__tests__/data/getSummaryStatusSync.json');

    it('shows the status sync of a connected QuickBooks Online company, and reads the summary again when a sync ends', async () => {
      getSummary.mockResolvedValue(summaryWith({ statusSync: STATUS_SYNC }));
      const element = await render();
      const panel = $(element, 'c-quick-books-status-sync[data-id="statusSync"]');
      expect(panel).not.toBeNull();
      expect(panel.statusSync).toEqual(STATUS_SYNC);

      panel.dispatchEvent(new CustomEvent('syncfinished', { detail: { syncId: 'x', status: 'succeeded' } }));
      await flushPromises();
      expect(getSummary).toHaveBeenCalledTimes(2);
    });

    it('hides it where there is none (QuickBooks Desktop) or the company is not connected', async () => {
      getSummary.mockResolvedValue(summaryWith({ statusSync: null }));
      expect($(await render(), 'c-quick-books-status-sync')).toBeNull();
      resetDOM();
      getSummary.mockResolvedValue(summaryWith({ statusSync: STATUS_SYNC }, { state: 'not_connected' }));
      expect($(await render(), 'c-quick-books-status-sync')).toBeNull();
    });
  });

  describe('summary', () => {
    it('renders the company name and the three export quantities', async () => {
      getSummary.mockResolvedValue(SUMMARY);

      const element = await render();

      expect(getSummary).toHaveBeenCalledTimes(1);
      expect(text(element, '[data-id="companyName"]')).toBe('Acme Manufacturing');
      expect(text(element, '[data-id="productCount"]')).toBe('12');
      expect(text(element, '[data-id="customerCount"]')).toBe('7');
      expect(text(element, '[data-id="invoiceCount"]')).toBe('25');
      const labels = $$(element, '.summary .slds-form-element__label').map((n) => n.textContent);
      expect(labels).toEqual(['c.SIE_Company', 'c.SIE_Product_Export_Qty', 'c.SIE_Customer_Export_Qty', 'c.SIE_Invoice_Export_Qty']);
    });

    it('disables Export and Dry Run while the summary loads', async () => {
      let resolveSummary;
      getSummary.mockReturnValue(
        new Promise((resolve) => {
          resolveSummary = resolve;
        }),
      );
      const element = createElement('c-sales-invoice-export', { is: SalesInvoiceExport });
      document.body.appendChild(element);
      await flushPromises();

      expect(exportButton(element).disabled).toBe(true);
      expect(dryRunButton(element).disabled).toBe(true);
      expect($(element, 'lightning-spinner')).not.toBeNull();

      resolveSummary(SUMMARY);
      await flushPromises();

      expect(exportButton(element).disabled).toBe(false);
      expect(dryRunButton(element).disabled).toBe(false);
      expect($(element, 'lightning-spinner')).toBeNull();
    });

    it('shows the error panel when the summary cannot be loaded', async () => {
      getSummary.mockRejectedValue(apexError('Your user has no Company.'));

      const element = await render();

      const panel = $(element, 'c-error-panel');
      expect(panel).not.toBeNull();
      expect(panel.shadowRoot.textContent).toContain('Your user has no Company.');
      expect(exportButton(element).disabled).toBe(true);
      // Without a summary nothing is known about the connection: no "Not connected" badge.
      expect($(element, '[data-id="connection"]')).toBeNull();
    });
  });

  describe('QuickBooks connection', () => {
    it.each([
      ['connected', {}, 'c.SIE_Connected', 'slds-theme_success'],
      ['expiring', { state: 'expiring', daysLeft: 4 }, 'Refresh token expires in 4 days', 'slds-theme_warning'],
      ['reauthorization_required', { state: 'reauthorization_required', daysLeft: 0 }, 'c.SIE_Reauthorization_Required', 'slds-theme_error'],
      ['not_connected', { state: 'not_connected', realmId: null, quickBooksCompanyName: null, daysLeft: null }, 'c.SIE_Not_Connected', ''],
    ])('renders the %s state', async (state, connection, label, badgeClass) => {
      getSummary.mockResolvedValue(summaryWith({}, connection));

      const element = await render();

      const badge = $(element, '[data-id="connectionState"]');
      expect(badge.label).toBe(label);
      expect(badge.dataset.state).toBe(state);
      expect(badge.className).toBe(badgeClass);
    });

    it('names the QuickBooks company and the days left on the refresh token, and links to QuickBooks Authentication in a new window', async () => {
      getSummary.mockResolvedValue(SUMMARY);

      const element = await render();

      expect(text(element, '[data-id="connectionDetail"]')).toBe('QuickBooks company: Acme Manufacturing (QBO) · 87 days left on the refresh token');
      expect($(element, '[data-id="expiringWarning"]')).toBeNull();
      expect($(element, '[data-id="exportUnavailable"]')).toBeNull();
      const link = authLink(element, 'authLink');
      expect(link.href).toBe(SUMMARY.connection.authenticationUrl);
      expect(link.target).toBe('_blank');
      expect(link.rel).toBe('noopener noreferrer');
      expect(link.textContent).toContain('c.SIE_QuickBooks_Authentication');
    });

    it('warns from 14 days before the refresh token ends, with the link, and still lets the user export', async () => {
      getSummary.mockResolvedValue(summaryWith({}, { state: 'expiring', daysLeft: 10 }));

      const element = await render();

      const warning = $(element, '[data-id="expiringWarning"]');
      expect(warning).not.toBeNull();
      expect(text(element, '[data-id="expiringWarning"] h2')).toContain('The QuickBooks authorization ends in 10 days.');
      expect(authLink(element, 'expiringAuthLink').href).toBe(SUMMARY.connection.authenticationUrl);
      expect(text(element, '[data-id="connectionDetail"]')).toBe('QuickBooks company: Acme Manufacturing (QBO)');
      expect(exportButton(element).disabled).toBe(false);
    });

    it("shows the QuickBooks reads used this month against Intuit's monthly budget, and this Company's share", async () => {
      getSummary.mockResolvedValue(SUMMARY);
      const element = await render();
      expect(text(element, '[data-id="monthReads"]')).toBe('QuickBooks reads this month: 1,310 of 500,000 (412 by this Company)');
    });

    it('says when reads are not metered, and shows no reads for a company that does not count them', async () => {
      getSummary.mockResolvedValue(summaryWith({}, { reads: { company: 3, used: 9, budget: 0, month: '2025-11' } }));
      let element = await render();
      expect(text(element, '[data-id="monthReads"]')).toBe('QuickBooks reads this month: 9 (3 by this Company), not metered');
      document.body.removeChild(element);

      getSummary.mockResolvedValue(summaryWith({}, { reads: null }));
      element = await render();
      expect($(element, '[data-id="monthReads"]')).toBeNull();
    });

    it('disables Export and Dry Run when the company is not connected, and says why with the link', async () => {
      getSummary.mockResolvedValue(summaryWith({}, { state: 'not_connected', quickBooksCompanyName: null, daysLeft: null }));

      const element = await render();

      expect($(element, '[data-id="connectionDetail"]')).toBeNull();
      expect(exportButton(element).disabled).toBe(true);
      expect(dryRunButton(element).disabled).toBe(true);
      expect(text(element, '[data-id="exportUnavailable"] h2')).toContain('Export is unavailable: Acme Manufacturing is not connected to QuickBooks.');
      expect(authLink(element, 'unavailableAuthLink').href).toBe(SUMMARY.connection.authenticationUrl);
      exportButton(element).click();
      await flushPromises();
      expect(startExport).not.toHaveBeenCalled();
    });

    it('after an admin disconnected the company, says so with the date instead of "not connected"', async () => {
      getSummary.mockResolvedValue(
        summaryWith({}, { state: 'not_connected', realmId: null, quickBooksCompanyName: null, daysLeft: null, disconnectedAt: '2025-11-20T17:30:00.000Z' }),
      );

      const element = await render();

      expect(exportButton(element).disabled).toBe(true);
      const reason = text(element, '[data-id="exportUnavailable"] h2');
      expect(reason).toContain('Export is unavailable: an admin disconnected Acme Manufacturing from QuickBooks on Nov 20, 2025');
      expect(reason).not.toContain('is not connected');
      expect($(element, '[data-id="connectionState"]').label).toBe('c.SIE_Disconnected');
    });

    it('marks counts kept while the org’s API allowance is at its reserve with their time, in the user’s date format', async () => {
      getSummary.mockResolvedValue(summaryWith({ countsHeld: true, countsAsOf: '2025-11-24T18:05:09.000Z' }));

      const element = await render();

      expect(text(element, '[data-id="countsAsOf"]')).toMatch(/^Counts as of Nov 24, 2025, \d{2}:05:09 [AP]M: read again later\.$/);
      expect(text(element, '[data-id="invoiceCount"]')).toBe('25');
    });

    it('shows no "as of" note for counts read now', async () => {
      getSummary.mockResolvedValue(SUMMARY);

      const element = await render();

      expect($(element, '[data-id="countsAsOf"]')).toBeNull();
    });

    it('disables Export when QuickBooks must be reauthorized', async () => {
      getSummary.mockResolvedValue(summaryWith({}, { state: 'reauthorization_required', daysLeft: 0, reason: 'The QuickBooks refresh token has expired' }));

      const element = await render();

      expect(exportButton(element).disabled).toBe(true);
      expect($(element, '[data-id="exportUnavailable"]')).not.toBeNull();
      expect($(element, '[data-id="expiringWarning"]')).toBeNull();
    });
  });

  describe('export', () => {
    it('calls startExport and disables Export while the run is going', async () => {
      getSummary.mockResolvedValue(SUMMARY);
      startExport.mockResolvedValue({ runId: 'run-1', status: 'running' });
      getRunStatus.mockResolvedValue(RUN_RUNNING);
      const element = await render();

      exportButton(element).click();
      await flushPromises();

      expect(startExport).toHaveBeenCalledWith({ dryRun: false, invoiceNumbers: null });
      expect(exportButton(element).disabled).toBe(true);
      expect(dryRunButton(element).disabled).toBe(true);
      expect(text(element, '[data-id="progressHeading"]')).toBe('c.SIE_Export_Running');

      // A second click while running does nothing.
      exportButton(element).click();
      await flushPromises();
      expect(startExport).toHaveBeenCalledTimes(1);
    });

    it('says what a running export waits for, and shows a payments bar when the company exports payments', async () => {
      getSummary.mockResolvedValue(SUMMARY);
      startExport.mockResolvedValue({ runId: 'run-1', status: 'running' });
      getRunStatus.mockResolvedValue({
        ...RUN_RUNNING,
        progress: { ...RUN_RUNNING.progress, payments: { done: 1, total: 4 } },
        waiting: { reason: "QuickBooks' rate limit (it answered 429)", until: '2026-11-20T10:01:00.000Z' },
      });
      const element = await render();

      exportButton(element).click();
      await flushPromises();
      await tick(1000);

      // Labels are their names under jest; the page itself fills in the reason and the time.
      expect(text(element, '[data-id="waiting"]')).toBe('c.SIE_Run_Waiting');
      expect($(element, '[data-phase="payments"]')).not.toBeNull();
      expect($(element, '[data-phase="payments"]').dataset.value).toBe('25');
    });

    it('shows the QuickBooks reads the running export has used', async () => {
      getSummary.mockResolvedValue(SUMMARY);
      startExport.mockResolvedValue({ runId: 'run-1', status: 'running' });
      getRunStatus.mockResolvedValue(RUN_RUNNING);
      const element = await render();

      exportButton(element).click();
      await flushPromises();
      await tick(1000);

      expect(text(element, '[data-id="runReads"]')).toBe('QuickBooks reads by this run: 37');
    });

    it('says when the company exports by itself, when an admin scheduled it', async () => {
      getSummary.mockResolvedValue(summaryWith({ schedule: { everyMinutes: 15, nextAt: '2026-11-20T10:45:00.000Z' } }));
      const element = await render();
      expect(text(element, '[data-id="schedule"]')).toBe('c.SIE_Scheduled');
    });

    it('while a QuickBooks Desktop run goes, reads the Pending Sync count again as Web Connector sessions deliver', async () => {
      const desktop = (pendingSync) =>
        summaryWith({ accountingSystem: 'Desktop', pendingSync, activeRunId: 'run-1', webConnector: { setUp: true, runEveryMinutes: 10 } });
      getSummary.mockResolvedValueOnce(desktop(9)).mockResolvedValue(desktop(4));
      getRunStatus.mockResolvedValue(RUN_RUNNING);
      const element = await render();
      const before = getSummary.mock.calls.length;
      await tick();
      await tick();
      await tick();
      expect(getSummary.mock.calls.length).toBeGreaterThan(before);
      expect(element.shadowRoot.querySelector('[data-id="desktop"]')).not.toBeNull();
    });

    it('says that a QuickBooks Desktop company waits for the Web Connector', async () => {
      getSummary.mockResolvedValue(summaryWith({ accountingSystem: 'Desktop', pendingSync: 3, webConnector: { setUp: true, runEveryMinutes: 10 } }));
      const element = await render();
      expect(text(element, '[data-id="desktop"]')).toBe('c.SIE_Desktop_Notice');
      expect(exportButton(element).disabled).toBe(false);
    });

    it('says nothing of a schedule when there is none', async () => {
      getSummary.mockResolvedValue(summaryWith({ schedule: null }));
      const element = await render();
      expect($(element, '[data-id="schedule"]')).toBeNull();
    });

    it('passes the optional invoice numbers', async () => {
      getSummary.mockResolvedValue(SUMMARY);
      startExport.mockResolvedValue({ runId: 'run-1', status: 'running' });
      getRunStatus.mockResolvedValue(RUN_RUNNING);
      const element = await render();

      const input = $(element, 'lightning-input[data-id="invoiceNumbers"]');
      input.value = ' SI-000123, SI-000124 ';
      input.dispatchEvent(new CustomEvent('change', { detail: { value: ' SI-000123, SI-000124 ' } }));
      exportButton(element).click();
      await flushPromises();

      expect(startExport).toHaveBeenCalledWith({ dryRun: false, invoiceNumbers: 'SI-000123, SI-000124' });
    });

    it.each([',', ' , ', ',,  ,'])('refuses a box that names no invoice (%p) with a message on the field, and starts nothing', async (typed) => {
      getSummary.mockResolvedValue(SUMMARY);
      startExport.mockResolvedValue({ runId: 'run-1', status: 'running' });
      const element = await render();
      const input = $(element, 'lightning-input[data-id="invoiceNumbers"]');
      // The base component shows what setCustomValidity says once reportValidity is called.
      input.setCustomValidity = jest.fn();
      input.reportValidity = jest.fn();

      input.value = typed;
      input.dispatchEvent(new CustomEvent('change', { detail: { value: typed } }));
      exportButton(element).click();
      await flushPromises();
      dryRunButton(element).click();
      await flushPromises();

      expect(startExport).not.toHaveBeenCalled();
      expect(input.setCustomValidity).toHaveBeenLastCalledWith('c.LL_Error_No_Invoice_Number');
      expect(input.reportValidity).toHaveBeenCalled();
      expect($(element, '[data-id="progress"]')).toBeNull();
      expect(exportButton(element).disabled).toBe(false);

      // Typing a number clears the message; the export then goes with it.
      input.dispatchEvent(new CustomEvent('change', { detail: { value: 'SI-000123,' } }));
      expect(input.setCustomValidity).toHaveBeenLastCalledWith('');
      getRunStatus.mockResolvedValue(RUN_RUNNING);
      exportButton(element).click();
      await flushPromises();
      expect(startExport).toHaveBeenCalledWith({ dryRun: false, invoiceNumbers: 'SI-000123,' });
    });

    it('exports every approved invoice when the box is blank', async () => {
      getSummary.mockResolvedValue(SUMMARY);
      startExport.mockResolvedValue({ runId: 'run-1', status: 'running' });
      getRunStatus.mockResolvedValue(RUN_RUNNING);
      const element = await render();
      const input = $(element, 'lightning-input[data-id="invoiceNumbers"]');
      input.dispatchEvent(new CustomEvent('change', { detail: { value: '   ' } }));
      exportButton(element).click();
      await flushPromises();
      expect(startExport).toHaveBeenCalledWith({ dryRun: false, invoiceNumbers: null });
    });

    it('polls getRunStatus about once a second and updates the progress bars', async () => {
      getSummary.mockResolvedValue(SUMMARY);
      startExport.mockResolvedValue({ runId: 'run-1', status: 'running' });
      getRunStatus.mockResolvedValueOnce(RUN_RUNNING).mockResolvedValueOnce(RUN_FINISHED);
      const element = await render();

      exportButton(element).click();
      await flushPromises();
      expect(getRunStatus).not.toHaveBeenCalled();

      await tick(1000);
      expect(getRunStatus).toHaveBeenCalledTimes(1);
      expect(getRunStatus).toHaveBeenCalledWith({ runId: 'run-1' });
      const bars = $$(element, 'lightning-progress-bar');
      expect(bars.map((bar) => bar.value)).toEqual([100, 100, 40, 0]);
      expect(phaseTexts(element)).toEqual(['7 of 7', '12 of 12', '10 of 25', '0 of 25']);

      await tick(1000);
      expect(getRunStatus).toHaveBeenCalledTimes(2);
      expect(barValues(element)).toEqual([100, 100, 100, 100]);

      // Finished: no more polling.
      await tick(5000);
      expect(getRunStatus).toHaveBeenCalledTimes(2);
    });

    it('shows the result summary, refreshes the counts and re-enables Export when the run finishes', async () => {
      getSummary.mockResolvedValueOnce(SUMMARY).mockResolvedValueOnce(summaryWith({ counts: { products: 0, customers: 0, invoices: 1 } }));
      startExport.mockResolvedValue({ runId: 'run-1', status: 'running' });
      getRunStatus.mockResolvedValueOnce(RUN_RUNNING).mockResolvedValueOnce(RUN_FINISHED);
      const element = await render();

      exportButton(element).click();
      await flushPromises();
      await tick();
      expect($(element, '[data-id="result"]')).toBeNull();
      await tick();

      expect(text(element, '[data-id="progressHeading"]')).toBe('c.SIE_Export_Finished');
      expect($(element, '[data-id="runStatus"]').label).toBe('c.SIE_Status_Completed_With_Errors');
      const counts = Object.fromEntries($$(element, '[data-count]').map((node) => [node.dataset.count, node.querySelector('dd').textContent]));
      expect(counts).toEqual({
        created: '41',
        matched: '2',
        renamed: '1',
        skipped: '0',
        warnings: '3',
        errors: '1',
      });
      const link = $(element, '[data-id="processLogLink"]');
      expect(link.getAttribute('href')).toBe('/lightning/r/Process_Log__c/a0C5e000002XyZaEAK/view');
      link.click();
      expect(getNavigateCalledWith().pageReference).toEqual({
        type: 'standard__recordPage',
        attributes: { recordId: 'a0C5e000002XyZaEAK', objectApiName: 'Process_Log__c', actionName: 'view' },
      });
      // Every status went out on the Ledgerline Export Run channel, the last one finished.
      expect(publish).toHaveBeenCalledTimes(2);
      expect(publish.mock.calls[1][1]).toBe(EXPORT_RUN_CHANNEL);
      expect(publish.mock.calls[1][2]).toEqual({
        runId: 'run-1',
        companyId: 'a0B5e000001AbCdEAK',
        status: 'completed_with_errors',
        phase: 'done',
        dryRun: false,
        finished: true,
        processLogId: 'a0C5e000002XyZaEAK',
        counts: RUN_FINISHED.counts,
      });
      expect(getSummary).toHaveBeenCalledTimes(2);
      expect(text(element, '[data-id="productCount"]')).toBe('0');
      expect(text(element, '[data-id="invoiceCount"]')).toBe('1');
      expect(exportButton(element).disabled).toBe(false);
    });

    it('never moves a bar back, and says "Nothing to do" instead of "0 of 0"', async () => {
      getSummary.mockResolvedValue(SUMMARY);
      startExport.mockResolvedValue({ runId: 'run-1', status: 'running' });
      const noProducts = { ...RUN_RUNNING.progress, products: { done: 0, total: 0 } };
      getRunStatus
        .mockResolvedValueOnce({ ...RUN_RUNNING, progress: noProducts })
        // A late answer with less done than before.
        .mockResolvedValueOnce({ ...RUN_RUNNING, progress: { ...noProducts, invoices: { done: 4, total: 25 } } });
      const element = await render();

      exportButton(element).click();
      await flushPromises();
      await tick();
      expect(phaseTexts(element)).toEqual(['7 of 7', 'c.SIE_Progress_None', '10 of 25', '0 of 25']);
      // Past the products phase (the run is on invoices), the empty phase is complete.
      expect(barValues(element)).toEqual([100, 100, 40, 0]);

      await tick();
      expect(barValues(element)).toEqual([100, 100, 40, 0]);
      expect(phaseTexts(element)[2]).toBe('10 of 25');
      expect(phaseTexts(element).join(' ')).not.toContain('0 of 0');
    });

    it('shows the UNAUTHORIZED sentence verbatim with the QuickBooks Authentication link', async () => {
      getSummary.mockResolvedValue(SUMMARY);
      startExport.mockResolvedValue({ runId: 'run-2', status: 'running' });
      getRunStatus.mockResolvedValue(RUN_UNAUTHORIZED);
      const element = await render();

      exportButton(element).click();
      await flushPromises();
      await tick();

      const alert = $(element, '[data-id="runError"]');
      expect(alert.getAttribute('role')).toBe('alert');
      expect(text(element, '[data-id="runErrorMessage"]')).toBe(UNAUTHORIZED_SENTENCE);
      const link = authLink(element, 'runErrorAuthLink');
      expect(link.href).toBe(SUMMARY.connection.authenticationUrl);
      expect(link.target).toBe('_blank');
      expect(link.textContent).toContain('c.SIE_QuickBooks_Authentication');
      expect($(element, '[data-id="runStatus"]').label).toBe('c.SIE_Status_Failed');
      expect(text(element, '[data-id="progressHeading"]')).toBe('c.SIE_Export_Stopped');
      expect(barValues(element)).toEqual([0, 0, 0, 0]);
    });

    it('does not offer the authentication link for other run errors', async () => {
      getSummary.mockResolvedValue(SUMMARY);
      startExport.mockResolvedValue({ runId: 'run-2', status: 'running' });
      getRunStatus.mockResolvedValue({
        ...RUN_UNAUTHORIZED,
        error: { code: 'SALESFORCE_UNAVAILABLE', message: 'Salesforce is not available right now.' },
      });
      const element = await render();

      exportButton(element).click();
      await flushPromises();
      await tick();

      expect(text(element, '[data-id="runErrorMessage"]')).toBe('Salesforce is not available right now.');
      expect(authLink(element, 'runErrorAuthLink')).toBeNull();
    });

    it('shows a 409 in the error panel and follows the run that is already going', async () => {
      getSummary.mockResolvedValueOnce(SUMMARY).mockResolvedValueOnce(summaryWith({ activeRunId: 'run-9' }));
      startExport.mockRejectedValue(apexError('An export is already running for this company.'));
      getRunStatus.mockResolvedValue({ ...RUN_RUNNING, runId: 'run-9' });
      const element = await render();

      exportButton(element).click();
      await flushPromises();

      const panel = $(element, 'c-error-panel');
      expect(panel).not.toBeNull();
      expect(panel.shadowRoot.textContent).toContain('An export is already running for this company.');
      expect(getSummary).toHaveBeenCalledTimes(2);
      expect(getRunStatus).toHaveBeenCalledWith({ runId: 'run-9' });
      expect(exportButton(element).disabled).toBe(true);
      expect(barValues(element)).toEqual([100, 100, 40, 0]);
    });

    it('gives up polling after three failed status calls and shows the error', async () => {
      getSummary.mockResolvedValue(SUMMARY);
      startExport.mockResolvedValue({ runId: 'run-1', status: 'running' });
      getRunStatus.mockRejectedValue(apexError('Ledgerline cannot be reached right now.'));
      const element = await render();

      exportButton(element).click();
      await flushPromises();
      await tick();
      await tick();
      expect($(element, 'c-error-panel')).toBeNull();
      await tick();

      expect(getRunStatus).toHaveBeenCalledTimes(3);
      expect($(element, 'c-error-panel').shadowRoot.textContent).toContain('Ledgerline cannot be reached right now.');
      expect(exportButton(element).disabled).toBe(false);
      await tick(5000);
      expect(getRunStatus).toHaveBeenCalledTimes(3);
    });

    it('stops polling when removed from the page', async () => {
      getSummary.mockResolvedValue(SUMMARY);
      startExport.mockResolvedValue({ runId: 'run-1', status: 'running' });
      getRunStatus.mockResolvedValue(RUN_RUNNING);
      const element = await render();

      exportButton(element).click();
      await flushPromises();
      document.body.removeChild(element);
      await tick(5000);

      expect(getRunStatus).not.toHaveBeenCalled();
    });
  });

  describe('resuming', () => {
    it('follows the active run named by the summary at once', async () => {
      getSummary.mockResolvedValue(summaryWith({ activeRunId: 'run-7' }));
      getRunStatus.mockResolvedValue({ ...RUN_RUNNING, runId: 'run-7' });

      const element = await render();

      expect(getRunStatus).toHaveBeenCalledWith({ runId: 'run-7' });
      expect(exportButton(element).disabled).toBe(true);
      expect(text(element, '[data-id="progressHeading"]')).toBe('c.SIE_Export_Running');

      await tick();
      expect(getRunStatus).toHaveBeenCalledTimes(2);
    });
  });

  describe('dry run', () => {
    async function dryRun(status) {
      getSummary.mockResolvedValue(SUMMARY);
      startExport.mockResolvedValue({ runId: status.runId, status: 'running' });
      getRunStatus.mockResolvedValue(status);
      const element = await render();
      dryRunButton(element).click();
      await flushPromises();
      return element;
    }

    it('starts a dry run and summarises the plan as "Would create / match / fail", never "Created 0"', async () => {
      const element = await dryRun(RUN_DRY_RUN);
      expect(startExport).toHaveBeenCalledWith({ dryRun: true, invoiceNumbers: null });
      expect(text(element, '[data-id="progressHeading"]')).toBe('c.SIE_Dry_Run_Running');

      await tick();

      expect(text(element, '[data-id="progressHeading"]')).toBe('c.SIE_Dry_Run_Finished');
      expect($$(element, '[data-phase]').map((phase) => phase.dataset.phase)).toEqual(['customers', 'products', 'invoices']);
      expect(text(element, '[data-id="planSummary"]')).toBe('Would create 34 / match 7 / fail 2');
      expect($(element, '[data-count]')).toBeNull();
      expect($(element, '[data-id="result"]').textContent).not.toContain('c.SIE_Count_Created');
      const totals = $(element, 'lightning-datatable[data-id="planTotals"]');
      expect(totals.data.map(({ key, match, create, rename, fail }) => [key, match, create, rename, fail])).toEqual([
        ['customers', 2, 4, 1, 0],
        ['products', 5, 7, 0, 0],
        ['invoices', 0, 23, 0, 2],
      ]);
    });

    it('lists every decision in a datatable: failures first, then renames and shortenings, each linked to its record', async () => {
      const element = await dryRun(RUN_DRY_RUN);
      await tick();

      const table = $(element, 'lightning-datatable[data-id="planDecisions"]');
      expect(table.columns.map((c) => c.fieldName)).toEqual(['recordType', 'recordUrl', 'actionLabel', 'quickBooks', 'change', 'reason']);
      expect(table.data.map((row) => [row.recordName, row.action])).toEqual([
        ['SI-000118', 'fail'],
        ['Acme Supplies', 'create'],
        ['Industrial widget with a very long name', 'create'],
        ['SI-000101', 'create'],
        ['Jane Doe', 'match'],
      ]);
      const [failed, renamed, shortened, , matched] = table.data;
      expect(failed.reason).toBe('Line 2 has no Product. Fix: Set a Product on line 2 of SI-000118.');
      expect(failed.recordUrl).toBe('/lightning/r/Sales_Invoice__c/a035e00000AbCdFAAA/view');
      expect(renamed.change).toBe('"Acme Supplies" becomes "Acme Supplies (C)": a QuickBooks vendor already uses the name.');
      expect(renamed.recordUrl).toBe('/lightning/r/Customer__c/a015e00000AbCdFAAA/view');
      expect(shortened.change).toBe('Shortened to fit QuickBooks: Name.');
      expect(matched.quickBooks).toBe('Jane Doe #58 (by email)');
      expect($(element, '[data-id="planTruncated"]')).toBeNull();
      // A long fix is read whole: the table wraps text without cutting it after a few lines.
      expect(table.columns.find((c) => c.fieldName === 'reason').wrapText).toBe(true);
      expect(table.wrapTextMaxLines).toBeUndefined();
    });

    it('says when the list is cut short', async () => {
      const element = await dryRun({ ...RUN_DRY_RUN, plan: { ...RUN_DRY_RUN.plan, truncated: true } });
      await tick();

      expect(text(element, '[data-id="planTruncated"]')).toBe('c.SIE_Plan_Truncated');
    });

    it('says the dry run could not reach QuickBooks instead of drawing an empty plan', async () => {
      const element = await dryRun(RUN_DRY_RUN_UNREACHABLE);
      await tick();

      expect(text(element, '[data-id="progressHeading"]')).toBe('c.SIE_Dry_Run_Stopped');
      expect(text(element, '[data-id="dryRunUnreachable"]')).toBe('c.SIE_Dry_Run_No_QuickBooks');
      expect(text(element, '[data-id="runErrorMessage"]')).toBe(RUN_DRY_RUN_UNREACHABLE.error.message);
      expect($(element, '[data-id="plan"]')).toBeNull();
      expect($(element, '[data-id="planSummary"]')).toBeNull();
      expect($(element, '[data-id="runStatus"]').label).toBe('c.SIE_Status_Failed');
    });

    it('shows no plan for a real export', async () => {
      getSummary.mockResolvedValue(SUMMARY);
      startExport.mockResolvedValue({ runId: 'run-1', status: 'running' });
      getRunStatus.mockResolvedValue(RUN_FINISHED);
      const element = await render();

      exportButton(element).click();
      await flushPromises();
      await tick();

      expect($(element, '[data-id="plan"]')).toBeNull();
      expect($(element, '[data-id="planSummary"]')).toBeNull();
    });
  });

  describe('accessibility', () => {
    it('labels its buttons, links, progress bars and live regions', async () => {
      getSummary.mockResolvedValue(SUMMARY);
      startExport.mockResolvedValue({ runId: 'run-2', status: 'running' });
      getRunStatus.mockResolvedValueOnce(RUN_RUNNING).mockResolvedValueOnce(RUN_UNAUTHORIZED);
      const element = await render();

      expect(exportButton(element).label).toBe('c.SIE_Export');
      expect(exportButton(element).title).toBe('c.SIE_Export_Help');
      expect(dryRunButton(element).label).toBe('c.SIE_Dry_Run');
      expect($(element, 'lightning-input').label).toBe('c.SIE_Invoice_Numbers');
      const connectionLink = authLink(element, 'authLink');
      expect(connectionLink.querySelector('.slds-assistive-text').textContent).toBe('c.SIE_Opens_New_Window');

      exportButton(element).click();
      await flushPromises();
      await tick();

      const progress = $(element, '[data-id="progress"]');
      expect(progress.getAttribute('aria-live')).toBe('polite');
      expect(progress.getAttribute('aria-label')).toBe('c.SIE_Export_Running');
      const bars = $$(element, 'lightning-progress-bar');
      expect(bars).toHaveLength(4);
      expect(bars.map((bar) => bar.ariaLabel)).toEqual([
        'c.SIE_Phase_Customers: 7 of 7',
        'c.SIE_Phase_Products: 12 of 12',
        'c.SIE_Phase_Invoices: 10 of 25',
        'c.SIE_Phase_Write_Back: 0 of 25',
      ]);

      await tick();
      expect($(element, '[data-id="runError"]').getAttribute('role')).toBe('alert');
      expect(authLink(element, 'runErrorAuthLink').querySelector('.slds-assistive-text').textContent).toBe('c.SIE_Opens_New_Window');
      expect($(element, '[data-id="result"]').getAttribute('aria-label')).toBe('c.SIE_Result');
    });

    it('is accessible with a summary, while running and with a dry run plan (sa11y)', async () => {
      // sa11y refuses to run under fake timers: this test polls for real, every 5 ms.
      jest.useRealTimers();
      getSummary.mockResolvedValue(summaryWith({}, { state: 'expiring', daysLeft: 9 }));
      startExport.mockResolvedValue({ runId: 'run-3', status: 'running' });
      let release;
      const running = new Promise((resolve) => {
        release = resolve;
      });
      getRunStatus.mockResolvedValueOnce({ ...RUN_RUNNING, runId: 'run-3', dryRun: true }).mockImplementation(() => running.then(() => RUN_DRY_RUN));
      const element = createElement('c-sales-invoice-export', { is: SalesInvoiceExport });
      element.pollInterval = 5;
      document.body.appendChild(element);
      await flushPromises();
      await expect(element).toBeAccessible();

      dryRunButton(element).click();
      await waitFor(() => $(element, '[data-phase]'));
      await expect(element).toBeAccessible();

      release();
      await waitFor(
        () => $(element, '[data-id="plan"]'),
        5000,
        () => JSON.stringify([getRunStatus.mock.calls.length, text(element, '[data-id="progressHeading"]')]),
      );
      await expect(element).toBeAccessible();
    });

    it('announces errors through the error panel as an alert', async () => {
      getSummary.mockRejectedValue(apexError('Boom'));

      const element = await render();

      const panel = $(element, 'c-error-panel');
      expect(panel.shadowRoot.querySelector('[role="alert"]')).not.toBeNull();
    });
  });
});
