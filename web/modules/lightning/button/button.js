import { LightningElement, api } from 'lwc';

// Minimal stand-in for lightning-button. Clicks on the inner <button> reach the host's onclick.
export default class Button extends LightningElement {
  @api label;
  @api title;
  @api variant = 'neutral';
  @api disabled = false;
  @api type = 'button';
  @api name;
  @api value;

  get computedClass() {
    const variant = this.variant === 'base' ? '' : ` slds-button_${this.variant || 'neutral'}`;
    return `slds-button${variant}`;
  }

  handleClick(event) {
    if (this.disabled) {
      event.preventDefault();
      event.stopPropagation();
    }
  }

  @api
  focus() {
    const button = this.template.querySelector('button');
    if (button) button.focus();
  }
}
