import { QboFault } from '../../emulators/qbo/faults';
import { executeQuery, parseQuery } from '../../emulators/qbo/query';
import { seedRealms } from '../../emulators/qbo/seed';
import { QboState, type Realm } from '../../emulators/qbo/state';

function newState(): QboState {
  return new QboState(
    {
      latencyMs: 0,
      timeScale: 1,
      batchMax: 30,
      limits: { perMinute: 500, perSecond: 10, concurrent: 10, batchPerMinute: 40, realmBatchPerMinute: 120 },
      refreshTokenGraceMs: 0,
    },
    [{ clientId: 'c', clientSecret: 's' }],
  );
}

function faultOf(fn: () => unknown): { code: string; Detail: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof QboFault) return e.errors[0];
    throw e;
  }
  throw new Error('expected a fault');
}

describe('QBO query parser', () => {
  it('when keywords are in any case, then the query parses the same', () => {
    const q = parseQuery("select * FROM customer Where DisplayName = 'A' and Active = true orderby DisplayName desc startposition 2 maxresults 5");
    expect(q).toEqual({
      select: { kind: 'all' },
      entity: 'customer',
      where: [
        { field: 'DisplayName', op: '=', values: ['A'] },
        { field: 'Active', op: '=', values: [true] },
      ],
      orderBy: [{ field: 'DisplayName', desc: true }],
      startPosition: 2,
      maxResults: 5,
    });
  });

  it('when MAXRESULTS comes before STARTPOSITION, then both are read', () => {
    expect(parseQuery('SELECT * FROM Customer MAXRESULTS 5 STARTPOSITION 1')).toMatchObject({ maxResults: 5, startPosition: 1 });
  });

  it('when a string holds an escaped quote, then the value contains the quote', () => {
    const q = parseQuery("SELECT * FROM Customer WHERE DisplayName = 'Amy\\'s Bird Sanctuary'");
    expect(q.where[0].values).toEqual(["Amy's Bird Sanctuary"]);
  });

  it('when IN, LIKE and comparison operators are used, then each condition is kept', () => {
    const q = parseQuery("SELECT COUNT(*) FROM Invoice WHERE Id IN ('1', '2', 3) AND DocNumber LIKE '%10%' AND TxnDate >= '2024-01-01' AND TotalAmt < 10.5");
    expect(q.select).toEqual({ kind: 'count' });
    expect(q.where.map((c) => [c.op, c.values])).toEqual([
      ['IN', ['1', '2', 3]],
      ['LIKE', ['%10%']],
      ['>=', ['2024-01-01']],
      ['<', [10.5]],
    ]);
  });

  it('when a field list is selected, then the fields are kept', () => {
    expect(parseQuery('SELECT Id, DisplayName FROM Customer').select).toEqual({ kind: 'fields', fields: ['Id', 'DisplayName'] });
  });

  it.each([
    ["SELECT * FROM Customer WHERE DisplayName = 'a' OR DisplayName = 'b'", 'Encountered " <IDENTIFIER> "OR "" at line 1, column 48.'],
    ["SELECT * FROM Customer WHERE DisplayName = 'open", 'Lexical error'],
    ['SELECT * Customer', 'Encountered " <IDENTIFIER> "Customer "" at line 1, column 10.'],
    ['SELECT * FROM', 'Encountered "<EOF>" at line 1, column 14.'],
    ['SELECT * FROM Customer WHERE', 'Encountered "<EOF>"'],
    ['SELECT * FROM Customer MAXRESULTS', 'Encountered "<EOF>"'],
    ['SELECT * FROM Customer ORDER BY DisplayName', 'Encountered " <IDENTIFIER> "ORDER "" at line 1, column 24.'],
    ['', 'Encountered "<EOF>" at line 1, column 1.'],
  ])('when the query is %j, then it is a 4000 parse error', (text, detail) => {
    const fault = faultOf(() => parseQuery(text));
    expect(fault.code).toBe('4000');
    expect(fault.Detail).toContain('QueryParserError: ');
    expect(fault.Detail).toContain(detail);
  });
});

