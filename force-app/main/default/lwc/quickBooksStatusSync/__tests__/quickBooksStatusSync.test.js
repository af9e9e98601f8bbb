import { createElement } from 'lwc';
import QuickBooksStatusSync from 'c/quickBooksStatusSync';
import syncStatusNow from '@salesforce/apex/SalesInvoiceExportController.syncStatusNow';
import getStatusSync from '@salesforce/apex/SalesInvoiceExportController.getStatusSync';
import { apexError, flushPromises, resetDOM } from '../../../../../test/jest-utils';

jest.mock('@salesforce/apex/SalesInvoiceExportController.syncStatusNow', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/SalesInvoiceExportController.getStatusSync', () => ({ default: jest.fn() }), { virtual: true });
// Labels with placeholders get their real text so the formatted result can be checked.
jest.mock(
  '@salesforce/label/c.SIE_Sync_Last',
  () => ({ default: 'Last synced {0}: {1} invoices updated, {2} payments from QuickBooks; {3} QuickBooks reads.' }),
  {
    virtual: true,
  },
);
jest.mock('@salesforce/label/c.SIE_Sync_Stopped', () => ({ default: 'The sync of {0} stopped: {1}' }), { virtual: true });
jest.mock('@salesforce/label/c.SIE_Sync_Problems', () => ({ default: '{0} records were not updated. First: {1} {2}' }), { virtual: true });
jest.mock('@salesforce/label/c.SIE_Sync_Next', () => ({ default: 'Next sync at {0} (every {1} minutes).' }), { virtual: true });

const STATUS_SYNC = require('./data/getSummaryStatusSync.json');
const RUNNING = require('./data/getStatusSyncRunning.json');
const FINISHED = require('./data/getStatusSyncFinished.json');
const FAILED = require('./data/getStatusSyncFailed.json');

async function render(statusSync = STATUS_SYNC) {
  const element = createElement('c-quick-books-status-sync', { is: QuickBooksStatusSync });
  element.statusSync = statusSync;
  element.pollInterval = 10;
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

const text = (element, id) => {
  const node = element.shadowRoot.querySelector(`[data-id="${id}"]`);
  return node ? node.textContent.replace(/\s+/g, ' ').trim() : null;
};
const button = (element) => element.shadowRoot.querySelector('lightning-button.sync-now-button');

/** Waits (a macrotask at a time, so the component's own timers run) until `check` holds. */
async function until(check, tries = 1000) {
  if (check() || tries === 0) {
    expect(check()).toBe(true);
    return;
  }
  await flushPromises();
  await until(check, tries - 1);
}

describe('c-quick-books-status-sync', () => {
  afterEach(() => {
    resetDOM();
    jest.clearAllMocks();
  });

  it('shows the last sync with what it did and its QuickBooks reads, and when the next one comes', async () => {
    const element = await render();
    const at = new Date(STATUS_SYNC.last.finishedAt).toLocaleString();
    expect(text(element, 'lastSync')).toBe(`Last synced ${at}: 3 invoices updated, 1 payments from QuickBooks; 1 QuickBooks reads.`);
    expect(text(element, 'nextSync')).toBe(`Next sync at ${new Date(STATUS_SYNC.nextAt).toLocaleString()} (every 15 minutes).`);
    expect(button(element).disabled).toBe(false);
    await expect(element).toBeAccessible();
  });

  it('says when the company never synced and scheduled syncs are off', async () => {
    const element = await render({ everyMinutes: 0, nextAt: null, last: null, current: null });
    expect(text(element, 'lastSync')).toBe('c.SIE_Sync_Never');
    expect(text(element, 'nextSync')).toBe('c.SIE_Sync_Off');
  });

  it('Sync now starts a sync, follows it to its end, shows what was refused with its fix, and tells the page', async () => {
    let answer;
    syncStatusNow.mockResolvedValue(RUNNING);
    getStatusSync.mockResolvedValueOnce(RUNNING).mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
    const element = await render();
    const finished = jest.fn();
    element.addEventListener('syncfinished', finished);

    button(element).click();
    await until(() => getStatusSync.mock.calls.length === 2);
    expect(syncStatusNow).toHaveBeenCalledTimes(1);
    expect(text(element, 'syncRunning')).toBe('c.SIE_Sync_Running');
    expect(button(element).disabled).toBe(true);

    answer(FINISHED);
    await until(() => finished.mock.calls.length === 1);
    expect(getStatusSync).toHaveBeenCalledWith({ syncId: RUNNING.syncId });
    expect(finished.mock.calls[0][0].detail).toEqual({ syncId: RUNNING.syncId, status: 'completed_with_errors' });
    expect(text(element, 'syncRunning')).toBeNull();
    expect(text(element, 'lastSync')).toContain('4 invoices updated, 2 payments from QuickBooks; 2 QuickBooks reads.');
    expect(text(element, 'syncProblems')).toBe(`1 records were not updated. First: ${FINISHED.problems[0].message} ${FINISHED.problems[0].fix}`);
    await expect(element).toBeAccessible();
  });

  it('a sync that stopped shows why and the fix; a sync going on when the page opens is followed', async () => {
    let answer;
    getStatusSync.mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
    const element = await render({ ...STATUS_SYNC, current: RUNNING });
    await until(() => getStatusSync.mock.calls.length === 1);
    expect(button(element).disabled).toBe(true);
    answer(FAILED);
    await until(() => text(element, 'lastFix') !== null);
    expect(text(element, 'lastSync')).toBe(`The sync of ${new Date(FAILED.finishedAt).toLocaleString()} stopped: ${FAILED.error.message}`);
    expect(text(element, 'lastFix')).toBe(FAILED.error.fix);
  });

  it('a refused Sync now shows the service’s message', async () => {
    syncStatusNow.mockRejectedValue(apexError('Acme Manufacturing is not connected to QuickBooks Online.', 409));
    const element = await render();
    button(element).click();
    await flushPromises();
    const panel = element.shadowRoot.querySelector('c-error-panel');
    expect(panel).not.toBeNull();
    expect(button(element).disabled).toBe(false);
  });
});
