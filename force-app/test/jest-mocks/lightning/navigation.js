/**
 * lightning/navigation for the component tests (as in lwc-recipes): NavigationMixin records what a component
 * navigated to, and GenerateUrl answers with the Lightning Experience URL of a record page, so a test can check
 * both the page reference and the link it became.
 */
export const CurrentPageReference = jest.fn();

let navigatedTo;

export function getNavigateCalledWith() {
  return navigatedTo;
}

export function resetNavigation() {
  navigatedTo = undefined;
}

export function urlOf(pageReference) {
  const { type, attributes = {} } = pageReference || {};
  if (type === 'standard__recordPage') {
    return `/lightning/r/${attributes.objectApiName}/${attributes.recordId}/${attributes.actionName || 'view'}`;
  }
  return `/unsupported/${type}`;
}

const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');

export const NavigationMixin = (Base) =>
  class extends Base {
    [Navigate](pageReference, replace) {
      navigatedTo = { pageReference, replace };
    }

    [GenerateUrl](pageReference) {
      return Promise.resolve(urlOf(pageReference));
    }
  };
NavigationMixin.Navigate = Navigate;
NavigationMixin.GenerateUrl = GenerateUrl;
