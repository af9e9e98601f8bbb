// lightning-progress-bar for the component tests: sfdx-lwc-jest's stub lacks the real component's ariaLabel
// property, so an aria-label set on it would land on the host (an accessibility fault the real component does not
// have). This stand-in declares the same public properties as lightning-base-components' progressBar.
import { LightningElement, api } from 'lwc';

export default class ProgressBar extends LightningElement {
  @api size;
  @api value;
  @api variant;
  @api ariaLabel;
}
