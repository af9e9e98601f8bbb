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
  /** Save the record and answer with its status (0), but the record without its ListID or TxnID. */
  withoutId?: boolean;
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

/** An invoice, credit memo or sales receipt. */
interface SalesTxnRec {
  TxnID: string;
  TimeCreated: string;
  TimeModified: string;
  RefNumber?: string;
  CustomerRef: { ListID: string; FullName: string };
  TxnDate: string;
  DueDate?: string;
  CheckNumber?: string;
  Memo?: string;
  ClassRef?: { ListID: string; FullName: string };
  PONumber?: string;
  Subtotal: string;
  SalesTaxTotal: string;
  /** What is still owed on an invoice, or the credit left on a credit memo, in cents. */
  openCents: number;
  lines: El[];
}

/** A payment received, with what it was applied to (and the credits used). */
interface PaymentRec {
  TxnID: string;
  TimeCreated: string;
  TimeModified: string;
  CustomerRef: { ListID: string; FullName: string };
  TxnDate: string;
  RefNumber?: string;
  TotalAmount: string;
  Memo?: string;
  UnusedPayment: string;
  applied: { TxnID: string; TxnType: string; RefNumber?: string; cents: number; credits: { CreditTxnID: string; cents: number }[] }[];
}

type SalesEntity = 'Invoice' | 'CreditMemo' | 'SalesReceipt';

