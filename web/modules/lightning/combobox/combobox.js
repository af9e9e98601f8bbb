/* global CustomEvent */
import { LightningElement, api } from 'lwc';

// Minimal stand-in for lightning-combobox, drawn as an SLDS select. Fires change with detail.value.
export default class Combobox extends LightningElement {
  @api label;
  @api name;
  @api options = [];
  @api placeholder;
  @api disabled = false;
  @api variant;

  selected;

  @api
  get value() {
    return this.selected;
  }
  set value(v) {
    this.selected = v;
  }

  get computedOptions() {
    return (this.options || []).map((option) => ({
      key: String(option.value),
      label: option.label,
      value: option.value,
      selected: option.value === this.selected,
    }));
  }

  get labelClass() {
    return this.variant === 'label-hidden' ? 'slds-form-element__label slds-assistive-text' : 'slds-form-element__label';
  }

  handleChange(event) {
    event.stopPropagation();
    this.selected = event.target.value;
    this.dispatchEvent(new CustomEvent('change', { detail: { value: this.selected } }));
  }
}
