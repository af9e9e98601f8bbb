import { LightningElement, api } from 'lwc';

// Minimal stand-in for lightning-progress-bar. The host carries the progressbar role and value, so an
// aria-label the parent sets on it names the bar.
export default class ProgressBar extends LightningElement {
  @api value = 0;
  @api size = 'medium';
  @api variant;

  get percent() {
    const n = Number(this.value);
    return Number.isFinite(n) ? Math.max(0, Math.min(100, n)) : 0;
  }

  get barClass() {
    return `slds-progress-bar slds-progress-bar_${this.size || 'medium'}`;
  }

  get valueStyle() {
    return `width: ${this.percent}%`;
  }

  get assistiveText() {
    return `Progress: ${this.percent}%`;
  }

  connectedCallback() {
    this.setAttribute('role', 'progressbar');
    this.setAttribute('aria-valuemin', '0');
    this.setAttribute('aria-valuemax', '100');
  }

  renderedCallback() {
    this.setAttribute('aria-valuenow', String(this.percent));
  }
}