describe('QBO query execution', () => {
  let realm: Realm;

  beforeAll(() => {
    const state = newState();
    seedRealms(state, {
      realms: [
        {
          realmId: 'r1',
          entities: {
            Customer: [
              { DisplayName: "Amy's Bird Sanctuary", PrimaryEmailAddr: { Address: 'Birds@Intuit.com' } },
              { DisplayName: 'Bill Windsurf' },
              { DisplayName: 'Cool Cars', Active: false },
              ...Array.from({ length: 150 }, (_, i) => ({ DisplayName: `Bulk ${String(i).padStart(3, '0')}` })),
            ],
          },
        },
      ],
    });
    realm = state.realm('r1')!;
  });

  const rows = (q: string) => (executeQuery(realm, q).QueryResponse.Customer ?? []) as Record<string, any>[];

  it('when no filter names Active, then only active records come back', () => {
    expect(rows("SELECT * FROM Customer WHERE DisplayName LIKE 'Cool%'")).toEqual([]);
  });

  it('when the filter names Active, then inactive records can be found (renamed "(deleted)")', () => {
    expect(rows('SELECT * FROM Customer WHERE Active = false').map((c) => c.DisplayName)).toEqual(['Cool Cars (deleted)']);
    expect(executeQuery(realm, 'SELECT COUNT(*) FROM Customer WHERE Active IN (true, false)').QueryResponse).toEqual({ totalCount: 153 });
  });

  it('when no MAXRESULTS is given, then 100 rows are returned from position 1', () => {
    const r = executeQuery(realm, 'SELECT * FROM Customer').QueryResponse;
    expect((r.Customer as unknown[]).length).toBe(100);
    expect(r).toMatchObject({ startPosition: 1, maxResults: 100 });
  });

  it('when paging past the first page, then STARTPOSITION is 1-based and maxResults is the page size', () => {
    const r = executeQuery(realm, 'SELECT * FROM Customer STARTPOSITION 101 MAXRESULTS 100').QueryResponse;
    expect(r).toMatchObject({ startPosition: 101, maxResults: 52 });
    expect((r.Customer as { DisplayName: string }[])[0].DisplayName).toBe('Bulk 098');
  });

  it('when MAXRESULTS is above 1000, then at most 1000 rows come back', () => {
    expect((executeQuery(realm, 'SELECT * FROM Customer MAXRESULTS 5000').QueryResponse.Customer as unknown[]).length).toBe(152);
  });

  it('when nothing matches, then the QueryResponse is empty', () => {
    expect(executeQuery(realm, "SELECT * FROM Customer WHERE DisplayName = 'nobody'")).toEqual({ QueryResponse: {} });
  });

  it('when comparing strings, then = and LIKE ignore case and escaped quotes match', () => {
    expect(rows("SELECT * FROM Customer WHERE DisplayName = 'amy\\'s bird sanctuary'")).toHaveLength(1);
    expect(rows("SELECT * FROM Customer WHERE PrimaryEmailAddr = 'birds@intuit.com'")).toHaveLength(1);
    expect(rows("SELECT * FROM Customer WHERE DisplayName LIKE '%windsurf'")).toHaveLength(1);
  });

  it('when ORDERBY DESC is given, then rows are sorted descending', () => {
    expect(rows('SELECT * FROM Customer ORDERBY DisplayName DESC MAXRESULTS 2').map((c) => c.DisplayName)).toEqual(['Bulk 149', 'Bulk 148']);
  });

  it('when IN lists ids, then those records come back', () => {
    expect(rows("SELECT * FROM Customer WHERE Id IN ('1', '2')").map((c) => c.Id)).toEqual(['1', '2']);
  });

  it('when a field list is selected, then only those fields come back', () => {
    expect(rows("SELECT Id, DisplayName FROM Customer WHERE Id = '2'")).toEqual([{ Id: '2', DisplayName: 'Bill Windsurf', domain: 'QBO', sparse: true }]);
  });

  it('when MetaData.CreateTime is compared, then it is compared as a time', () => {
    expect(rows("SELECT * FROM Customer WHERE MetaData.CreateTime > '2000-01-01T00:00:00-08:00' MAXRESULTS 1")).toHaveLength(1);
    expect(rows("SELECT * FROM Customer WHERE MetaData.CreateTime < '2000-01-01'")).toHaveLength(0);
  });

  it('when the property or entity is unknown, then it is a 4001 validation error', () => {
    expect(faultOf(() => executeQuery(realm, "SELECT * FROM Customer WHERE Nickname = 'x'"))).toMatchObject({
      code: '4001',
      Detail: 'QueryValidationError: Property Nickname not found for Entity Customer',
    });
    expect(faultOf(() => executeQuery(realm, 'SELECT * FROM Spaceship')).code).toBe('4001');
  });
});
