import { LightningElement, api } from 'lwc';
import QUICKBOOKS_AUTHENTICATION from '@salesforce/label/c.SIE_QuickBooks_Authentication';
import OPENS_NEW_WINDOW from '@salesforce/label/c.SIE_Opens_New_Window';

/**
 * The link to the admin's QuickBooks Authentication page, in a new window, wherever the export page points at it
 * (the connection line, the expiry warning, "Export is unavailable", the UNAUTHORIZED alert).
 */
export default class QuickBooksAuthLink extends LightningElement {
  /** The page's URL (the service's summary names it per company). */
  @api url;

  label = QUICKBOOKS_AUTHENTICATION;
  opensNewWindow = OPENS_NEW_WINDOW;
}
