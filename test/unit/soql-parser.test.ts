import { parseSoql } from '../../emulators/salesforce/soql/parser';
import { tokenize } from '../../emulators/salesforce/soql/lexer';
import { formatSoqlError, SoqlError } from '../../emulators/salesforce/soql/errors';

function parseError(soql: string): SoqlError {
  try {
    parseSoql(soql);
  } catch (e) {
    if (e instanceof SoqlError) return e;
    throw e;
  }
  throw new Error('expected a parse error');
}

describe('SOQL lexer', () => {
  it('when a string holds escaped quotes and backslashes, then the token value is unescaped', () => {
    const [t] = tokenize("'O\\'Brien \\\\ Sons'");
    expect(t).toMatchObject({ type: 'string', value: "O'Brien \\ Sons" });
  });

  it('when LIKE wildcards are escaped, then the backslash is kept for the pattern compiler', () => {
    expect(tokenize("'100\\%'")[0].value).toBe('100\\%');
  });

  it('when date and datetime literals appear, then they are single tokens', () => {
    const types = tokenize('2026-01-31 2026-01-31T10:00:00Z 2026-01-31T10:00:00.000+02:00 -12.5').map((t) => t.type);
    expect(types).toEqual(['date', 'datetime', 'datetime', 'number', 'eof']);
  });

  it('when the query spans lines, then tokens know their row and column', () => {
    const tokens = tokenize('SELECT Id\n  FROM Company__c');
    expect(tokens[2]).toMatchObject({ value: 'FROM', pos: { row: 2, col: 3 } });
  });

  it('when <> is used, then it reads as !=', () => {
    expect(tokenize('a <> 1')[1]).toMatchObject({ type: 'op', value: '!=' });
  });
});

describe('SOQL parser', () => {
  it('when fields, parent paths and a child subquery are selected, then all appear in order', () => {
    const q = parseSoql(
      'SELECT Id, Customer__r.Name, Sales_Invoice__r.Company__r.Name, (SELECT Id, Quantity__c FROM Sales_Invoice_Lines__r ORDER BY Line_Number__c) FROM Sales_Invoice__c',
    );
    expect(q.from.name).toBe('Sales_Invoice__c');
    expect(q.select.map((s) => (s.kind === 'field' ? s.ref.path.join('.') : s.kind))).toEqual([
      'Id',
      'Customer__r.Name',
      'Sales_Invoice__r.Company__r.Name',
      'subquery',
    ]);
    const sub = q.select[3];
    expect(sub.kind === 'subquery' && sub.query.from.name).toBe('Sales_Invoice_Lines__r');
    expect(sub.kind === 'subquery' && sub.query.orderBy[0].field.path).toEqual(['Line_Number__c']);
  });

  it('when WHERE mixes NOT, parentheses, IN, NOT IN, LIKE and null, then the tree nests as written', () => {
    const q = parseSoql(
      "SELECT Id FROM Sales_Invoice__c WHERE Approved__c = true AND (Export_Status__c IN ('Error', 'Not Exported') OR Export_Status__c = null) AND NOT Name LIKE 'TEST%' AND Terms__c NOT IN ('COD')",
    );
    expect(q.where).toMatchObject({
      kind: 'and',
      items: [
        { kind: 'compare', op: '=', value: { kind: 'boolean', value: true } },
        {
          kind: 'or',
          items: [
            { kind: 'in', negate: false },
            { kind: 'compare', value: { kind: 'null' } },
          ],
        },
        { kind: 'not', item: { kind: 'like', pattern: { value: 'TEST%' } } },
        { kind: 'in', negate: true, values: [{ value: 'COD' }] },
      ],
    });
  });

  it('when keywords are lower case, then they are still keywords', () => {
    const q = parseSoql("select id from company__c where name != 'x' order by name desc nulls last limit 5 offset 10");
    expect(q).toMatchObject({ limit: 5, offset: 10, orderBy: [{ descending: true, nullsLast: true }] });
  });

  it('when ORDER BY lists several fields, then each keeps its direction and nulls rule', () => {
    const q = parseSoql('SELECT Id FROM Sales_Invoice__c ORDER BY Invoice_Date__c DESC, Name ASC NULLS FIRST, Id');
    expect(q.orderBy.map((o) => [o.field.path.join('.'), o.descending, o.nullsLast])).toEqual([
      ['Invoice_Date__c', true, false],
      ['Name', false, false],
      ['Id', false, false],
    ]);
  });

  it('when COUNT() and COUNT(field) alias are selected, then they parse as counts', () => {
    expect(parseSoql('SELECT COUNT() FROM Customer__c').select[0]).toMatchObject({ kind: 'count', arg: undefined });
    expect(parseSoql('SELECT COUNT(Id) n FROM Customer__c').select[0]).toMatchObject({ kind: 'count', arg: { path: ['Id'] }, alias: 'n' });
  });

  it('when a semi-join is used, then IN holds the inner query', () => {
    const q = parseSoql('SELECT Id FROM Sales_Invoice__c WHERE Id IN (SELECT Sales_Invoice__c FROM Payment__c)');
    expect(q.where).toMatchObject({ kind: 'inQuery', negate: false, query: { from: { name: 'Payment__c' } } });
  });

  it('when date literals are compared, then named and N-day literals parse', () => {
    const q = parseSoql('SELECT Id FROM Sales_Invoice__c WHERE Invoice_Date__c >= LAST_N_DAYS:30 AND Due_Date__c < TODAY AND Invoice_Date__c > 2026-01-01');
    expect(q.where).toMatchObject({
      items: [
        { value: { kind: 'dateLiteral', name: 'LAST_N_DAYS', n: 30 } },
        { value: { kind: 'dateLiteral', name: 'TODAY' } },
        { value: { kind: 'date', value: '2026-01-01' } },
      ],
    });
  });

  it('when AND and OR are mixed without parentheses, then it is a MALFORMED_QUERY at the OR', () => {
    const e = parseError("SELECT Id FROM Customer__c WHERE Name = 'a' AND Name = 'b' OR Name = 'c'");
    expect(e.errorCode).toBe('MALFORMED_QUERY');
    expect(e.detail).toBe("unexpected token: 'OR'");
    expect(e.pos).toEqual({ row: 1, col: 60 });
  });

  it('when the query ends early, then the error names <EOF>', () => {
    expect(parseError('SELECT Id FROM').detail).toBe('unexpected token: <EOF>');
    expect(parseError('SELECT Id FROM Customer__c WHERE').detail).toBe('unexpected token: <EOF>');
  });

  it('when a string is not closed, then it is a MALFORMED_QUERY', () => {
    expect(parseError("SELECT Id FROM Customer__c WHERE Name = 'abc").errorCode).toBe('MALFORMED_QUERY');
  });

  it('when an error is formatted, then it shows the row, a caret under the column and the position', () => {
    const soql = "SELECT Id FROM Customer__c WHERE Name = 'a' AND Name = 'b' OR Name = 'c'";
    expect(formatSoqlError(soql, parseError(soql))).toBe(`\n${soql}\n${' '.repeat(59)}^\nERROR at Row:1:Column:60\nunexpected token: 'OR'`);
  });
});
