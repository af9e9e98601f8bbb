// Sales tax on sales forms, as QuickBooks Online computes it.
// - US automated sales tax (AST, Preferences.TaxPrefs.PartnerTaxEnabled): lines say TAX or NON; the rate follows the
//   ship-to state (else the company's own); an explicit TxnTaxDetail.TotalTax is honoured and spread over the
//   AST tax code's rates (Intuit, "Using QuickBooks Online API for automated sales tax", 2017).
// - Non-US companies with sales tax: every line names one of the company's tax codes; each of its sales rates is
//   applied to the lines that carry it. A line without one is refused ("Make sure all your transactions have a
//   GST/HST rate before you save", code 6000, as integrators quote it).
// - Otherwise (a US company without AST): the total tax is what was sent.
// The result has the recorded shape: TxnTaxCodeRef, TotalTax and TaxLine[{Amount, DetailType, TaxLineDetail{TaxRateRef,
// PercentBased, TaxPercent, NetAmountTaxable}}] (NangoHQ/integration-templates integrations/quickbooks/tests/get-invoice.test.json).

import { companyInfoOf } from './company';
import { faults } from './faults';
import { cents, fromCents, productCents, toNumber } from './money';
import { isObject, metaData, refValue, str, type WriteContext } from './rules';
import type { Entity, Realm } from './state';

/** A sales line's amount and tax code, as the tax engine sees it. */
export interface TaxableLine {
  amountCents: number;
  taxCode: string | undefined;
}

export interface TaxResult {
  detail: Entity;
  totalCents: number;
}

const US_PSEUDO_CODES = new Set(['TAX', 'NON']);

export function isUsCompany(realm: Realm): boolean {
  return String(companyInfoOf(realm).Country ?? 'US').toUpperCase() === 'US';
}

/** The tax code a line stores: US lines keep TAX/NON (NON when left out); other companies' lines their code's id. */
export function lineTaxCode(ctx: WriteContext, detail: Record<string, any>): string | undefined {
  const sent = refValue(detail.TaxCodeRef);
  const realm = ctx.realm;
  if (isUsCompany(realm)) {
    if (sent !== undefined && !US_PSEUDO_CODES.has(sent.toUpperCase()) && realm.prefs.automatedSalesTax && !ctx.seeding) {
      throw faults.businessValidation(
        `Tax code ${sent} can't be used on a line: with automated sales tax, a line is only TAX or NON and QuickBooks picks the rate.`,
      );
    }
    return sent === undefined ? 'NON' : sent.toUpperCase() === 'TAX' || sent.toUpperCase() === 'NON' ? sent.toUpperCase() : sent;
  }
  if (!realm.prefs.usingSalesTax) return sent;
  if (sent === undefined) {
    if (ctx.seeding) return undefined;
    const what = String(companyInfoOf(realm).Country).toUpperCase() === 'CA' ? 'GST/HST' : 'sales tax';
    throw faults.businessValidation(`Make sure all your transactions have a ${what} rate before you save`);
  }
  const code = realm.table('TaxCode').get(sent);
  if (!code) throw faults.invalidReference(`TaxCode element id ${sent} not found`);
  if (code.Active === false && !ctx.seeding) throw faults.objectNotFound();
  return code.Id;
}

function rateOf(realm: Realm, rateId: string): Entity | undefined {
  return realm.table('TaxRate').get(rateId);
}

function taxLine(amountCents: number, rateId: string, percent: number, netCents: number): Entity {
  return {
    Amount: fromCents(amountCents),
    DetailType: 'TaxLineDetail',
    TaxLineDetail: { TaxRateRef: { value: rateId }, PercentBased: true, TaxPercent: percent, NetAmountTaxable: fromCents(netCents) },
  };
}

/** The ship-to state of a transaction: its ShipAddr, else the company's address (Intuit: the destination address). */
function destinationState(realm: Realm, shipAddr: unknown): string | undefined {
  const shipped = isObject(shipAddr) ? str(shipAddr.CountrySubDivisionCode) : undefined;
  if (shipped) return shipped.toUpperCase();
  const company = companyInfoOf(realm).CompanyAddr;
  return isObject(company) ? str(company.CountrySubDivisionCode)?.toUpperCase() : undefined;
}

function automated(ctx: WriteContext, lines: TaxableLine[], shipAddr: unknown, sent: Record<string, any>): TaxResult {
  const realm = ctx.realm;
  const netCents = lines.filter((l) => l.taxCode === 'TAX').reduce((sum, l) => sum + l.amountCents, 0);
  const state = destinationState(realm, shipAddr);
  const codeId = state ? realm.automatedTaxCodes.get(state) : undefined;
  const code = codeId ? realm.table('TaxCode').get(codeId) : undefined;
  const rateId = code ? refValue(code.SalesTaxRateList?.TaxRateDetail?.[0]?.TaxRateRef) : undefined;
  const rate = rateId ? rateOf(realm, rateId) : undefined;
  const explicit = toNumber(sent.TotalTax);
  if (!code || !rateId || !rate || netCents === 0) {
    const total = explicit !== undefined ? cents(explicit) : 0;
    return { detail: { TotalTax: fromCents(total) }, totalCents: total };
  }
  const percent = Number(rate.RateValue);
  const computed = productCents(fromCents(netCents), percent / 100);
  // An amount sent is honoured as it is (and spread over the code's one rate).
  const total = explicit !== undefined ? cents(explicit) : computed;
  return {
    detail: { TxnTaxCodeRef: { value: code.Id }, TotalTax: fromCents(total), TaxLine: [taxLine(total, rateId, percent, netCents)] },
    totalCents: total,
  };
}