/** Field lengths QuickBooks Desktop enforces on the adds Ledgerline sends (qbXML SDK, US). */
const MAX: Record<string, Record<string, number>> = {
  CustomerAdd: { Name: 41, CompanyName: 41, FirstName: 25, LastName: 25, Phone: 21, Email: 1023 },
  BillAddress: { Addr1: 41, City: 31, State: 21, PostalCode: 13, Country: 31 },
  ShipAddress: { Addr1: 41, City: 31, State: 21, PostalCode: 13, Country: 31 },
  ItemServiceAdd: { Name: 31 },
  ItemNonInventoryAdd: { Name: 31, ManufacturerPartNumber: 31 },
  ItemInventoryAdd: { Name: 31, ManufacturerPartNumber: 31, SalesDesc: 4095 },
  SalesOrPurchase: { Desc: 4095 },
  InvoiceAdd: { RefNumber: 11, Memo: 4095, PONumber: 25 },
  InvoiceLineAdd: { Desc: 4095 },
  CreditMemoAdd: { RefNumber: 11, Memo: 4095, PONumber: 25 },
  CreditMemoLineAdd: { Desc: 4095 },
  SalesReceiptAdd: { RefNumber: 11, CheckNumber: 25, Memo: 4095 },
  SalesReceiptLineAdd: { Desc: 4095 },
  ReceivePaymentAdd: { RefNumber: 20, Memo: 4095 },
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
  /** The class list: lower-cased full name -> the class. */
  readonly classes = new Map<string, { ListID: string; FullName: string }>();
  readonly invoices = new Map<string, SalesTxnRec>();
  readonly creditMemos = new Map<string, SalesTxnRec>();
  readonly salesReceipts = new Map<string, SalesTxnRec>();
  readonly payments = new Map<string, PaymentRec>();
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
  addClass(FullName: string): { ListID: string; FullName: string } {
    const rec = { ListID: this.stamp().ListID, FullName };
    this.classes.set(key(FullName), rec);
    return rec;
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

  // ------------------------------------------------------------------ what a QuickBooks user does in the company file

  /**
   * Receive Payments: a payment against one invoice (its whole open balance unless `amount` is given), applied as
   * ReceivePaymentAdd applies it; the next ReceivePaymentQuery modified since then returns it.
   */
  receivePayment(invoiceTxnId: string, opts: { amount?: number; txnDate?: string; refNumber?: string } = {}): { TxnID: string } {
    const invoice = this.invoices.get(invoiceTxnId);
    if (!invoice) throw new Error(`no invoice ${invoiceTxnId} in the company file`);
    const amount = (opts.amount ?? invoice.openCents / 100).toFixed(2);
    const payment = this.addPayment({
      CustomerRef: { ListID: invoice.CustomerRef.ListID },
      TotalAmount: amount,
      ...(opts.txnDate ? { TxnDate: opts.txnDate } : {}),
      ...(opts.refNumber ? { RefNumber: opts.refNumber } : {}),
      AppliedToTxnAdd: [{ TxnID: invoice.TxnID, PaymentAmount: amount }],
    });
    return { TxnID: payment.TxnID };
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
    if (fault && !fault.afterSave && !fault.withoutId) {
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
    if (fault?.withoutId) {
      fault.times = (fault.times ?? 1) - 1;
      // Copies: the answer of an add holds the stored record itself.
      for (const [key, rets] of Object.entries(answer)) {
        if (!key.endsWith('Ret')) continue;
        const idKey = key === 'InvoiceRet' ? 'TxnID' : 'ListID';
        answer[key] = (rets as El[]).map(({ [idKey]: _dropped, ...rest }) => rest);
      }
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
      case 'CreditMemoAddRq':
      case 'SalesReceiptAddRq': {
        const entity = name.replace(/AddRq$/, '') as SalesEntity;
        return ok({ [`${entity}Ret`]: [this.salesRet(entity, this.addSales(entity, content[`${entity}Add`] as El))] });
      }
      case 'ReceivePaymentAddRq':
        return ok({ ReceivePaymentRet: [this.paymentRet(this.addPayment(content.ReceivePaymentAdd as El), true)] });
      case 'HostQueryRq':
        return ok({
          HostRet: [
            {
              ProductName: 'QuickBooks Pro 2024',
              MajorVersion: '34',
              MinorVersion: '0',
              Country: 'US',
              SupportedQBXMLVersion: ['13.0', '16.0'],
              IsAutomaticLogin: 'false',
              QBFileMode: 'SingleUser',
            },
          ],
        });
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
      case 'CreditMemoQueryRq':
      case 'SalesReceiptQueryRq': {
        const entity = name.replace(/QueryRq$/, '') as SalesEntity;
        return this.txnQuery(attrs, content, head, `${entity}Ret`, [...this.sales(entity).values()], (r) => this.salesRet(entity, r));
      }
      case 'ReceivePaymentQueryRq':
        return this.txnQuery(attrs, content, head, 'ReceivePaymentRet', [...this.payments.values()], (r) =>
          this.paymentRet(r, content.IncludeLineItems === 'true'),
        );
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

  /** A transaction query: by TxnID or RefNumber, or modified since a time. */
  private txnQuery<R extends { TxnID: string; RefNumber?: string; TimeModified: string }>(
    attrs: El,
    content: El,
    head: (c: number, s: string, m: string) => El,
    retName: string,
    all: R[],
    view: (r: R) => El,
  ): El {
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
    const rows = found.map((i) => ({ type: retName, value: this.include(view(i), content.IncludeRetElement) }));
    return this.page(attrs, content, head, rows, missing);
  }

  /** IncludeRetElement: only the named elements come back. */
  private include(ret: El, names: unknown): El {
    const wanted = list<string>(names as string | string[] | undefined);
    if (!wanted.length) return ret;
    return Object.fromEntries(Object.entries(ret).filter(([k]) => wanted.includes(k)));
  }

  // ------------------------------------------------------------------ records

  sales(entity: SalesEntity): Map<string, SalesTxnRec> {
    return entity === 'Invoice' ? this.invoices : entity === 'CreditMemo' ? this.creditMemos : this.salesReceipts;
  }

  private invalidRef(what: string, id: unknown, inTxn: string): Status {
    return new Status(
      3140,
      `There is an invalid reference to QuickBooks ${what} "${String(id ?? '')}" in the ${inTxn}. QuickBooks error message: Invalid argument. The specified record does not exist in the list.`,
    );
  }

  private addSales(entity: SalesEntity, add: El): SalesTxnRec {
    this.checkLengths(`${entity}Add`, add);
    const customer = this.customers.get(add.CustomerRef?.ListID);
    if (!customer) throw this.invalidRef('Customer', add.CustomerRef?.ListID, entity);
    if (add.ShipAddress) this.checkLengths('ShipAddress', add.ShipAddress);
    // A class is referred to by full name; one the company file lacks is an invalid reference.
    const className = add.ClassRef?.FullName as string | undefined;
    const cls = className ? this.classes.get(key(className)) : undefined;
    if (className && !cls) throw this.invalidRef('Class', className, entity);
    const lines = list<El>(add[`${entity}LineAdd`]);
    let cents = 0;
    for (const line of lines) {
      this.checkLengths(`${entity}LineAdd`, line);
      if (!this.items.get(line.ItemRef?.ListID)) throw this.invalidRef('Item', line.ItemRef?.ListID, `${entity} line`);
      const amount = line.Amount !== undefined ? Number(line.Amount) : Number(line.Quantity ?? 1) * Number(line.Rate ?? 0);
      cents += Math.round(amount * 100);
    }
    const at = this.tick();
    const map = this.sales(entity);
    const rec: SalesTxnRec = {
      TxnID: this.txnId(at),
      TimeCreated: iso(at),
      TimeModified: iso(at),
      RefNumber: add.RefNumber ?? String(map.size + 1),
      CustomerRef: { ListID: customer.ListID, FullName: customer.Name },
      TxnDate: add.TxnDate ?? iso(at).slice(0, 10),
      DueDate: add.DueDate,
      CheckNumber: add.CheckNumber,
      Memo: add.Memo,
      ClassRef: cls,
      PONumber: add.PONumber,
      Subtotal: (cents / 100).toFixed(2),
      SalesTaxTotal: '0.00',
      // A sales receipt is paid when it is made.
      openCents: entity === 'SalesReceipt' ? 0 : cents,
      lines,
    };
    map.set(rec.TxnID, rec);
    return rec;
  }

  /** ReceivePaymentAdd: money applied to the customer's invoices, and credit memos' credit set against them. */
  private addPayment(add: El): PaymentRec {
    this.checkLengths('ReceivePaymentAdd', add);
    const customer = this.customers.get(add.CustomerRef?.ListID);
    if (!customer) throw this.invalidRef('Customer', add.CustomerRef?.ListID, 'ReceivePayment');
    const totalCents = Math.round(Number(add.TotalAmount ?? 0) * 100);
    const applied: PaymentRec['applied'] = [];
    const changes: (() => void)[] = [];
    let paidCents = 0;
    for (const a of list<El>(add.AppliedToTxnAdd)) {
      const invoice = this.invoices.get(a.TxnID);
      if (!invoice || invoice.CustomerRef.ListID !== customer.ListID) throw this.invalidRef('Invoice', a.TxnID, 'ReceivePayment');
      const pay = Math.round(Number(a.PaymentAmount ?? 0) * 100);
      const credits = list<El>(a.SetCredit).map((c) => {
        const memo = this.creditMemos.get(c.CreditTxnID);
        if (!memo || memo.CustomerRef.ListID !== customer.ListID) throw this.invalidRef('CreditMemo', c.CreditTxnID, 'ReceivePayment');
        const cents = Math.round(Number(c.AppliedAmount ?? 0) * 100);
        if (cents > memo.openCents)
          throw new Status(3250, `The credit of ${(cents / 100).toFixed(2)} is more than what is left on credit memo ${memo.RefNumber}.`);
        return { memo, cents };
      });
      const creditCents = credits.reduce((n, c) => n + c.cents, 0);
      if (pay + creditCents > invoice.openCents) throw new Status(3250, `The amount applied to invoice ${invoice.RefNumber} is more than its open balance.`);
      paidCents += pay;
      changes.push(() => {
        invoice.openCents -= pay + creditCents;
        for (const c of credits) c.memo.openCents -= c.cents;
      });
      applied.push({
        TxnID: invoice.TxnID,
        TxnType: 'Invoice',
        RefNumber: invoice.RefNumber,
        cents: pay,
        credits: credits.map((c) => ({ CreditTxnID: c.memo.TxnID, cents: c.cents })),
      });
    }
    if (paidCents > totalCents) throw new Status(3250, 'The amounts applied to transactions are more than the payment amount.');
    changes.forEach((f) => f());
    const at = this.tick();
    const rec: PaymentRec = {
      TxnID: this.txnId(at),
      TimeCreated: iso(at),
      TimeModified: iso(at),
      CustomerRef: { ListID: customer.ListID, FullName: customer.Name },
      TxnDate: add.TxnDate ?? iso(at).slice(0, 10),
      RefNumber: add.RefNumber,
      TotalAmount: (totalCents / 100).toFixed(2),
      Memo: add.Memo,
      UnusedPayment: ((totalCents - paidCents) / 100).toFixed(2),
      applied,
    };
    this.payments.set(rec.TxnID, rec);
    return rec;
  }

  private txnId(at: number): string {
    return `${(++this.seq).toString(16).toUpperCase()}-${Math.floor(at / 1000)}`;
  }

  private salesRet(entity: SalesEntity, i: SalesTxnRec): El {
    const open = (i.openCents / 100).toFixed(2);
    return {
      TxnID: i.TxnID,
      TimeCreated: i.TimeCreated,
      TimeModified: i.TimeModified,
      EditSequence: String(Math.floor(Date.parse(i.TimeModified) / 1000)),
      TxnNumber: i.TxnID.split('-')[0],
      CustomerRef: i.CustomerRef,
      ClassRef: i.ClassRef,
      TxnDate: i.TxnDate,
      RefNumber: i.RefNumber,
      ...(entity === 'SalesReceipt' ? {} : { PONumber: i.PONumber }),
      ...(entity === 'Invoice' ? { DueDate: i.DueDate } : {}),
      ...(entity === 'SalesReceipt' ? { CheckNumber: i.CheckNumber } : {}),
      Subtotal: i.Subtotal,
      SalesTaxTotal: i.SalesTaxTotal,
      ...(entity === 'Invoice' ? { BalanceRemaining: open, IsPaid: i.openCents === 0 ? 'true' : 'false' } : { TotalAmount: i.Subtotal }),
      ...(entity === 'CreditMemo' ? { CreditRemaining: open } : {}),
      Memo: i.Memo,
    };
  }

  /** AppliedToTxnRet only when the query asks for line items (IncludeLineItems), as QuickBooks does. */
  private paymentRet(p: PaymentRec, lines: boolean): El {
    const applied = p.applied.map((a) => ({
      TxnID: a.TxnID,
      TxnType: a.TxnType,
      RefNumber: a.RefNumber,
      BalanceRemaining: ((this.invoices.get(a.TxnID)?.openCents ?? 0) / 100).toFixed(2),
      Amount: (a.cents / 100).toFixed(2),
      ...(a.credits.length ? { LinkedTxn: a.credits.map((c) => ({ TxnID: c.CreditTxnID, TxnType: 'CreditMemo', Amount: (-c.cents / 100).toFixed(2) })) } : {}),
    }));
    return {
      TxnID: p.TxnID,
      TimeCreated: p.TimeCreated,
      TimeModified: p.TimeModified,
      EditSequence: String(Math.floor(Date.parse(p.TimeModified) / 1000)),
      TxnNumber: p.TxnID.split('-')[0],
      CustomerRef: p.CustomerRef,
      TxnDate: p.TxnDate,
      RefNumber: p.RefNumber,
      TotalAmount: p.TotalAmount,
      Memo: p.Memo,
      UnusedPayment: p.UnusedPayment,
      UnusedCredits: '0.00',
      ...(lines ? { AppliedToTxnRet: applied } : {}),
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
      creditMemos: this.creditMemos,
      salesReceipts: this.salesReceipts,
      payments: this.payments,
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
      ['creditMemos', 'TxnID'],
      ['salesReceipts', 'TxnID'],
      ['payments', 'TxnID'],
    ] as const) {
      for (const rec of data[name] ?? []) (file[name] as Map<string, unknown>).set(rec[key], rec);
    }
    return file;
  }

  /** Records a test looks at: invoices by the source record in their memo marker. */
  invoicesBySource(): Map<string, number> {
    return bySource(this.invoices.values());
  }

  /** Invoices, credit memos and sales receipts together, by the source record in their memo marker. */
  salesBySource(): Map<string, number> {
    return bySource([...this.invoices.values(), ...this.creditMemos.values(), ...this.salesReceipts.values()]);
  }

  /** Payments (and credit applications) by the source record in their memo marker. */
  paymentsBySource(): Map<string, number> {
    return bySource(this.payments.values());
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

function bySource(records: Iterable<{ Memo?: string }>): Map<string, number> {
  const copies = new Map<string, number>();
  for (const r of records) {
    const id = /\[ledgerline:([A-Za-z0-9]{15,18})\]/.exec(r.Memo ?? '')?.[1];
    if (id) copies.set(id, (copies.get(id) ?? 0) + 1);
  }
  return copies;
}

function group(rows: { type: string; value: El }[]): El {
  const out: El = {};
  for (const r of rows) (out[r.type] ??= []).push(r.value);
  return out;
}

function iso(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}+00:00`;
}
