// The bench's physical minimum: the creates and reads the books need, whatever plan an engine follows, and the least
// time Intuit's limits allow for them.
import { booksNeed, indexPages, physicalLowerBound, type BooksNeedInput, type PhysicalLimits } from '../../scripts/bench/physical';

const INTUIT: PhysicalLimits = {
  windowMs: 3000,
  latencyMs: 15,
  operationsPerWindow: 500,
  batchesPerWindow: 40,
  concurrent: 10,
  requestsPerSecond: 10,
  batchCounts: 'item',
};

function need(overrides: Partial<BooksNeedInput> = {}): BooksNeedInput {
  return {
    invoiceCustomerIds: [],
    lineProductIds: [],
    matchedCustomerIds: new Set(),
    matchedProductIds: new Set(),
    invoices: 0,
    creditMemos: 0,
    payments: 0,
    creditApplications: 0,
    indexRows: [],
    ...overrides,
  };
}

describe('the bench physical minimum', () => {
  it('when several invoices name the same customer and product, then each is created once', () => {
    const n = booksNeed(need({ invoiceCustomerIds: ['c1', 'c1', 'c2'], lineProductIds: ['p1', 'p1', 'p1'], invoices: 3 }));

    expect(n).toMatchObject({ customers: 2, products: 1, invoices: 3, creates: 6 });
  });

  it('when QuickBooks already holds a match, then that customer or product needs no create', () => {
    const n = booksNeed(
      need({ invoiceCustomerIds: ['c1', 'c2'], lineProductIds: ['p1', 'p2'], matchedCustomerIds: new Set(['c2', 'c9']), matchedProductIds: new Set(['p1']) }),
    );

    expect(n.customers).toBe(1);
    expect(n.products).toBe(1);
  });

  it('when customers exist that no exported invoice names, then the books do not need them', () => {
    // Only the invoices' customers count: how many an engine happens to create is not the books' need.
    const n = booksNeed(need({ invoiceCustomerIds: ['c1'], invoices: 1 }));

    expect(n.customers).toBe(1);
  });

  it('when payments, credit memos and their applications are needed, then they are creates too', () => {
    const n = booksNeed(need({ invoices: 10, creditMemos: 1, payments: 4, creditApplications: 1 }));

    expect(n.creates).toBe(16);
  });

  it('when the lists are read for matching, then each costs its pages of 1,000 rows, at least one', () => {
    expect(indexPages(0)).toBe(1);
    expect(indexPages(1000)).toBe(1);
    expect(indexPages(1001)).toBe(2);
    expect(booksNeed(need({ indexRows: [2500, 12] })).reads).toBe(4);
  });

  it('when 18,000 records are created counted per item, then 36 windows of 500 operations bind', () => {
    const n = booksNeed(need({ invoices: 18_000, indexRows: [1000, 10] }));

    const bound = physicalLowerBound(n, INTUIT);

    // 18,000 creates and 2 reads: 18,002 operations, 37 windows' worth; batch calls 600, 15 windows' worth.
    expect(bound.bindingBound).toBe('operations');
    expect(bound.lowerBoundMs).toBe(36 * 3000 + 15);
    expect(bound.bounds.batchCalls).toBe(14 * 3000 + 15);
  });

  it('when batches count once per call, then the 40 batch calls a window bind', () => {
    const n = booksNeed(need({ invoices: 18_000, indexRows: [1000, 10] }));

    const bound = physicalLowerBound(n, { ...INTUIT, batchCounts: 'call' });

    // 600 batch calls: 15 windows of 40, the last at 14 windows; 602 operations fit in 2 windows.
    expect(bound.bindingBound).toBe('batchCalls');
    expect(bound.lowerBoundMs).toBe(14 * 3000 + 15);
    expect(bound.bounds.operations).toBe(1 * 3000 + 15);
  });

  it('when there are few records and many reads, then the 10 requests a second can bind', () => {
    const n = booksNeed(need({ invoices: 30, indexRows: [300_000] }));

    const bound = physicalLowerBound(n, { ...INTUIT, batchCounts: 'call' });

    // 300 pages and 1 batch: 301 calls at 10 a second (a 60th of the window, 50 ms) take 30 seconds and a latency.
    expect(bound.bindingBound).toBe('perSecond');
    expect(bound.lowerBoundMs).toBe(30 * 50 + 15);
  });
});