function perLineCodes(realm: Realm, lines: TaxableLine[]): TaxResult {
  const byRate = new Map<string, { net: number; percent: number }>();
  for (const line of lines) {
    const code = line.taxCode ? realm.table('TaxCode').get(line.taxCode) : undefined;
    for (const d of code?.SalesTaxRateList?.TaxRateDetail ?? []) {
      const rateId = refValue(d.TaxRateRef);
      const rate = rateId ? rateOf(realm, rateId) : undefined;
      if (!rateId || !rate) continue;
      const entry = byRate.get(rateId) ?? { net: 0, percent: Number(rate.RateValue) };
      entry.net += line.amountCents;
      byRate.set(rateId, entry);
    }
  }
  let total = 0;
  const taxLines: Entity[] = [];
  for (const [rateId, { net, percent }] of byRate) {
    const amount = productCents(fromCents(net), percent / 100);
    total += amount;
    taxLines.push(taxLine(amount, rateId, percent, net));
  }
  return { detail: taxLines.length ? { TotalTax: fromCents(total), TaxLine: taxLines } : { TotalTax: 0 }, totalCents: total };
}

/** The TxnTaxDetail a sales form gets, and its total tax in cents. */
export function computeTax(ctx: WriteContext, lines: TaxableLine[], shipAddr: unknown, sentDetail: unknown): TaxResult {
  const sent = isObject(sentDetail) ? sentDetail : {};
  const realm = ctx.realm;
  if (ctx.seeding && sent.TotalTax !== undefined) return { detail: { ...sent }, totalCents: cents(toNumber(sent.TotalTax) ?? 0) };
  if (isUsCompany(realm) && realm.prefs.automatedSalesTax) return automated(ctx, lines, shipAddr, sent);
  if (!isUsCompany(realm) && realm.prefs.usingSalesTax) return perLineCodes(realm, lines);
  const total = cents(toNumber(sent.TotalTax) ?? 0);
  return { detail: { ...sent, TotalTax: fromCents(total) }, totalCents: total };
}

const STATE_NAMES: Record<string, string> = {
  CA: 'California',
  NY: 'New York',
  TX: 'Texas',
  WA: 'Washington',
  IL: 'Illinois',
  FL: 'Florida',
  MA: 'Massachusetts',
  ME: 'Maine',
  OR: 'Oregon',
  NJ: 'New Jersey',
};

/**
 * What automated sales tax sets up for a company: one tax rate and one tax code per state it collects in (AST
 * "creates" TaxCode and TaxRate objects; they can be read and queried, not created over the API).
 */
export function setUpAutomatedTax(realm: Realm, rates: Record<string, number>, now: number): void {
  for (const [rawState, percent] of Object.entries(rates)) {
    const state = rawState.toUpperCase();
    const name = STATE_NAMES[state] ?? state;
    const meta = metaData(now, now);
    const existingCode = realm.automatedTaxCodes.get(state);
    if (existingCode) {
      const code = realm.table('TaxCode').get(existingCode);
      const rateId = refValue(code?.SalesTaxRateList?.TaxRateDetail?.[0]?.TaxRateRef);
      const rate = rateId ? realm.table('TaxRate').get(rateId) : undefined;
      if (rate) rate.RateValue = percent;
      continue;
    }
    const rateId = realm.nextId('TaxRate');
    realm.table('TaxRate').set(rateId, {
      Name: name,
      Description: `${name} sales tax`,
      Active: true,
      RateValue: percent,
      AgencyRef: { value: '1' },
      SpecialTaxType: 'NONE',
      DisplayType: 'ReadOnly',
      domain: 'QBO',
      sparse: false,
      Id: rateId,
      SyncToken: '0',
      MetaData: meta,
    });
    const codeId = realm.nextId('TaxCode');
    realm.table('TaxCode').set(codeId, {
      Name: name,
      Description: name,
      Active: true,
      Hidden: false,
      Taxable: true,
      TaxGroup: true,
      SalesTaxRateList: { TaxRateDetail: [{ TaxRateRef: { value: rateId, name }, TaxTypeApplicable: 'TaxOnAmount', TaxOrder: 0 }] },
      PurchaseTaxRateList: { TaxRateDetail: [] },
      domain: 'QBO',
      sparse: false,
      Id: codeId,
      SyncToken: '0',
      MetaData: meta,
    });
    realm.automatedTaxCodes.set(state, codeId);
  }
}
