import { LightningElement, api } from 'lwc';

const SIZES = new Set(['xx-small', 'x-small', 'small', 'medium', 'large']);

// Minimal stand-in for lightning-icon: an SLDS sprite icon ("standard:orders", "utility:refresh").
export default class Icon extends LightningElement {
  @api iconName = '';
  @api size = 'medium';
  @api alternativeText;
  @api variant;

  get parts() {
    const [category = 'utility', name = ''] = String(this.iconName || '').split(':');
    return { category, name };
  }

  get href() {
    const { category, name } = this.parts;
    return `/assets/icons/${category}-sprite/svg/symbols.svg#${name}`;
  }

  get containerClass() {
    const { category, name } = this.parts;
    return category === 'utility' ? 'slds-icon_container' : `slds-icon_container slds-icon-${category}-${name.replace(/_/g, '-')}`;
  }

  get svgClass() {
    const size = SIZES.has(this.size) ? this.size : 'medium';
    const classes = ['slds-icon', `slds-icon_${size}`];
    if (this.parts.category === 'utility') classes.push('slds-icon-text-default');
    return classes.join(' ');
  }
}
