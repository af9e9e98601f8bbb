import { CustomerIndex, ReservedNames, RunCustomers } from '../../service/src/matching/customers';
import type { SourceCustomer } from '../../service/src/export/model';
import { cleanName, cleanText, nameKey, truncate } from '../../service/src/matching/names';
import { ItemIndex } from '../../service/src/matching/products';
import { sourceCustomer, sourceProduct } from '../support/model';

describe('names', () => {
  it('when a name has a colon, tab or newline, then they are replaced and the change is reported', () => {
    const result = cleanName('Acme:\tWest\nDivision', 100);
    expect(result.value).toBe('Acme West Division');
    expect(result.changes).toEqual(expect.arrayContaining([expect.stringContaining("removed ':'"), expect.stringContaining('tab')]));
  });

  it('when an item name has a colon, then the change speaks of sub-items, not sub-customers', () => {
    expect(cleanName('Gear: Large', 100, 'item').changes).toEqual(["removed ':' (QuickBooks uses it to separate sub-items)"]);
    expect(cleanName('Acme: West', 100).changes).toEqual(["removed ':' (QuickBooks uses it to separate sub-customers)"]);
  });

  it('when a name is over the limit, then it is cut to the limit and the change names both lengths', () => {
    const result = cleanName('x'.repeat(130), 100);
    expect(result.value).toHaveLength(100);
    expect(result.changes).toEqual(['shortened from 130 to 100 characters']);
  });

  it('when a name is clean and short, then it is unchanged with no change reported', () => {
    expect(cleanName("Zoë O'Brien", 100)).toEqual({ value: "Zoë O'Brien", changes: [] });
  });

  it('when text is cut, then a surrogate pair is never split', () => {
    expect(truncate('ab😀cd', 3)).toBe('ab😀');
    expect(cleanText('😀😀😀', 2).value).toBe('😀😀');
  });

  it('when names differ only in case and spacing, then their keys are equal', () => {
    expect(nameKey('  Ada   LOVELACE ')).toBe(nameKey('ada lovelace'));
  });
});

describe('customer match cascade', () => {
  const index = new CustomerIndex();
  index.add([
    { id: '10', displayName: 'A. Lovelace (Billing)', email: 'ADA@example.com' },
    { id: '11', displayName: 'Grace Hopper' },
    { id: '12', displayName: 'Cobol Works', companyName: 'Navy Labs', city: 'Arlington' },
    { id: '13', displayName: 'Someone Else', givenName: 'Alan', familyName: 'Turing' },
    { id: '15', displayName: 'Dup', email: 'dup@example.com' },
    { id: '14', displayName: 'Dup 2', email: 'dup@example.com' },
  ]);

  it('when the email matches (any case), then it wins over the name', () => {
    expect(index.match(sourceCustomer({ email: 'ada@EXAMPLE.com', firstName: 'Grace', lastName: 'Hopper' }))).toMatchObject({ targetId: '10', by: 'email' });
  });

  it('when no email matches, then first + last name matches the display name', () => {
    expect(index.match(sourceCustomer({ email: 'gh@example.com', firstName: 'Grace', lastName: 'Hopper', companyName: null }))).toMatchObject({
      targetId: '11',
      by: 'name',
    });
  });

  it('when first + last name matches a given and family name, then that customer matches by name', () => {
    expect(index.match(sourceCustomer({ email: null, firstName: 'Alan', lastName: 'Turing', companyName: null }))).toMatchObject({
      targetId: '13',
      by: 'name',
    });
  });

  it('when only company and city match, then it matches by company name and city', () => {
    expect(
      index.match(
        sourceCustomer({
          email: null,
          firstName: 'X',
          lastName: 'Y',
          companyName: 'navy labs',
          billing: { street: null, city: 'ARLINGTON', state: null, postalCode: null, country: null },
        }),
      ),
    ).toMatchObject({ targetId: '12', by: 'companyCity' });
  });

  it('when the company matches but the city does not, then nothing matches', () => {
    expect(
      index.match(
        sourceCustomer({
          email: null,
          firstName: 'X',
          lastName: 'Y',
          companyName: 'Navy Labs',
          billing: { street: null, city: 'Boston', state: null, postalCode: null, country: null },
        }),
      ),
    ).toBeNull();
  });

  it('when several QuickBooks customers fit, then the oldest is used and the match is marked ambiguous', () => {
    expect(index.match(sourceCustomer({ email: 'dup@example.com' }))).toMatchObject({ targetId: '14', ambiguous: true });
  });

  it('when the planned display name exists (an earlier interrupted export), then it matches by name', () => {
    expect(index.match(sourceCustomer({ email: null, firstName: null, lastName: null, companyName: null }), 'grace hopper')).toMatchObject({ targetId: '11' });
  });

  it('when customers are indexed, then each keeps only its id, display name and email, and still matches by every rule', () => {
    const compact = new CustomerIndex();
    compact.add([
      { id: '21', displayName: 'Turing Ltd', givenName: 'Alan', familyName: 'Turing', companyName: 'Bletchley', city: 'Milton Keynes', currency: 'GBP' },
    ]);
    expect(compact.get('21')).toEqual({ id: '21', displayName: 'Turing Ltd', email: null });
    expect(compact.match(sourceCustomer({ email: null, firstName: 'alan', lastName: 'TURING', companyName: null }))).toMatchObject({
      targetId: '21',
      by: 'name',
    });
    expect(
      compact.match(
        sourceCustomer({
          email: null,
          firstName: null,
          lastName: null,
          companyName: 'Bletchley',
          billing: { ...sourceCustomer().billing, city: 'milton keynes' },
        }),
      ),
    ).toMatchObject({ targetId: '21', by: 'companyCity', displayName: 'Turing Ltd', email: null });
    expect(compact.hasName('turing  ltd')).toBe(true);
  });

  it('when vendors and employees are loaded, then their names are reserved regardless of case', () => {
    const reserved = new ReservedNames();
    reserved.add(['Bob Supplier']);
    expect(reserved.has('bob  supplier')).toBe(true);
    expect(reserved.has('Bob')).toBe(false);
  });
});

