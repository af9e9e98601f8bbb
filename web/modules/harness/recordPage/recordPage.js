import { LightningElement, api } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import { formatDateTime } from 'c/ledgerlineUtils';

function displayValue(field) {
  if (field.value === null || field.value === undefined) return '';
  if (field.type === 'datetime') {
    // REST gives 2026-12-01T14:11:32.338+0000; shown as every Ledgerline page shows a moment (the user's locale).
    return formatDateTime(String(field.value).replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  }
  if (field.type === 'boolean') return field.value ? 'Yes' : 'No';
  return String(field.value);
}

// A record page's highlights and detail panel in the local org (force:highlightsPanel + force:detailPanel): the
// record's name and every field the user may read, lookups linked through the navigation service.
export default class RecordPage extends NavigationMixin(LightningElement) {
  @api objectApiName;
  @api recordId;

  record;
  fields = [];
  error;

  async connectedCallback() {
    try {
      const res = await fetch(`/__org/records/${encodeURIComponent(this.objectApiName)}/${encodeURIComponent(this.recordId)}`, { credentials: 'same-origin' });
      const body = await res.json();
      if (!res.ok) throw new Error(body.message || `HTTP ${res.status}`);
      this.record = body;
      this.fields = await Promise.all(
        body.fields.map(async (field) => {
          const reference = field.reference;
          const url = reference
            ? await this[NavigationMixin.GenerateUrl]({
                type: 'standard__recordPage',
                attributes: { recordId: reference.recordId, objectApiName: reference.objectApiName, actionName: 'view' },
              })
            : null;
          return {
            key: field.apiName,
            label: field.label,
            text: reference ? reference.name || reference.recordId : displayValue(field),
            url,
          };
        }),
      );
    } catch (e) {
      this.error = e.message;
    }
  }

  get title() {
    return this.record ? this.record.name : '';
  }

  get objectLabel() {
    return this.record ? this.record.objectLabel : this.objectApiName;
  }
}
