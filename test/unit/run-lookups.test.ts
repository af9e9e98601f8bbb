// What a run looks up once: the target's customers with their currencies, kept only where a run asks for them.
import { CustomerBook } from '../../service/src/export/runLookups';

describe('the customer currency book', () => {
  it('when the run is multicurrency, then it answers by id and by name (any case) with each customer’s currency', () => {
    const book = new CustomerBook('USD', true);
    book.add([
      { id: '1', displayName: 'Ada Lovelace', currency: 'GBP' },
      { id: '2', name: 'Grace Hopper', currency: 'EUR' },
      { id: '3', displayName: 'Alan Turing' },
    ]);
    expect(book.get('1')).toEqual({ id: '1', name: 'Ada Lovelace', currency: 'GBP' });
    expect(book.named('grace HOPPER')).toEqual({ id: '2', name: 'Grace Hopper', currency: 'EUR' });
    expect(book.get('3')?.currency).toBe('USD');
  });

  it('when the run is in one currency, then it keeps nothing of the customers it is given', () => {
    const book = new CustomerBook('USD', false);
    book.add([{ id: '1', displayName: 'Ada Lovelace', currency: 'GBP' }]);
    expect(book.get('1')).toBeUndefined();
    expect(book.named('Ada Lovelace')).toBeUndefined();
  });
});
