import { LightningElement, api } from 'lwc';

// Minimal stand-in for lightning-button-icon (border-filled variant).
export default class ButtonIcon extends LightningElement {
  @api iconName = '';
  @api alternativeText;
  @api title;
  @api disabled = false;
  @api variant = 'border-filled';

  get href() {
    const [category = 'utility', name = ''] = String(this.iconName || '').split(':');
    return `/assets/icons/${category}-sprite/svg/symbols.svg#${name}`;
  }

  get computedClass() {
    return `slds-button slds-button_icon slds-button_icon-${this.variant || 'border-filled'}`;
  }
}
