// The navigation service behind lightning/navigation (lightning-base-components' navigation re-exports it from
// force/navigation, which only Lightning Experience provides). Page references become the same Lightning
// Experience URLs the local org serves.
const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');

function urlOf(pageReference) {
  const { type, attributes = {}, state = {} } = pageReference || {};
  const query = Object.keys(state).length ? `?${new URLSearchParams(state).toString()}` : '';
  switch (type) {
    case 'standard__recordPage':
      return `/lightning/r/${encodeURIComponent(attributes.objectApiName || 'sObject')}/${encodeURIComponent(attributes.recordId)}/${attributes.actionName || 'view'}${query}`;
    case 'standard__objectPage':
      return `/lightning/o/${encodeURIComponent(attributes.objectApiName)}/${attributes.actionName || 'home'}${query}`;
    case 'standard__navItemPage':
      return `/lightning/n/${encodeURIComponent(attributes.apiName)}${query}`;
    case 'standard__webPage':
      return attributes.url;
    default:
      throw new Error(`The local org cannot navigate to a ${type} page`);
  }
}

function currentPageReference() {
  const match = /^\/lightning\/r\/([^/]+)\/([^/]+)\/([^/]+)/.exec(window.location.pathname);
  if (match) {
    return { type: 'standard__recordPage', attributes: { objectApiName: match[1], recordId: match[2], actionName: match[3] }, state: {} };
  }
  return { type: 'standard__navItemPage', attributes: { apiName: 'Sales_Invoice_Export' }, state: {} };
}

export const NavigationMixin = (Base) =>
  class extends Base {
    [Navigate](pageReference, replace) {
      const url = urlOf(pageReference);
      if (replace) window.location.replace(url);
      else window.location.assign(url);
    }

    [GenerateUrl](pageReference) {
      return Promise.resolve(urlOf(pageReference));
    }
  };
NavigationMixin.Navigate = Navigate;
NavigationMixin.GenerateUrl = GenerateUrl;

/** @wire(CurrentPageReference) */
export class CurrentPageReference {
  constructor(dataCallback) {
    this.dataCallback = dataCallback;
  }

  connect() {
    this.dataCallback(currentPageReference());
  }

  disconnect() {}

  update() {}
}
