import { createElement } from 'lwc';
import ProcessLogViewer from 'c/processLogViewer';
import getRuns from '@salesforce/apex/ProcessLogController.getRuns';
import getRun from '@salesforce/apex/ProcessLogController.getRun';
import getEntries from '@salesforce/apex/ProcessLogController.getEntries';
import retryRecords from '@salesforce/apex/ProcessLogController.retryRecords';
import retryRun from '@salesforce/apex/ProcessLogController.retryRun';
import { APPLICATION_SCOPE, subscribe, unsubscribe } from 'lightning/messageService';
import EXPORT_RUN_CHANNEL from '@salesforce/messageChannel/Ledgerline_Export_Run__c';
import { getNavigateCalledWith, resetNavigation } from 'lightning/navigation';
import { flushPromises, resetDOM, apexError } from '../../../../../test/jest-utils';

jest.mock('@salesforce/apex/ProcessLogController.getRuns', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/ProcessLogController.getRun', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/ProcessLogController.getEntries', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/ProcessLogController.retryRecords', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/ProcessLogController.retryRun', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/label/c.PLV_Count_Summary', () => ({ default: 'Created {0} · Matched {1} · Renamed {2} · Skipped {3} · Warnings {4} · Errors {5}' }), {
  virtual: true,
});
jest.mock('@salesforce/label/c.PLV_Page_Of', () => ({ default: 'Page {0} of {1} ({2} runs)' }), { virtual: true });
jest.mock('@salesforce/label/c.PLV_Entries_Range', () => ({ default: 'Entries {0}–{1} of {2}' }), { virtual: true });

const RUNS = require('./data/getRuns.json');
const ENTRIES = require('./data/getEntries.json');
const [LATEST, OLDER] = RUNS.runs;

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const text = (element, selector) => {
  const node = $(element, selector);
  return node ? node.textContent.replace(/\s+/g, ' ').trim() : null;
};
const entriesTable = (element) => $(element, 'lightning-datatable[data-id="entriesTable"]');
const runsTable = (element) => $(element, 'lightning-datatable[data-id="runsTable"]');
/** Clicks Previous or Next of a c-pager, as the user would. */
const page = (element, pager, which) => $(element, `c-pager.${pager}-pager`).dispatchEvent(new CustomEvent(which));
const pagerOf = (element, pager) => $(element, `c-pager.${pager}-pager`);
const lastQuery = () => getEntries.mock.calls[getEntries.mock.calls.length - 1][0];

function runById(id) {
  return RUNS.runs.find((run) => run.Id === id);
}

async function render(props = {}) {
  const element = createElement('c-process-log-viewer', { is: ProcessLogViewer });
  Object.assign(element, props);
  document.body.appendChild(element);
  await flushPromises();
  await flushPromises();
  return element;
}

function change(element, selector, value) {
  $(element, selector).dispatchEvent(new CustomEvent('change', { detail: { value } }));
}

