import { LightningElement } from 'lwc';

// The header's "View as" switch: which Salesforce user the page runs as. Each demo user has their own Ledgerline
// Company (one has none), as users do in an org.
export default class ViewAs extends LightningElement {
  config = (typeof window !== 'undefined' && window.__LEDGERLINE__) || {};
  error;

  get options() {
    return (this.config.users || []).map((user) => ({
      label: `${user.name} — ${user.companyName || 'no Ledgerline Company'}`,
      value: user.username,
    }));
  }

  get value() {
    return this.config.currentUser && this.config.currentUser.username;
  }

  async handleChange(event) {
    const username = event.detail.value;
    try {
      const res = await fetch('/__org/view-as', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username }),
        credentials: 'same-origin',
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      window.location.reload();
    } catch (e) {
      this.error = `Could not switch user: ${e.message}`;
    }
  }
}
