// Lightning Message Service, which only the platform provides (lightning-base-components does not ship it): the
// same API (MessageContext wire adapter, publish, subscribe, unsubscribe, APPLICATION_SCOPE) over one in-page
// channel registry, so components on the local page talk to each other the way they do in Lightning Experience.
export const APPLICATION_SCOPE = Symbol('APPLICATION_SCOPE');

const channels = new Map();
let contexts = 0;

function channelKey(messageChannel) {
  return (messageChannel && messageChannel.channel) || String(messageChannel);
}

export function createMessageContext() {
  contexts += 1;
  return { id: contexts, subscriptions: new Set() };
}

export function releaseMessageContext(context) {
  if (context && context.subscriptions) {
    Array.from(context.subscriptions).forEach((subscription) => unsubscribe(subscription));
  }
}

/** @wire(MessageContext) gives each component its own context. */
export class MessageContext {
  constructor(dataCallback) {
    this.dataCallback = dataCallback;
    this.context = undefined;
  }

  connect() {
    this.context = createMessageContext();
    this.dataCallback(this.context);
  }

  disconnect() {
    releaseMessageContext(this.context);
    this.context = undefined;
  }

  update() {
    if (this.context) this.dataCallback(this.context);
  }
}

export function publish(context, messageChannel, message) {
  const listeners = channels.get(channelKey(messageChannel));
  if (!listeners) return;
  Array.from(listeners).forEach((subscription) => {
    try {
      subscription.listener(message);
    } catch {
      // A failing subscriber does not stop the others, as on the platform.
    }
  });
}

export function subscribe(context, messageChannel, listener, subscriberOptions) {
  const key = channelKey(messageChannel);
  const subscription = { key, listener, context, scope: subscriberOptions && subscriberOptions.scope };
  if (!channels.has(key)) channels.set(key, new Set());
  channels.get(key).add(subscription);
  if (context && context.subscriptions) context.subscriptions.add(subscription);
  return subscription;
}

export function unsubscribe(subscription) {
  if (!subscription) return;
  const listeners = channels.get(subscription.key);
  if (listeners) listeners.delete(subscription);
  if (subscription.context && subscription.context.subscriptions) subscription.context.subscriptions.delete(subscription);
}
