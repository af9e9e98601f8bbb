// A small QuickBooks Desktop company file that answers qbXML the way QuickBooks does behind the Web Connector:
// requests parsed with fast-xml-parser (element order checked, misordered XML refused as QuickBooks refuses it),
// one name list shared by customers, vendors, employees and other names (3100), field lengths (3070), invalid
// references (3140), queries with iterators, IncludeRetElement, statuses 1 and 500, and faults a test injects.
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { ORDER } from '../../service/src/quickbooks/desktop/schema';

export const PARSE_ERROR = { hresult: '0x80040400', message: 'QuickBooks found an error when parsing the provided XML text stream.' };

type El = Record<string, any>;

export interface Fault {
  /** e.g. CustomerAddRq */
  rq: string;
  statusCode: number;
  statusMessage?: string;
  /** Only requests whose content matches. */
  when?: (content: El) => boolean;
  /** How many requests it hits (default 1). */
  times?: number;
  /** Save the record anyway before answering with the fault (an answer QuickBooks gave for a saved record). */
  afterSave?: boolean;
}

interface NameRec {
  ListID: string;
  Name: string;
  IsActive: boolean;
  TimeModified: string;
  EditSequence: string;
  [k: string]: unknown;
}

interface ItemRec extends NameRec {
  type: 'ItemService' | 'ItemNonInventory' | 'ItemInventory' | 'ItemOtherCharge' | 'ItemDiscount';
}

interface InvoiceRec {
  TxnID: string;
  TimeCreated: string;
  TimeModified: string;
  RefNumber?: string;
  CustomerRef: { ListID: string; FullName: string };
  TxnDate: string;
  DueDate?: string;
  Memo?: string;
  Subtotal: string;
  SalesTaxTotal: string;
  lines: El[];
}

/** Field lengths QuickBooks Desktop enforces on the adds Ledgerline sends (qbXML SDK, US). */
const MAX: Record<string, Record<string, number>> = {
  CustomerAdd: { Name: 41, CompanyName: 41, FirstName: 25, LastName: 25, Phone: 21, Email: 1023 },
  BillAddress: { Addr1: 41, City: 31, State: 21, PostalCode: 13, Country: 31 },
  ItemServiceAdd: { Name: 31 },
  ItemNonInventoryAdd: { Name: 31, ManufacturerPartNumber: 31 },
  ItemInventoryAdd: { Name: 31, ManufacturerPartNumber: 31, SalesDesc: 4095 },
  SalesOrPurchase: { Desc: 4095 },
  InvoiceAdd: { RefNumber: 11, Memo: 4095, PONumber: 25 },
  InvoiceLineAdd: { Desc: 4095 },
};

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', preserveOrder: true, parseTagValue: false, trimValues: true });
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: true });

class OrderError extends Error {}

