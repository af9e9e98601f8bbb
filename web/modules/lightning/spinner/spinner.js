import { LightningElement, api } from 'lwc';

// Minimal stand-in for lightning-spinner.
export default class Spinner extends LightningElement {
  @api alternativeText;
  @api size = 'medium';
  @api variant = 'brand';

  get computedClass() {
    const variant = this.variant === 'base' ? '' : ` slds-spinner_${this.variant || 'brand'}`;
    return `slds-spinner slds-spinner_${this.size || 'medium'}${variant}`;
  }
}
