import { createElement } from 'lwc';
import QuickBooksAuthLink from 'c/quickBooksAuthLink';
import { flushPromises, resetDOM } from '../../../../../test/jest-utils';

describe('c-quick-books-auth-link', () => {
  afterEach(resetDOM);

  it('opens QuickBooks Authentication in a new window and says so to screen readers', async () => {
    const element = createElement('c-quick-books-auth-link', { is: QuickBooksAuthLink });
    element.url = 'https://ledgerline.example.com/quickbooks/auth?companyId=a0B5e000001AbCdEAK';
    document.body.appendChild(element);
    await flushPromises();

    const link = element.shadowRoot.querySelector('a');
    expect(link.href).toBe('https://ledgerline.example.com/quickbooks/auth?companyId=a0B5e000001AbCdEAK');
    expect(link.target).toBe('_blank');
    expect(link.rel).toBe('noopener noreferrer');
    expect(link.textContent).toContain('c.SIE_QuickBooks_Authentication');
    expect(link.querySelector('.slds-assistive-text').textContent).toBe('c.SIE_Opens_New_Window');
    await expect(element).toBeAccessible();
  });
});