/** preserveOrder nodes -> plain objects (repeated children as arrays), checking each element's child order. */
function toObject(name: string, nodes: El[]): El | string {
  const text = nodes.find((n) => '#text' in n);
  const elements = nodes.filter((n) => !('#text' in n));
  if (!elements.length) return text ? String(text['#text']) : '';
  const order = ORDER[name];
  const out: El = {};
  let last = -1;
  for (const node of elements) {
    const key = Object.keys(node).find((k) => k !== ':@')!;
    if (order) {
      const at = order.indexOf(key);
      if (at < 0 || at < last) throw new OrderError(`${name}: ${key} is not allowed here`);
      last = at;
    }
    const value = toObject(key, node[key] as El[]);
    if (key in out) out[key] = [...(Array.isArray(out[key]) ? out[key] : [out[key]]), value];
    else out[key] = value;
  }
  return out;
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const key = (name: string) => name.normalize('NFC').trim().toLowerCase();

export class QuickBooksDesktopCompany {
  readonly customers = new Map<string, NameRec>();
  readonly vendors = new Map<string, NameRec>();
  readonly employees = new Map<string, NameRec>();
  readonly otherNames = new Map<string, NameRec>();
  readonly items = new Map<string, ItemRec>();
  readonly invoices = new Map<string, InvoiceRec>();
  readonly faults: Fault[] = [];
  /** Every request processed, by element name (CustomerAddRq: 3, ...). */
  readonly processed = new Map<string, number>();
  /** Every qbXML message received, as sent. */
  readonly messages: string[] = [];
  private seq = 0x10;
  private clock: number;
  private readonly iterators = new Map<string, { rows: { type: string; value: El }[]; at: number }>();

  constructor(start = Date.now()) {
    this.clock = start;
  }

  // ------------------------------------------------------------------ seeding (what the company file already holds)

  addCustomer(fields: { Name: string } & El): NameRec {
    return this.putName(this.customers, { IsActive: true, ...fields });
  }
  addVendor(Name: string): NameRec {
    return this.putName(this.vendors, { Name, IsActive: true });
  }
  addEmployee(Name: string): NameRec {
    return this.putName(this.employees, { Name, IsActive: true });
  }
  addItem(type: ItemRec['type'], fields: { Name: string } & El): ItemRec {
    const rec = { ...this.stamp(), IsActive: true, ...fields, type } as ItemRec;
    this.items.set(rec.ListID, rec);
    return rec;
  }
  /** An account (accounts are referred to by ListID; only their existence is checked). */
  readonly accounts = new Set<string>();
  addAccount(ListID: string): void {
    this.accounts.add(ListID);
  }

  // ------------------------------------------------------------------ the Web Connector's side

  /** One qbXML request message in, one response message out — or the hresult the Web Connector reports. */
  process(qbxml: string): { xml: string } | { hresult: string; message: string } {
    this.messages.push(qbxml);
    let requests: { name: string; attrs: El; content: El }[];
    try {
      const doc = parser.parse(qbxml) as El[];
      const root = doc.find((n) => 'QBXML' in n);
      const msgs = (root?.QBXML as El[] | undefined)?.find((n) => 'QBXMLMsgsRq' in n);
      if (!msgs) return PARSE_ERROR;
      requests = (msgs.QBXMLMsgsRq as El[])
        .filter((n) => !('#text' in n))
        .map((n) => {
          const name = Object.keys(n).find((k) => k !== ':@')!;
          const content = toObject(name, n[name] as El[]);
          return { name, attrs: (n[':@'] ?? {}) as El, content: typeof content === 'string' ? {} : content };
        });
    } catch {
      return PARSE_ERROR;
    }
    const out: El[] = requests.map((r) => this.handle(r.name, r.attrs, r.content));
    const rs: El = {};
    for (const r of out) {
      const name = r.__rs as string;
      delete r.__rs;
      (rs[name] ??= []).push(r);
    }
    return { xml: `<?xml version="1.0" ?>${builder.build({ QBXML: { QBXMLMsgsRs: rs } })}` };
  }

  private handle(name: string, attrs: El, content: El): El {
    this.processed.set(name, (this.processed.get(name) ?? 0) + 1);
    const rs = name.replace(/Rq$/, 'Rs');
    const head = (code: number, severity: string, message: string) => ({
      __rs: rs,
      '@_requestID': attrs['@_requestID'],
      '@_statusCode': String(code),
      '@_statusSeverity': severity,
      '@_statusMessage': message,
    });
    const fault = this.faults.find((f) => f.rq === name && (!f.when || f.when(content)) && (f.times ?? 1) > 0);
    if (fault && !fault.afterSave) {
      fault.times = (fault.times ?? 1) - 1;
      return head(fault.statusCode, 'Error', fault.statusMessage ?? `QuickBooks error ${fault.statusCode}`);
    }
    let answer: El;
    try {
      answer = this.answer(name, attrs, content, head);
    } catch (err) {
      if (err instanceof Status) return head(err.code, err.code === 1 ? 'Info' : err.code === 500 ? 'Warn' : 'Error', err.message);
      throw err;
    }
    if (fault?.afterSave) {
      fault.times = (fault.times ?? 1) - 1;
      return head(fault.statusCode, 'Error', fault.statusMessage ?? `QuickBooks error ${fault.statusCode}`);
    }
    return answer;
  }

  private answer(name: string, attrs: El, content: El, head: (c: number, s: string, m: string) => El): El {
    const ok = (rets: Record<string, El[]>, extra: El = {}) => ({ ...head(0, 'Info', 'Status OK'), ...extra, ...rets });
    switch (name) {
      case 'CustomerAddRq': {
        const c = content.CustomerAdd as El;
        this.checkLengths('CustomerAdd', c);
        if (c.BillAddress) this.checkLengths('BillAddress', c.BillAddress);
        this.nameFree(c.Name);
        const rec = this.putName(this.customers, {
          ...c,
          IsActive: true,
          FullName: c.Name,
          Sublevel: '0',
          Balance: '0.00',
          TotalBalance: '0.00',
          JobStatus: 'None',
        });
        return ok({ CustomerRet: [rec] });
      }
      case 'ItemServiceAddRq':
      case 'ItemNonInventoryAddRq':
      case 'ItemInventoryAddRq': {
        const entity = name.replace(/AddRq$/, '') as ItemRec['type'];
        const add = content[`${entity}Add`] as El;
        this.checkLengths(`${entity}Add`, add);
        if (add.SalesOrPurchase) this.checkLengths('SalesOrPurchase', add.SalesOrPurchase);
        if ([...this.items.values()].some((i) => key(i.Name) === key(add.Name)))
          throw new Status(3100, `The name "${add.Name}" of the list element is already in use.`);
        for (const ref of [add.SalesOrPurchase?.AccountRef, add.IncomeAccountRef, add.COGSAccountRef, add.AssetAccountRef].filter(Boolean)) {
          if (this.accounts.size && !this.accounts.has(ref.ListID))
            throw new Status(
              3140,
              `There is an invalid reference to QuickBooks Account "${ref.ListID}" in the ${entity}. QuickBooks error message: Invalid argument. The specified record does not exist in the list.`,
            );
        }
        const rec = this.addItem(entity, { ...add, Name: String(add.Name), FullName: add.Name });
        return ok({ [`${entity}Ret`]: [this.itemRet(rec)] });
      }
      case 'InvoiceAddRq':
        return ok({ InvoiceRet: [this.invoiceRet(this.addInvoice(content.InvoiceAdd as El))] });
      case 'CustomerQueryRq':
        return this.query(attrs, content, head, 'CustomerRet', [...this.customers.values()], (r) => r);
      case 'VendorQueryRq':
        return this.query(attrs, content, head, 'VendorRet', [...this.vendors.values()], (r) => r);
      case 'EmployeeQueryRq':
        return this.query(attrs, content, head, 'EmployeeRet', [...this.employees.values()], (r) => r);
      case 'OtherNameQueryRq':
        return this.query(attrs, content, head, 'OtherNameRet', [...this.otherNames.values()], (r) => r);
      case 'ItemQueryRq':
        return this.query(
          attrs,
          content,
          head,
          (r: ItemRec) => `${r.type}Ret`,
          [...this.items.values()],
          (r) => this.itemRet(r as ItemRec),
        );
      case 'InvoiceQueryRq':
        return this.invoiceQuery(attrs, content, head);
      default:
        throw new Status(3030, `The request "${name}" is not supported by this QuickBooks Desktop stand-in.`);
    }
  }

  private query<R extends NameRec>(
    attrs: El,
    content: El,
    head: (c: number, s: string, m: string) => El,
    retName: string | ((r: R) => string),
    rows: R[],
    view: (r: R) => El,
  ): El {
    const ids = list<string>(content.ListID);
    const names = list<string>(content.FullName);
    let found: R[];
    let missing: string | null = null;
    if (ids.length || names.length) {
      found = [];
      for (const id of ids) {
        const r = rows.find((x) => x.ListID === id);
        if (r) found.push(r);
        else missing ??= id;
      }
      for (const n of names) {
        const r = rows.find((x) => key(String(x.FullName ?? x.Name)) === key(n));
        if (r) found.push(r);
        else missing ??= n;
      }
    } else {
      const status = content.ActiveStatus ?? 'ActiveOnly';
      found = rows.filter((r) => status === 'All' || (status === 'ActiveOnly' ? r.IsActive : !r.IsActive));
    }
    const typed = found.map((r) => ({ type: typeof retName === 'string' ? retName : retName(r), value: this.include(view(r), content.IncludeRetElement) }));
    return this.page(attrs, content, head, typed, missing);
  }

  private page(attrs: El, content: El, head: (c: number, s: string, m: string) => El, rows: { type: string; value: El }[], missing: string | null): El {
    let page = rows;
    const extra: El = {};
    if (attrs['@_iterator'] === 'Start' || attrs['@_iterator'] === 'Continue') {
      let state: { rows: { type: string; value: El }[]; at: number };
      let id = String(attrs['@_iteratorID'] ?? '');
      if (attrs['@_iterator'] === 'Start') {
        id = `{${(++this.seq).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000}`;
        state = { rows, at: 0 };
        this.iterators.set(id, state);
      } else {
        const known = this.iterators.get(id);
        if (!known) return head(3250, 'Error', `The iterator "${id}" is not valid. It may have expired.`);
        state = known;
      }
      const max = Number(content.MaxReturned ?? 100);
      page = state.rows.slice(state.at, state.at + max);
      state.at += page.length;
      extra['@_iteratorRemainingCount'] = String(state.rows.length - state.at);
      extra['@_iteratorID'] = id;
    } else if (content.MaxReturned) page = rows.slice(0, Number(content.MaxReturned));
    if (missing !== null) {
      const answer = head(
        500,
        'Warn',
        `The query request has not been fully completed. There was a required element ("${missing}") that could not be found in QuickBooks.`,
      );
      return { ...answer, ...group(page) };
    }
    if (!page.length) return { ...head(1, 'Info', 'A query request did not find a matching object in QuickBooks'), ...extra };
    return { ...head(0, 'Info', 'Status OK'), ...extra, ...group(page) };
  }

  private invoiceQuery(attrs: El, content: El, head: (c: number, s: string, m: string) => El): El {
    const all = [...this.invoices.values()];
    const ids = list<string>(content.TxnID);
    const refs = list<string>(content.RefNumber);
    let found = all;
    let missing: string | null = null;
    if (ids.length) {
      found = all.filter((i) => ids.includes(i.TxnID));
      missing = ids.find((id) => !found.some((i) => i.TxnID === id)) ?? null;
    } else if (refs.length) {
      found = all.filter((i) => i.RefNumber !== undefined && refs.includes(i.RefNumber));
    }
    const from = content.ModifiedDateRangeFilter?.FromModifiedDate;
    if (from) found = found.filter((i) => Date.parse(i.TimeModified) >= Date.parse(from));
    const rows = found.map((i) => ({ type: 'InvoiceRet', value: this.include(this.invoiceRet(i), content.IncludeRetElement) }));
    return this.page(attrs, content, head, rows, missing);
  }

  /** IncludeRetElement: only the named elements come back. */
  private include(ret: El, names: unknown): El {
    const wanted = list<string>(names as string | string[] | undefined);
    if (!wanted.length) return ret;
    return Object.fromEntries(Object.entries(ret).filter(([k]) => wanted.includes(k)));
  }

  // ------------------------------------------------------------------ records

  private addInvoice(add: El): InvoiceRec {
    this.checkLengths('InvoiceAdd', add);
    const customer = this.customers.get(add.CustomerRef?.ListID);
    if (!customer)
      throw new Status(
        3140,
        `There is an invalid reference to QuickBooks Customer "${add.CustomerRef?.ListID ?? ''}" in the Invoice. QuickBooks error message: Invalid argument. The specified record does not exist in the list.`,
      );
    const lines = list<El>(add.InvoiceLineAdd);
    let cents = 0;
    for (const line of lines) {
      this.checkLengths('InvoiceLineAdd', line);
      const item = this.items.get(line.ItemRef?.ListID);
      if (!item)
        throw new Status(
          3140,
          `There is an invalid reference to QuickBooks Item "${line.ItemRef?.ListID ?? ''}" in the Invoice line. QuickBooks error message: Invalid argument. The specified record does not exist in the list.`,
        );
      const amount = line.Amount !== undefined ? Number(line.Amount) : Number(line.Quantity ?? 1) * Number(line.Rate ?? 0);
      cents += Math.round(amount * 100);
    }
    const at = this.tick();
    const rec: InvoiceRec = {
      TxnID: `${(++this.seq).toString(16).toUpperCase()}-${Math.floor(at / 1000)}`,
      TimeCreated: iso(at),
      TimeModified: iso(at),
      RefNumber: add.RefNumber ?? String(this.invoices.size + 1),
      CustomerRef: { ListID: customer.ListID, FullName: customer.Name },
      TxnDate: add.TxnDate ?? iso(at).slice(0, 10),
      DueDate: add.DueDate,
      Memo: add.Memo,
      Subtotal: (cents / 100).toFixed(2),
      SalesTaxTotal: '0.00',
      lines,
    };
    this.invoices.set(rec.TxnID, rec);
    return rec;
  }

  private invoiceRet(i: InvoiceRec): El {
    return {
      TxnID: i.TxnID,
      TimeCreated: i.TimeCreated,
      TimeModified: i.TimeModified,
      EditSequence: String(Math.floor(Date.parse(i.TimeModified) / 1000)),
      TxnNumber: i.TxnID.split('-')[0],
      CustomerRef: i.CustomerRef,
      TxnDate: i.TxnDate,
      RefNumber: i.RefNumber,
      DueDate: i.DueDate,
      Subtotal: i.Subtotal,
      SalesTaxTotal: i.SalesTaxTotal,
      BalanceRemaining: i.Subtotal,
      Memo: i.Memo,
    };
  }

  private itemRet(r: ItemRec): El {
    const { type: _type, ...ret } = r;
    return ret;
  }

  private nameFree(name: string): void {
    for (const m of [this.customers, this.vendors, this.employees, this.otherNames]) {
      if ([...m.values()].some((r) => key(r.Name) === key(name))) throw new Status(3100, `The name "${name}" of the list element is already in use.`);
    }
  }

  private checkLengths(element: string, el: El): void {
    for (const [field, max] of Object.entries(MAX[element] ?? {})) {
      const v = el[field];
      if (typeof v === 'string' && Array.from(v).length > max) throw new Status(3070, `The string "${v}" in the field "${field}" is too long.`);
    }
  }

  private putName<M extends Map<string, NameRec>>(map: M, fields: El): NameRec {
    const rec = { ...this.stamp(), ...fields } as unknown as NameRec;
    map.set(rec.ListID, rec);
    return rec;
  }

  private stamp(): { ListID: string; TimeCreated: string; TimeModified: string; EditSequence: string } {
    const at = this.tick();
    const s = Math.floor(at / 1000);
    return { ListID: `${(++this.seq).toString(16).toUpperCase().padStart(8, '8')}-${s}`, TimeCreated: iso(at), TimeModified: iso(at), EditSequence: String(s) };
  }

  private tick(): number {
    this.clock += 1000;
    return this.clock;
  }

  /** The whole company file as JSON (the demo keeps it between Web Connector runs). */
  snapshot(): string {
    const maps = {
      customers: this.customers,
      vendors: this.vendors,
      employees: this.employees,
      otherNames: this.otherNames,
      items: this.items,
      invoices: this.invoices,
    };
    return JSON.stringify({
      seq: this.seq,
      clock: this.clock,
      accounts: [...this.accounts],
      ...Object.fromEntries(Object.entries(maps).map(([k, m]) => [k, [...m.values()]])),
    });
  }

  static restore(json: string): QuickBooksDesktopCompany {
    const data = JSON.parse(json) as Record<string, any>;
    const file = new QuickBooksDesktopCompany(data.clock);
    file.seq = data.seq;
    for (const id of data.accounts ?? []) file.accounts.add(id);
    for (const [name, key] of [
      ['customers', 'ListID'],
      ['vendors', 'ListID'],
      ['employees', 'ListID'],
      ['otherNames', 'ListID'],
      ['items', 'ListID'],
      ['invoices', 'TxnID'],
    ] as const) {
      for (const rec of data[name] ?? []) (file[name] as Map<string, unknown>).set(rec[key], rec);
    }
    return file;
  }

  /** Records a test looks at: invoices by the source record in their memo marker. */
  invoicesBySource(): Map<string, number> {
    const copies = new Map<string, number>();
    for (const i of this.invoices.values()) {
      const id = /\[ledgerline:([A-Za-z0-9]{15,18})\]/.exec(i.Memo ?? '')?.[1];
      if (id) copies.set(id, (copies.get(id) ?? 0) + 1);
    }
    return copies;
  }
}

class Status extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

function group(rows: { type: string; value: El }[]): El {
  const out: El = {};
  for (const r of rows) (out[r.type] ??= []).push(r.value);
  return out;
}

function iso(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}+00:00`;
}