describe('product match', () => {
  const items = new ItemIndex();
  items.add([
    { id: '5', name: 'Gear (legacy name)', sku: 'GEAR-40' },
    { id: '6', name: 'Brass Gear 60T' },
  ]);

  it('when the SKU matches, then it wins over the name', () => {
    expect(items.match(sourceProduct({ sku: 'gear-40', name: 'Brass Gear 60T' }), 'Brass Gear 60T')).toMatchObject({ targetId: '5', by: 'sku' });
  });

  it('when no SKU matches, then the item name matches', () => {
    expect(items.match(sourceProduct({ sku: 'NOPE', name: 'brass gear 60t' }), 'brass gear 60t')).toMatchObject({ targetId: '6', by: 'name' });
  });

  it('when nothing matches, then null', () => {
    expect(items.match(sourceProduct({ sku: null, name: 'New Thing' }), 'New Thing')).toBeNull();
  });

  it('when the item of the name has another SKU, then it is not this product', () => {
    expect(items.match(sourceProduct({ sku: 'GEAR-41', name: 'Gear (legacy name)' }), 'Gear (legacy name)')).toBeNull();
    expect(items.match(sourceProduct({ sku: null, name: 'Gear (legacy name)' }), 'Gear (legacy name)')).toMatchObject({ targetId: '5', by: 'name' });
  });
});

describe('a customer whose email and name point at two QuickBooks customers', () => {
  const index = new CustomerIndex();
  index.add([
    { id: '60', displayName: 'Delgado Holdings', email: 'rosa@delgado.example' },
    { id: '61', displayName: 'Rosa Delgado', email: 'rosa.d@other.example' },
  ]);

  it('when the email matches one and the name the other, then the email wins and the other is named', () => {
    const rosa = sourceCustomer({ name: 'Rosa Delgado', firstName: 'Rosa', lastName: 'Delgado', email: 'rosa@delgado.example' });
    expect(index.match(rosa, 'Rosa Delgado')).toMatchObject({ targetId: '60', by: 'email', nameElsewhere: { targetId: '61', displayName: 'Rosa Delgado' } });
  });

  it('when email and name point at one customer, then no other is named', () => {
    const rosa = sourceCustomer({ name: 'Rosa Delgado', firstName: 'Rosa', lastName: 'Delgado', email: 'rosa.d@other.example' });
    expect(index.match(rosa, 'Rosa Delgado')).not.toHaveProperty('nameElsewhere');
  });
});

