import { LightningElement, api } from 'lwc';

// Minimal stand-in for lightning-card: SLDS card markup with title, icon, actions slot and body.
export default class Card extends LightningElement {
  @api title;
  @api iconName;
}
