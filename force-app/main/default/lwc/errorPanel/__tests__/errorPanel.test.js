import { createElement } from 'lwc';
import ErrorPanel from 'c/errorPanel';
import { flushPromises, resetDOM, apexError } from '../../../../../test/jest-utils';

describe('c-error-panel', () => {
  afterEach(resetDOM);

  async function render(props) {
    const element = createElement('c-error-panel', { is: ErrorPanel });
    Object.assign(element, props);
    document.body.appendChild(element);
    await flushPromises();
    return element;
  }

  it('shows the friendly heading and every reduced message', async () => {
    const element = await render({ errors: [apexError('First'), new Error('Second')] });

    expect(element.shadowRoot.querySelector('h2').textContent).toBe('c.Ledgerline_Error_Title');
    const items = Array.from(element.shadowRoot.querySelectorAll('li')).map((li) => li.textContent);
    expect(items).toEqual(['First', 'Second']);
  });

  it('uses a given friendly message', async () => {
    const element = await render({ errors: apexError('x'), friendlyMessage: 'Export failed' });

    expect(element.shadowRoot.querySelector('h2').textContent).toBe('Export failed');
  });

  it('is announced as an alert', async () => {
    const element = await render({ errors: apexError('x') });

    expect(element.shadowRoot.querySelector('[role="alert"]')).not.toBeNull();
  });
});
