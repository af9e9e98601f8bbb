import { createElement } from 'lwc';
import Pager from 'c/pager';
import { flushPromises, resetDOM } from '../../../../../test/jest-utils';

async function render(props) {
  const element = createElement('c-pager', { is: Pager });
  Object.assign(element, props);
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

describe('c-pager', () => {
  afterEach(resetDOM);

  it('shows the position and fires previous and next', async () => {
    const element = await render({ text: 'Page 2 of 5', previousDisabled: false, nextDisabled: true });
    const previous = jest.fn();
    const next = jest.fn();
    element.addEventListener('previous', previous);
    element.addEventListener('next', next);

    expect(element.shadowRoot.querySelector('[data-id="position"]').textContent).toBe('Page 2 of 5');
    const [prevButton, nextButton] = element.shadowRoot.querySelectorAll('lightning-button');
    expect(prevButton.label).toBe('c.PLV_Previous');
    expect(prevButton.disabled).toBe(false);
    expect(nextButton.disabled).toBe(true);
    prevButton.click();
    nextButton.click();
    expect(previous).toHaveBeenCalledTimes(1);
    expect(next).toHaveBeenCalledTimes(1);
    await expect(element).toBeAccessible();
  });
});
