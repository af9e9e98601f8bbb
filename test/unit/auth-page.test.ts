// The QuickBooks Authentication page before Connect and after Disconnect: the Realm ID Salesforce holds is shown
// (Connect must choose that company), and a disconnected company is said to be disconnected, with when — not
// "not connected yet".
import { connectionSummary } from '../../service/src/quickbooks/online/authorization';
import { renderAuthPage, type AuthPageModel } from '../../service/src/quickbooks/online/authPage';

const chrome = { sldsHref: null, base: '/quickbooks', product: 'QuickBooks Online', title: 'QuickBooks Authentication', subtitle: 'Connect QuickBooks Online' };
const now = new Date('2026-03-01T12:00:00.000Z');

function page(over: Partial<AuthPageModel>): string {
  return renderAuthPage(chrome, {
    companyId: 'a00000000000001AAA',
    companyName: 'Harbor Outfitters Ltd.',
    companyRealmId: '9341455000000002',
    summary: connectionSummary(null, now),
    quickBooksCompany: null,
    banner: null,
    csrfToken: '',
    browserSession: false,
    now,
    ...over,
  });
}

const text = (html: string, attr: string) => new RegExp(`<[^>]*${attr}[^>]*>([\\s\\S]*?)</`).exec(html)?.[1] ?? '';

describe('the QuickBooks Authentication page', () => {
  it('when the company was never connected, then the Realm ID Salesforce holds is shown, and it is not connected "yet"', () => {
    const html = page({});
    expect(text(html, 'data-realm')).toContain('9341455000000002');
    expect(html).toContain('(from Salesforce: choose this company when you connect)');
    expect(html).toContain('is not connected to QuickBooks Online yet');
  });

  it('when an admin disconnected the company, then the page says so with the date, not "yet"', () => {
    const html = page({ summary: { ...connectionSummary(null, now), disconnectedAt: new Date('2026-02-20T09:15:00.000Z') } });
    expect(html).toMatch(/data-disconnected>An admin disconnected this company from QuickBooks Online on [^<]*2026/);
    expect(html).not.toContain('not connected to QuickBooks Online yet');
  });

  it('when the company has no Realm ID in Salesforce either, then a dash says so', () => {
    expect(text(page({ companyRealmId: null }), 'data-realm').trim()).toBe('—');
  });
});
