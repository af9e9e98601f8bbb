import { createElement } from 'lwc';
import ReconciliationView from 'c/reconciliationView';
import getReconciliation from '@salesforce/apex/ReconciliationController.getReconciliation';
import { apexError, flushPromises, resetDOM } from '../../../../../test/jest-utils';

jest.mock('@salesforce/apex/ReconciliationController.getReconciliation', () => ({ default: jest.fn() }), { virtual: true });
// Labels with placeholders get their real text so the formatted result can be checked.
jest.mock('@salesforce/label/c.RCV_Totals', () => ({ default: 'Totals for {0} to {1}' }), { virtual: true });
jest.mock('@salesforce/label/c.RCV_Count_Total', () => ({ default: '{0} for {1}' }), { virtual: true });
jest.mock('@salesforce/label/c.RCV_Differences', () => ({ default: 'Records that differ: {0}' }), { virtual: true });
jest.mock('@salesforce/label/c.RCV_Reads', () => ({ default: '{0} QuickBooks reads ({1} this month).' }), { virtual: true });
jest.mock('@salesforce/label/c.RCV_Kind_Missing_In_QuickBooks', () => ({ default: 'Missing in QuickBooks' }), { virtual: true });
jest.mock('@salesforce/label/c.RCV_None', () => ({ default: 'none' }), { virtual: true });
jest.mock('@salesforce/label/c.RCV_Not_Compared', () => ({ default: '{0} QuickBooks documents of the period ({1}) are not compared.' }), { virtual: true });
jest.mock('@salesforce/label/c.RCV_Kind_Linked_Twice', () => ({ default: 'Linked twice' }), { virtual: true });

const RECONCILIATION = require('./data/getReconciliation.json');

async function render(props = {}) {
  const element = createElement('c-reconciliation-view', { is: ReconciliationView });
  Object.assign(element, props);
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

const all = (element, id) => [...element.shadowRoot.querySelectorAll(`[data-id="${id}"]`)];
const text = (node) => (node ? node.textContent.replace(/\s+/g, ' ').trim() : null);
const one = (element, id) => text(element.shadowRoot.querySelector(`[data-id="${id}"]`));

async function reconcile(element) {
  element.shadowRoot.querySelector('lightning-button.reconcile-button').click();
  await flushPromises();
  await flushPromises();
}

describe('c-reconciliation-view', () => {
  afterEach(() => {
    resetDOM();
    jest.clearAllMocks();
  });

  it('reads nothing until Reconcile is pressed (QuickBooks reads are metered)', async () => {
    const element = await render();
    expect(getReconciliation).not.toHaveBeenCalled();
    expect(element.shadowRoot.querySelector('[data-id="totals"]')).toBeNull();
  });

  it('reconciles the chosen period and shows both sides’ totals, marking those that differ', async () => {
    getReconciliation.mockResolvedValue(RECONCILIATION);
    const element = await render();
    const from = element.shadowRoot.querySelector('[data-id="fromDate"]');
    from.value = '2026-08-01';
    from.dispatchEvent(new CustomEvent('change'));
    const to = element.shadowRoot.querySelector('[data-id="toDate"]');
    to.value = '2026-10-31';
    to.dispatchEvent(new CustomEvent('change'));

    await reconcile(element);

    expect(getReconciliation).toHaveBeenCalledWith({ fromDate: '2026-08-01', toDate: '2026-10-31' });
    expect(text(element.shadowRoot.querySelector('caption'))).toBe('Totals for 2026-08-01 to 2026-10-31');
    const invoices = element.shadowRoot.querySelector('[data-id="invoices"]');
    expect(text(invoices)).toContain('21 for 41250.50');
    expect(text(invoices)).toContain('21 for 41175.25');
    expect(invoices.className).toContain('slds-text-color_error');
    expect(element.shadowRoot.querySelector('[data-id="payments"]').className).not.toContain('slds-text-color_error');
    expect(one(element, 'reads')).toBe('2 QuickBooks reads (4204 this month).');
    expect(one(element, 'notCompared')).toBe('2 QuickBooks documents of the period (880.00) are not compared.');
  });

  it('lists every difference with links to both records, the values, the cause and the fix', async () => {
    getReconciliation.mockResolvedValue(RECONCILIATION);
    const element = await render({ quickBooksAppUrl: 'https://app.sandbox.qbo.intuit.com' });

    await reconcile(element);

    expect(one(element, 'differencesHeading')).toBe('Records that differ: 2');
    const rows = all(element, 'difference');
    expect(rows.map((r) => text(r.querySelector('[data-id="kind"]')))).toEqual(['Missing in QuickBooks', 'Linked twice']);
    const first = rows[0];
    expect(first.querySelector('[data-id="salesforceLink"]').getAttribute('href')).toBe('/lightning/r/Sales_Invoice__c/a0C000000000007AAA/view');
    expect(text(first.querySelector('[data-id="salesforceLink"]'))).toBe('SI-000007');
    expect(first.querySelector('[data-id="quickBooksLink"]').getAttribute('href')).toBe('https://app.sandbox.qbo.intuit.com/app/invoice?txnId=132');
    expect(text(first.querySelector('[data-id="values"]'))).toBe('310.00 / none');
    expect(text(first.querySelector('[data-id="cause"]'))).toContain('QuickBooks already has an invoice numbered NW-SI-000007');
    expect(text(first.querySelector('[data-id="fix"]'))).toContain('Invoice Number Prefix or Suffix');
    // The second QuickBooks document of a record linked twice opens as what it is.
    expect(rows[1].querySelector('[data-id="otherQuickBooksLink"]').getAttribute('href')).toBe('https://app.sandbox.qbo.intuit.com/app/creditmemo?txnId=913');
  });

  it('says nothing differs when the books agree', async () => {
    getReconciliation.mockResolvedValue({ ...RECONCILIATION, differences: [], notCompared: { count: 0, total: 0 } });
    const element = await render();

    await reconcile(element);

    expect(all(element, 'difference')).toHaveLength(0);
    expect(element.shadowRoot.querySelector('[data-id="nothingDiffers"]')).not.toBeNull();
    expect(element.shadowRoot.querySelector('[data-id="notCompared"]')).toBeNull();
  });

  it('shows why a company cannot be reconciled (QuickBooks Desktop), in the service’s words', async () => {
    const message = 'Cedar Ridge Supply uses QuickBooks Desktop, whose company file answers only when the Web Connector calls.';
    getReconciliation.mockRejectedValue(apexError(message, 400));
    const element = await render();

    await reconcile(element);

    const panel = element.shadowRoot.querySelector('c-error-panel');
    expect(panel).not.toBeNull();
    expect(JSON.stringify(panel.errors)).toContain('QuickBooks Desktop');
    expect(element.shadowRoot.querySelector('[data-id="totals"]')).toBeNull();
  });

  it('is accessible with a reconciliation shown', async () => {
    getReconciliation.mockResolvedValue(RECONCILIATION);
    const element = await render();
    await reconcile(element);
    await expect(element).toBeAccessible();
  });
});
