import { LightningElement, api } from 'lwc';
import syncStatusNow from '@salesforce/apex/SalesInvoiceExportController.syncStatusNow';
import getStatusSync from '@salesforce/apex/SalesInvoiceExportController.getStatusSync';
import { formatLabel } from 'c/ledgerlineUtils';

import HEADING from '@salesforce/label/c.SIE_Status_Sync';
import SYNC_NOW from '@salesforce/label/c.SIE_Sync_Now';
import SYNC_NOW_HELP from '@salesforce/label/c.SIE_Sync_Now_Help';
import RUNNING from '@salesforce/label/c.SIE_Sync_Running';
import LAST from '@salesforce/label/c.SIE_Sync_Last';
import STOPPED from '@salesforce/label/c.SIE_Sync_Stopped';
import PROBLEMS from '@salesforce/label/c.SIE_Sync_Problems';
import NEXT from '@salesforce/label/c.SIE_Sync_Next';
import OFF from '@salesforce/label/c.SIE_Sync_Off';
import NEVER from '@salesforce/label/c.SIE_Sync_Never';

const MAX_POLL_FAILURES = 3;

const when = (iso) => (iso ? new Date(iso).toLocaleString() : '');
const count = (counts, key) => (counts && Number.isFinite(counts[key]) ? counts[key] : 0);

/**
 * The QuickBooks payment status of the Company's invoices: when the last sync ran and what it did (invoices updated,
 * payments received in QuickBooks, the QuickBooks reads it used) or why it stopped, when the next one comes, and
 * Sync now, which starts a sync and follows it (about once a second) until it ends, then tells the page.
 */
export default class QuickBooksStatusSync extends LightningElement {
  /** Milliseconds between two getStatusSync calls while a sync is going. */
  @api pollInterval = 1000;

  labels = { heading: HEADING, syncNow: SYNC_NOW, syncNowHelp: SYNC_NOW_HELP, running: RUNNING };
  error;
  isStarting = false;
  /** The latest state of the sync this component followed. */
  sync;
  followedSyncId = null;
  pollTimer;
  pollFailures = 0;
  connected = false;
  _statusSync;

  /** The summary's view of the Company's syncs: { everyMinutes, nextAt, last, current }. */
  @api
  get statusSync() {
    return this._statusSync;
  }

  set statusSync(value) {
    this._statusSync = value;
    this.followCurrent();
  }

  connectedCallback() {
    this.connected = true;
    this.followCurrent();
  }

  /** A sync is going (a schedule, a webhook, another tab): follow it. */
  followCurrent() {
    const current = this._statusSync && this._statusSync.current;
    if (current && !current.finished && this.connected && !this.followedSyncId) {
      this.sync = current;
      this.follow(current.syncId);
    }
  }

  disconnectedCallback() {
    this.connected = false;
    this.stopPolling();
  }

  async handleSyncNow() {
    if (this.isRunning) {
      return;
    }
    this.error = undefined;
    this.isStarting = true;
    try {
      const started = await syncStatusNow();
      this.sync = started;
      if (started.finished) {
        this.finish(started);
      } else {
        this.follow(started.syncId);
      }
    } catch (error) {
      this.error = error;
    } finally {
      this.isStarting = false;
    }
  }

  follow(syncId) {
    this.stopPolling();
    this.followedSyncId = syncId;
    this.pollFailures = 0;
    this.schedulePoll();
  }

  schedulePoll() {
    // Polling is the point here: Apex must not wait for a whole sync.
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.pollTimer = setTimeout(() => {
      this.pollTimer = undefined;
      this.poll();
    }, this.pollInterval);
  }

  stopPolling() {
    if (this.pollTimer) {
      clearTimeout(this.pollTimer);
      this.pollTimer = undefined;
    }
    this.followedSyncId = null;
  }

  async poll() {
    const syncId = this.followedSyncId;
    if (!syncId || !this.connected) {
      return;
    }
    let sync;
    try {
      sync = await getStatusSync({ syncId });
    } catch (error) {
      if (this.followedSyncId !== syncId) {
        return;
      }
      this.pollFailures += 1;
      if (this.pollFailures >= MAX_POLL_FAILURES) {
        this.error = error;
        this.followedSyncId = null;
        return;
      }
      this.schedulePoll();
      return;
    }
    if (this.followedSyncId !== syncId || !this.connected) {
      return;
    }
    this.pollFailures = 0;
    this.sync = sync;
    if (sync.finished) {
      this.finish(sync);
    } else {
      this.schedulePoll();
    }
  }

  finish(sync) {
    this.followedSyncId = null;
    this.dispatchEvent(new CustomEvent('syncfinished', { detail: { syncId: sync.syncId, status: sync.status } }));
  }

  get isRunning() {
    return this.isStarting || !!this.followedSyncId;
  }

  /** The sync to describe: the one followed here once it ended, else the summary's last. */
  get lastSync() {
    if (this.sync && this.sync.finished) {
      return this.sync;
    }
    return (this._statusSync && this._statusSync.last) || null;
  }

  get lastStatus() {
    return this.lastSync ? this.lastSync.status : 'none';
  }

  get lastText() {
    const last = this.lastSync;
    if (!last) {
      return NEVER;
    }
    const at = when(last.finishedAt || last.requestedAt);
    if (last.status === 'failed') {
      return formatLabel(STOPPED, at, (last.error && last.error.message) || '');
    }
    const reads = last.reads && Number.isFinite(last.reads.sync) ? last.reads.sync : 0;
    return formatLabel(LAST, at, count(last.counts, 'documentsUpdated'), count(last.counts, 'paymentsCreated'), reads);
  }

  get lastFix() {
    const last = this.lastSync;
    return last && last.status === 'failed' && last.error ? last.error.fix || null : null;
  }

  get problemsText() {
    const problems = (this.lastSync && this.lastSync.problems) || [];
    if (problems.length === 0) {
      return null;
    }
    return formatLabel(PROBLEMS, problems.length, problems[0].message, problems[0].fix);
  }

  get nextText() {
    const view = this._statusSync;
    if (!view || !view.everyMinutes || !view.nextAt) {
      return OFF;
    }
    return formatLabel(NEXT, when(view.nextAt), view.everyMinutes);
  }
}
