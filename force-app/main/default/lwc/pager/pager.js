import { LightningElement, api } from 'lwc';
import PREVIOUS from '@salesforce/label/c.PLV_Previous';
import NEXT from '@salesforce/label/c.PLV_Next';

/**
 * Previous / Next with the position between them ("Page 2 of 5", "Entries 51–100 of 340"). Fires `previous` and
 * `next`; the owner reads the page.
 */
export default class Pager extends LightningElement {
  /** Where the reader is. */
  @api text;
  @api previousDisabled = false;
  @api nextDisabled = false;

  labels = { previous: PREVIOUS, next: NEXT };

  handlePrevious() {
    this.dispatchEvent(new CustomEvent('previous'));
  }

  handleNext() {
    this.dispatchEvent(new CustomEvent('next'));
  }
}