describe('c-process-log-viewer', () => {
  beforeEach(() => {
    getRuns.mockResolvedValue(RUNS);
    getRun.mockImplementation(({ processLogId }) => Promise.resolve(runById(processLogId)));
    getEntries.mockResolvedValue(ENTRIES);
  });

  afterEach(() => {
    resetDOM();
    resetNavigation();
    jest.clearAllMocks();
    jest.useRealTimers();
  });

  it('lists the runs, newest first, and shows the latest run with its entries, read from the org', async () => {
    const element = await render();

    expect(getRuns).toHaveBeenCalledWith({ pageSize: 10, startedBefore: null });
    expect(runsTable(element).data.map((run) => run.Id)).toEqual([LATEST.Id, OLDER.Id]);
    expect(runsTable(element).selectedRows).toEqual([LATEST.Id]);
    expect(runsTable(element).data[0].recordUrl).toBe(`/lightning/r/Process_Log__c/${LATEST.Id}/view`);
    expect(pagerOf(element, 'runs').text).toBe('Page 1 of 2 (12 runs)');
    expect(getRun).toHaveBeenCalledWith({ processLogId: LATEST.Id });
    expect($(element, '[data-id="logStatus"]').label).toBe('c.SIE_Status_Completed_With_Errors');
    expect(text(element, '[data-id="logCounts"]')).toBe('Created 41 · Matched 2 · Renamed 1 · Skipped 0 · Warnings 1 · Errors 1');
    expect($(element, '[data-id="logStarted"]').value).toBe(LATEST.Start_Time__c);
    expect(getEntries).toHaveBeenCalledWith({
      processLogId: LATEST.Id,
      query: { level: null, outcome: null, recordType: null, searchTerm: null, afterName: null, pageSize: 50 },
    });
    expect(entriesTable(element).data.map((entry) => entry.Name)).toEqual(['000001', '000002', '000003']);
    expect(pagerOf(element, 'entries').text).toBe('Entries 1–3 of 3');
  });

  it('links each entry to its Salesforce record through the navigation service and to its QuickBooks record', async () => {
    const element = await render({ quickBooksAppUrl: 'https://app.sandbox.qbo.intuit.com' });

    const [customer, invoice, summary] = entriesTable(element).data;
    expect(customer.recordUrl).toBe('/lightning/r/Customer__c/a015e000003AaaaAAA/view');
    expect(customer.quickBooksUrl).toBe('https://app.sandbox.qbo.intuit.com/app/customerdetail?nameId=58');
    expect(invoice.recordUrl).toBe('/lightning/r/Sales_Invoice__c/a035e000004BbbbAAA/view');
    expect(invoice.quickBooksUrl).toBeNull();
    expect(invoice.levelClass).toBe('slds-text-color_error');
    expect(summary.recordUrl).toBeNull();
    const columns = entriesTable(element).columns.map((c) => [c.fieldName, c.type]);
    expect(columns).toEqual([
      ['CreatedDate', 'date'],
      ['Level__c', 'text'],
      ['Outcome__c', 'text'],
      ['Record_Type__c', 'text'],
      ['recordUrl', 'url'],
      ['Message__c', 'text'],
      ['Fix__c', 'text'],
      ['quickBooksUrl', 'url'],
      ['retriedUrl', 'url'],
      [undefined, 'button'],
    ]);
  });

  it('shows a QuickBooks Desktop run’s ListIDs and TxnIDs as they are, with no QuickBooks Online link', async () => {
    const desktop = RUNS.runs.map((run) => ({ ...run, Company__r: { Accounting_System__c: 'Desktop' } }));
    getRuns.mockResolvedValue({ ...RUNS, runs: desktop });
    getRun.mockImplementation(({ processLogId }) => Promise.resolve(desktop.find((run) => run.Id === processLogId)));
    const element = await render({ quickBooksAppUrl: 'https://app.sandbox.qbo.intuit.com' });

    const [customer] = entriesTable(element).data;
    expect(customer.quickBooksUrl).toBeNull();
    expect(customer.QuickBooks_Id__c).toBe('58');
    // The QuickBooks id column, just before the retry columns.
    const column = entriesTable(element).columns[entriesTable(element).columns.length - 3];
    expect([column.fieldName, column.type]).toEqual(['QuickBooks_Id__c', 'text']);
  });

  it('opens the Process Log record with the navigation service', async () => {
    const element = await render();

    const link = $(element, '[data-id="logLink"]');
    expect(link.getAttribute('href')).toBe(`/lightning/r/Process_Log__c/${LATEST.Id}/view`);
    link.click();

    expect(getNavigateCalledWith().pageReference.attributes).toEqual({ recordId: LATEST.Id, objectApiName: 'Process_Log__c', actionName: 'view' });
  });

  it('filters by level, outcome and record kind in the org, from the first page', async () => {
    const element = await render();

    change(element, 'lightning-combobox.level-filter', 'ERROR');
    await flushPromises();
    expect(lastQuery().query).toMatchObject({ level: 'ERROR', outcome: null, recordType: null, afterName: null });

    change(element, 'lightning-combobox.outcome-filter', 'Error');
    await flushPromises();
    change(element, 'lightning-combobox.record-type-filter', 'Invoice');
    await flushPromises();
    expect(lastQuery()).toEqual({
      processLogId: LATEST.Id,
      query: { level: 'ERROR', outcome: 'Error', recordType: 'Invoice', searchTerm: null, afterName: null, pageSize: 50 },
    });
    expect($(element, 'lightning-combobox.level-filter').options.map((o) => o.value)).toEqual(['ALL', 'INFO', 'WARN', 'ERROR']);
  });

  it('searches once the user pauses typing', async () => {
    jest.useFakeTimers();
    const element = await render();
    getEntries.mockClear();

    change(element, 'lightning-input.search', 'SI-0');
    change(element, 'lightning-input.search', 'SI-000118');
    jest.advanceTimersByTime(299);
    expect(getEntries).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    await flushPromises();

    expect(getEntries).toHaveBeenCalledTimes(1);
    expect(lastQuery().query.searchTerm).toBe('SI-000118');
  });

  it('says so when no entry matches', async () => {
    const element = await render();
    getEntries.mockResolvedValue({ entries: [], total: 0, hasMore: false });

    change(element, 'lightning-combobox.level-filter', 'WARN');
    await flushPromises();
    await flushPromises();

    expect(entriesTable(element)).toBeNull();
    expect(text(element, '[data-id="noEntries"]')).toBe('c.PLV_No_Entries');
  });

  it('pages through the runs by start time and back', async () => {
    const element = await render();

    page(element, 'runs', 'next');
    await flushPromises();
    expect(getRuns).toHaveBeenLastCalledWith({ pageSize: 10, startedBefore: OLDER.Start_Time__c });
    expect(pagerOf(element, 'runs').text).toBe('Page 2 of 2 (12 runs)');
    expect(pagerOf(element, 'runs').previousDisabled).toBe(false);

    page(element, 'runs', 'previous');
    await flushPromises();
    expect(getRuns).toHaveBeenLastCalledWith({ pageSize: 10, startedBefore: null });
    expect(pagerOf(element, 'runs').previousDisabled).toBe(true);
  });

  it('pages through the entries by name', async () => {
    getEntries.mockResolvedValue({ ...ENTRIES, total: 120, hasMore: true });
    const element = await render({ entriesPageSize: 3 });
    expect(pagerOf(element, 'entries').nextDisabled).toBe(false);

    page(element, 'entries', 'next');
    await flushPromises();
    await flushPromises();

    expect(lastQuery().query).toMatchObject({ afterName: '000003', pageSize: 3 });
    expect(pagerOf(element, 'entries').text).toBe('Entries 4–6 of 120');
    expect(pagerOf(element, 'entries').previousDisabled).toBe(false);
  });

  it('shows another run when the user selects it', async () => {
    const element = await render();

    runsTable(element).dispatchEvent(new CustomEvent('rowselection', { detail: { selectedRows: [OLDER] } }));
    await flushPromises();
    await flushPromises();

    expect(getRun).toHaveBeenLastCalledWith({ processLogId: OLDER.Id });
    expect(lastQuery().processLogId).toBe(OLDER.Id);
    expect($(element, '[data-id="logStatus"]').label).toBe('c.SIE_Status_Failed');
  });

  it('on a Process Log record page, shows that run alone', async () => {
    const element = await render({ recordId: OLDER.Id });

    expect(getRuns).not.toHaveBeenCalled();
    expect(runsTable(element)).toBeNull();
    expect(getRun).toHaveBeenCalledWith({ processLogId: OLDER.Id });
    expect(lastQuery().processLogId).toBe(OLDER.Id);
    expect($(element, '[data-id="logLink"]')).toBeNull();
  });

  it('says when there are no runs yet', async () => {
    getRuns.mockResolvedValue({ runs: [], total: 0, hasMore: false });

    const element = await render();

    expect(text(element, '[data-id="noLogs"]')).toBe('c.PLV_No_Logs');
    expect(getEntries).not.toHaveBeenCalled();
  });

  it('shows a failed read in the error panel', async () => {
    getRuns.mockRejectedValue(apexError('Your user has no Ledgerline Company.'));

    const element = await render();

    expect($(element, 'c-error-panel').shadowRoot.textContent).toContain('Your user has no Ledgerline Company.');
  });

  describe('following a run on the Ledgerline Export Run channel', () => {
    const handler = () => subscribe.mock.calls[0][2];

    it('subscribes at application scope and unsubscribes when removed', async () => {
      const subscription = { id: 'subscription-1' };
      subscribe.mockReturnValue(subscription);
      const element = await render();

      expect(subscribe).toHaveBeenCalledTimes(1);
      expect(subscribe.mock.calls[0][1]).toBe(EXPORT_RUN_CHANNEL);
      expect(subscribe.mock.calls[0][3]).toEqual({ scope: APPLICATION_SCOPE });
      document.body.removeChild(element);
      expect(unsubscribe).toHaveBeenCalledWith(subscription);
    });

    it('while the run goes, reads its counts and entries again, at most every liveRefreshInterval', async () => {
      const element = await render({ liveRefreshInterval: 60000 });
      getRun.mockResolvedValue({ ...LATEST, Status__c: 'Running', Created_Count__c: 50 });
      const runsCalls = getRuns.mock.calls.length;
      const entriesCalls = getEntries.mock.calls.length;

      handler()({ runId: 'run-2', processLogId: LATEST.Id, finished: false, status: 'running' });
      await flushPromises();
      await flushPromises();
      handler()({ runId: 'run-2', processLogId: LATEST.Id, finished: false, status: 'running' });
      await flushPromises();

      expect(getRuns.mock.calls.length).toBe(runsCalls);
      expect(getEntries.mock.calls.length).toBe(entriesCalls + 1);
      expect(text(element, '[data-id="logCounts"]')).toContain('Created 50');
      expect($(element, '[data-id="logStatus"]').label).toBe('c.SIE_Status_Running');
    });

    it('shows a run it does not list yet, and reloads when the run finishes', async () => {
      const NEW_LOG = 'a0C5e000002XyZcEAK';
      const element = await render();
      getRuns.mockResolvedValue({ ...RUNS, runs: [{ ...LATEST, Id: NEW_LOG, Status__c: 'Running' }, ...RUNS.runs] });
      getRun.mockImplementation(({ processLogId }) =>
        Promise.resolve(processLogId === NEW_LOG ? { ...LATEST, Id: NEW_LOG, Status__c: 'Running' } : runById(processLogId)),
      );

      handler()({ runId: 'run-3', processLogId: NEW_LOG, finished: false, status: 'running' });
      await flushPromises();
      await flushPromises();
      expect(runsTable(element).selectedRows).toEqual([NEW_LOG]);

      getRun.mockResolvedValue({ ...LATEST, Id: NEW_LOG, Status__c: 'Succeeded' });
      handler()({ runId: 'run-3', processLogId: NEW_LOG, finished: true, status: 'succeeded' });
      await flushPromises();
      await flushPromises();
      expect($(element, '[data-id="logStatus"]').label).toBe('c.SIE_Status_Succeeded');
    });
  });

  describe('retrying errors', () => {
    const ERROR_ENTRY = ENTRIES.entries.find((e) => e.Level__c === 'ERROR');
    const rowOf = (element, id) => entriesTable(element).data.find((row) => row.Id === id);
    const rowAction = (element, row) => entriesTable(element).dispatchEvent(new CustomEvent('rowaction', { detail: { action: { name: 'retry' }, row } }));

    it('offers Retry on an error about a record, and not on an INFO entry or an entry about the run', async () => {
      const element = await render();

      const retryColumn = entriesTable(element).columns.find((c) => c.type === 'button');
      expect(retryColumn.typeAttributes).toMatchObject({ name: 'retry', label: 'c.PLV_Retry', disabled: { fieldName: 'retryDisabled' } });
      expect(entriesTable(element).data.map((row) => [row.Level__c, row.Record_Type__c, row.retryDisabled])).toEqual([
        ['INFO', 'Customer', true],
        ['ERROR', 'Invoice', false],
        ['WARN', 'Run', true],
      ]);
    });

    it('retries the error’s record alone through the org, then says so and reads the runs again', async () => {
      retryRecords.mockResolvedValue({ runId: 'run-retry-1', status: 'running' });
      const element = await render();
      const runsRead = getRuns.mock.calls.length;

      rowAction(element, rowOf(element, ERROR_ENTRY.Id));
      await flushPromises();
      await flushPromises();

      expect(retryRecords).toHaveBeenCalledWith({ recordIds: [ERROR_ENTRY.Record_Id__c] });
      expect(text(element, '[data-id="retryStarted"]')).toBe('c.PLV_Retry_Started');
      expect(getRuns.mock.calls.length).toBe(runsRead + 1);
    });

    it('does not retry a row whose Retry is disabled', async () => {
      const element = await render();

      rowAction(element, entriesTable(element).data[0]);
      await flushPromises();

      expect(retryRecords).not.toHaveBeenCalled();
      expect($(element, '[data-id="retryStarted"]')).toBeNull();
    });

    it('retries every error of the run with Retry all, and shows the service’s refusal in the error panel', async () => {
      retryRun.mockResolvedValue({ runId: 'run-retry-2', status: 'running' });
      const element = await render();

      $(element, '[data-id="retryAll"]').click();
      await flushPromises();
      await flushPromises();
      expect(retryRun).toHaveBeenCalledWith({ processLogId: LATEST.Id });
      expect($(element, '[data-id="retryStarted"]')).not.toBeNull();

      retryRun.mockRejectedValue(apexError('An export is already running for this company.'));
      $(element, '[data-id="retryAll"]').click();
      await flushPromises();
      await flushPromises();
      expect($(element, 'c-error-panel')).not.toBeNull();
      expect($(element, '[data-id="retryStarted"]')).toBeNull();
    });

    it('shows how a retried error ended, linked to the retry’s run, and offers Retry again only when the retry never reached it', async () => {
      const RETRY_LOG = 'a0C5e000002XyZdEAK';
      getEntries.mockResolvedValue({
        ...ENTRIES,
        entries: ENTRIES.entries.map((e) => (e.Id === ERROR_ENTRY.Id ? { ...e, Retried_In__c: RETRY_LOG, Retry_Outcome__c: 'Exported' } : e)),
      });
      const element = await render();

      const row = rowOf(element, ERROR_ENTRY.Id);
      expect([row.Retry_Outcome__c, row.retriedUrl, row.retryDisabled]).toEqual(['Exported', `/lightning/r/Process_Log__c/${RETRY_LOG}/view`, true]);
      expect(entriesTable(element).columns.find((c) => c.fieldName === 'retriedUrl').typeAttributes.label).toEqual({ fieldName: 'Retry_Outcome__c' });

      getEntries.mockResolvedValue({
        ...ENTRIES,
        entries: ENTRIES.entries.map((e) => (e.Id === ERROR_ENTRY.Id ? { ...e, Retried_In__c: RETRY_LOG, Retry_Outcome__c: 'Run Failed' } : e)),
      });
      await element.refresh();
      await flushPromises();
      expect(rowOf(element, ERROR_ENTRY.Id).retryDisabled).toBe(false);
    });

    it('offers Retry all only on a finished real run with errors', async () => {
      getRun.mockImplementation(({ processLogId }) => Promise.resolve({ ...runById(processLogId), Error_Count__c: 0 }));
      const element = await render();
      expect($(element, '[data-id="retryAll"]')).toBeNull();

      getRun.mockImplementation(({ processLogId }) => Promise.resolve({ ...runById(processLogId), Status__c: 'Running' }));
      await element.refresh();
      await flushPromises();
      expect($(element, '[data-id="retryAll"]')).toBeNull();
    });

    it('is accessible with a retried error and Retry all shown (sa11y)', async () => {
      getEntries.mockResolvedValue({
        ...ENTRIES,
        entries: ENTRIES.entries.map((e) => (e.Id === ERROR_ENTRY.Id ? { ...e, Retried_In__c: 'a0C5e000002XyZdEAK', Retry_Outcome__c: 'Failed Again' } : e)),
      });
      const element = await render();
      expect($(element, '[data-id="retryAll"]')).not.toBeNull();

      await expect(element).toBeAccessible();
    });
  });

  it('is accessible (sa11y)', async () => {
    const element = await render();

    await expect(element).toBeAccessible();
  });
});