describe('the run’s customers: the target’s and the planned ones under one set of keys', () => {
  // A small, fixed pseudo-random stream: names, emails, companies and cities drawn from short lists, so keys collide.
  function stream(seed: number) {
    let x = seed;
    return (n: number) => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return (x >>> 16) % n;
    };
  }
  const FIRST = ['Ada', 'Alan', 'Grace', 'Kurt', ''];
  const LAST = ['Lovelace', 'Turing', 'Hopper', ''];
  const COMPANY = ['Engines', 'Bletchley', null];
  const CITY = ['London', 'Leeds', null];
  const EMAIL = ['a@x.example', 'b@x.example', 'A@X.example', null];

  it('when customers are planned and created in any order, then both views answer exactly as two separate indexes did', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const pick = stream(seed);
      const any = <T>(list: T[]) => list[pick(list.length)]!;
      const customer = (i: number): SourceCustomer => {
        const firstName = any(FIRST);
        const lastName = any(LAST);
        return sourceCustomer({
          id: `a01${String(i).padStart(15, '0')}`,
          name: any([`${firstName} ${lastName}`.trim(), any(COMPANY) ?? 'Solo', 'Ada Lovelace']),
          firstName,
          lastName,
          companyName: any(COMPANY),
          email: any(EMAIL),
          billing: { ...sourceCustomer().billing, city: any(CITY) },
        });
      };
      const indexed = (c: SourceCustomer, id: string, displayName = c.name) => ({
        id,
        displayName,
        givenName: c.firstName,
        familyName: c.lastName,
        companyName: c.companyName,
        email: c.email,
        city: c.billing.city,
      });
      const index = new CustomerIndex();
      const planned = new CustomerIndex();
      const run = new RunCustomers();
      const held = Array.from({ length: 12 }, (_, i) => indexed(customer(1000 + i), String(50 - i)));
      index.add(held);
      run.add(held);
      const open: SourceCustomer[] = [];
      let nextId = 100;
      for (let i = 0; i < 120; i++) {
        const c = customer(i);
        const name = any([c.name, 'Ada Lovelace', 'Engines']);
        expect(run.index.match(c, name)).toEqual(index.match(c, name));
        expect(run.planned.match(c, name)).toEqual(planned.match(c, name));
        expect(run.index.hasName(name)).toBe(index.hasName(name));
        expect(run.planned.hasName(name)).toBe(planned.hasName(name));
        if (pick(3)) {
          const p = indexed(c, `planned:${c.id}`);
          planned.add([p]);
          run.plan(c.id, p);
          open.push(c);
        }
        // Some planned customers are created, now and then under another name (renamed after a refusal).
        while (open.length && pick(2)) {
          const done = open.splice(pick(open.length), 1)[0]!;
          const created = indexed(done, String(nextId++), pick(4) ? done.name : `${done.name} (C)`);
          index.add([created]);
          run.created(done.id, created);
          expect(run.get(created.id)).toEqual(index.get(created.id));
        }
      }
    }
  });

  it('when a planned customer is created, then the target’s view has it by its id and the planned view still answers with its planned id', () => {
    const run = new RunCustomers();
    const c = sourceCustomer();
    const doc = { displayName: 'Ada Lovelace', givenName: 'Ada', familyName: 'Lovelace', email: 'ada@example.com', companyName: null, city: null };
    run.plan(c.id, doc);
    expect(run.index.match(c)).toBeNull();
    expect(run.planned.match(c)).toMatchObject({ targetId: `planned:${c.id}`, by: 'email' });
    run.created(c.id, { ...doc, id: '77' });
    expect(run.index.match(c)).toMatchObject({ targetId: '77', by: 'email', displayName: 'Ada Lovelace' });
    expect(run.planned.match(c)).toMatchObject({ targetId: `planned:${c.id}`, by: 'email' });
    expect(run.get('77')).toEqual({ id: '77', displayName: 'Ada Lovelace', email: 'ada@example.com' });
    expect(run.index.hasName('ada lovelace')).toBe(true);
  });
});
