import { createElement } from 'lwc';
import ProcessLogViewer from 'c/processLogViewer';
import getProcessLogs from '@salesforce/apex/SalesInvoiceExportController.getProcessLogs';
import { publishRunFinished } from 'c/ledgerlineUtils';
import { flushPromises, resetDOM, apexError } from '../../../../../test/jest-utils';

jest.mock('@salesforce/apex/SalesInvoiceExportController.getProcessLogs', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/label/c.PLV_Showing', () => ({ default: 'Showing {0} of {1} entries.' }), { virtual: true });
jest.mock('@salesforce/label/c.PLV_Count_Summary', () => ({ default: 'Created {0} · Matched {1} · Renamed {2} · Skipped {3} · Warnings {4} · Errors {5}' }), {
  virtual: true,
});

const LOGS = require('./data/getProcessLogs.json');

async function render(props = {}) {
  const element = createElement('c-process-log-viewer', { is: ProcessLogViewer });
  Object.assign(element, props);
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => Array.from(element.shadowRoot.querySelectorAll(selector));
const levels = (element) => $$(element, 'tr.entry').map((row) => row.dataset.level);

async function choose(element, selector, value) {
  const combobox = $(element, selector);
  combobox.dispatchEvent(new CustomEvent('change', { detail: { value } }));
  await flushPromises();
}

describe('c-process-log-viewer', () => {
  afterEach(() => {
    resetDOM();
    jest.clearAllMocks();
  });

  it('loads the latest logs and shows the newest one with its entries', async () => {
    getProcessLogs.mockResolvedValue(LOGS);

    const element = await render();

    expect(getProcessLogs).toHaveBeenCalledWith({ limitCount: 5 });
    const logSelect = $(element, 'lightning-combobox.log-select');
    expect(logSelect.value).toBe('a0C5e000002XyZaEAK');
    expect(logSelect.options).toHaveLength(2);
    expect(logSelect.options[0].label).toContain('Sales Invoice Exporter');
    expect($(element, '[data-id="logStatus"]').label).toBe('c.SIE_Status_Completed_With_Errors');
    expect($(element, '[data-id="logCounts"]').textContent).toBe('Created 41 · Matched 2 · Renamed 1 · Skipped 0 · Warnings 1 · Errors 1');
    expect($(element, '[data-id="logLink"]').getAttribute('href')).toBe('/lightning/r/Process_Log__c/a0C5e000002XyZaEAK/view');

    const rows = $$(element, 'tr.entry');
    expect(rows).toHaveLength(3);
    const error = rows[2];
    expect(error.querySelector('[data-id="recordName"]').textContent).toContain('SI-000118');
    expect(error.querySelector('[data-id="message"]').textContent).toBe('Line 2 has no Product.');
    expect(error.querySelector('[data-id="fix"]').textContent).toBe('Add a Product to line 2 of SI-000118 and export again.');
  });

  it.each([
    ['INFO', ['INFO']],
    ['WARN', ['WARN']],
    ['ERROR', ['ERROR']],
    ['ALL', ['INFO', 'WARN', 'ERROR']],
  ])('filters entries by level %s', async (level, expected) => {
    getProcessLogs.mockResolvedValue(LOGS);
    const element = await render();

    await choose(element, 'lightning-combobox.level-filter', level);

    expect($(element, 'lightning-combobox.level-filter').value).toBe(level);
    expect(levels(element)).toEqual(expected);
  });

  it('offers All, INFO, WARN and ERROR as levels', async () => {
    getProcessLogs.mockResolvedValue(LOGS);
    const element = await render();

    const options = $(element, 'lightning-combobox.level-filter').options.map((o) => o.value);
    expect(options).toEqual(['ALL', 'INFO', 'WARN', 'ERROR']);
  });

  it('says when no entry has the chosen level', async () => {
    getProcessLogs.mockResolvedValue(LOGS);
    const element = await render();

    await choose(element, 'lightning-combobox.log-select', 'a0C5e000002XyZ9EAK');
    await choose(element, 'lightning-combobox.level-filter', 'ERROR');

    expect(levels(element)).toEqual([]);
    expect($(element, '[data-id="noEntries"]').textContent).toBe('c.PLV_No_Entries');
  });

  it('switches to another run', async () => {
    getProcessLogs.mockResolvedValue(LOGS);
    const element = await render();

    await choose(element, 'lightning-combobox.log-select', 'a0C5e000002XyZ9EAK');

    expect($(element, '[data-id="logStatus"]').label).toBe('c.SIE_Status_Succeeded');
    expect($$(element, 'tr.entry')).toHaveLength(1);
  });

  it('says so when there are no logs yet', async () => {
    getProcessLogs.mockResolvedValue([]);

    const element = await render();

    expect($(element, '[data-id="noLogs"]').textContent).toBe('c.PLV_No_Logs');
    expect($(element, 'table')).toBeNull();
  });

  it('shows errors in the shared error panel', async () => {
    getProcessLogs.mockRejectedValue(apexError('The Ledgerline service could not be reached.'));

    const element = await render();

    const panel = $(element, 'c-error-panel');
    expect(panel.shadowRoot.textContent).toContain('The Ledgerline service could not be reached.');
    expect($(element, '[data-id="noLogs"]')).toBeNull();
  });

  it('draws at most maxEntries entries and says how many there are', async () => {
    const entries = Array.from({ length: 30 }, (_, i) => ({
      id: `x${i}`,
      level: 'INFO',
      outcome: 'Created',
      recordType: 'Invoice',
      recordName: `SI-${i}`,
      message: 'Created.',
    }));
    getProcessLogs.mockResolvedValue([{ ...LOGS[0], entries }]);

    const element = await render({ maxEntries: 10 });

    expect($$(element, 'tr.entry')).toHaveLength(10);
    expect($(element, '[data-id="showing"]').textContent).toBe('Showing 10 of 30 entries.');
  });

  it('refreshes and selects the finished run when an export finishes on the page', async () => {
    getProcessLogs.mockResolvedValueOnce([LOGS[1]]).mockResolvedValueOnce(LOGS);
    const element = await render();
    expect($(element, 'lightning-combobox.log-select').value).toBe('a0C5e000002XyZ9EAK');

    publishRunFinished({ runId: 'run-1', finished: true, processLogId: 'a0C5e000002XyZaEAK' });
    await flushPromises();

    expect(getProcessLogs).toHaveBeenCalledTimes(2);
    expect($(element, 'lightning-combobox.log-select').value).toBe('a0C5e000002XyZaEAK');
    expect($$(element, 'tr.entry')).toHaveLength(3);
  });

  it('stops listening for finished runs once removed', async () => {
    getProcessLogs.mockResolvedValue(LOGS);
    const element = await render();
    document.body.removeChild(element);

    publishRunFinished({ runId: 'run-1', finished: true, processLogId: null });
    await flushPromises();

    expect(getProcessLogs).toHaveBeenCalledTimes(1);
  });

  it('reloads when the refresh button is clicked', async () => {
    getProcessLogs.mockResolvedValue(LOGS);
    const element = await render();

    $(element, 'lightning-button-icon.refresh-button').click();
    await flushPromises();

    expect(getProcessLogs).toHaveBeenCalledTimes(2);
  });

  it('is accessible: labelled filters, refresh button and entries table with row headers', async () => {
    getProcessLogs.mockResolvedValue(LOGS);
    const element = await render();

    expect($(element, 'lightning-combobox.level-filter').label).toBe('c.PLV_Level');
    expect($(element, 'lightning-combobox.log-select').label).toBe('c.PLV_Run');
    expect($(element, 'lightning-button-icon.refresh-button').alternativeText).toBe('c.PLV_Refresh');
    const table = $(element, 'table');
    expect(table.getAttribute('aria-label')).toBe('c.PLV_Entries_Table');
    expect($$(element, 'thead th').every((th) => th.getAttribute('scope') === 'col')).toBe(true);
    expect($$(element, 'tbody th').every((th) => th.getAttribute('scope') === 'row')).toBe(true);
  });
});
