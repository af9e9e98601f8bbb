import { LightningElement, api } from 'lwc';

// Minimal stand-in for lightning-badge: the host is the badge, so a theme class set on it
// (class="slds-theme_success") colours it, as with the real component.
export default class Badge extends LightningElement {
  @api label;

  connectedCallback() {
    this.classList.add('slds-badge');
  }
}
