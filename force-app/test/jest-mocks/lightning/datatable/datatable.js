// lightning-datatable for the component tests: sfdx-lwc-jest's stub plus the real component's ariaLabel property
// (lightning-base-components' datatable has it), so an aria-label set on the table names the grid, as it does on
// the platform, instead of landing on the host.
import { api } from 'lwc';
import DatatableStub from '@salesforce/sfdx-lwc-jest/src/lightning-stubs/datatable/datatable';

export default class Datatable extends DatatableStub {
  @api ariaLabel;
}
