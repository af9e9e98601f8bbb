import { LightningElement, api } from 'lwc';
import { reduceErrors } from 'c/ledgerlineUtils';
import LABEL_ERROR_TITLE from '@salesforce/label/c.Ledgerline_Error_Title';

/**
 * The one place Ledgerline components show errors: a friendly heading and the messages
 * reduceErrors() extracts from Apex, UI API or JS errors.
 */
export default class ErrorPanel extends LightningElement {
  /** A short heading; defaults to the "Something went wrong" label. */
  @api friendlyMessage = LABEL_ERROR_TITLE;

  /** One error or a list of errors, in any shape reduceErrors() understands. */
  @api errors;

  get messages() {
    return reduceErrors(this.errors).map((message, index) => ({ key: `message-${index}`, message }));
  }
}
