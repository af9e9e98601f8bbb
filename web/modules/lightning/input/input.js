/* global CustomEvent */
import { LightningElement, api } from 'lwc';

// Minimal stand-in for lightning-input (text types). Fires change with detail.value on every edit.
export default class Input extends LightningElement {
  @api label;
  @api name;
  @api type = 'text';
  @api placeholder;
  @api disabled = false;
  @api variant;

  current = '';

  @api
  get value() {
    return this.current;
  }
  set value(v) {
    this.current = v === undefined || v === null ? '' : String(v);
  }

  get labelClass() {
    return this.variant === 'label-hidden' ? 'slds-form-element__label slds-assistive-text' : 'slds-form-element__label';
  }

  handleInput(event) {
    event.stopPropagation();
    this.current = event.target.value;
    this.dispatchEvent(new CustomEvent('change', { detail: { value: this.current } }));
  }

  stop(event) {
    event.stopPropagation();
  }
}
