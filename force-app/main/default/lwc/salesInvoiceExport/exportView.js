// Pure view decisions of the Sales Invoice Export page: the progress bars of a run and the rows of a dry run's plan.
// No DOM and no Apex here, so each rule is tested on its own.
import { formatLabel } from 'c/ledgerlineUtils';

import PHASE_CUSTOMERS from '@salesforce/label/c.SIE_Phase_Customers';
import PHASE_PRODUCTS from '@salesforce/label/c.SIE_Phase_Products';
import PHASE_INVOICES from '@salesforce/label/c.SIE_Phase_Invoices';
import PHASE_WRITE_BACK from '@salesforce/label/c.SIE_Phase_Write_Back';
import PHASE_PAYMENTS from '@salesforce/label/c.SIE_Phase_Payments';
import PROGRESS_OF from '@salesforce/label/c.SIE_Progress_Of';
import PROGRESS_NONE from '@salesforce/label/c.SIE_Progress_None';
import PROGRESS_LABEL from '@salesforce/label/c.SIE_Progress_Label';
import PLAN_SUMMARY from '@salesforce/label/c.SIE_Plan_Summary';
import ACTION_MATCH from '@salesforce/label/c.SIE_Plan_Action_Match';
import ACTION_CREATE from '@salesforce/label/c.SIE_Plan_Action_Create';
import ACTION_FAIL from '@salesforce/label/c.SIE_Plan_Action_Fail';
import ACTION_SKIP from '@salesforce/label/c.SIE_Plan_Action_Skip';
import MATCHED_BY from '@salesforce/label/c.SIE_Plan_Matched_By';
import RENAMED from '@salesforce/label/c.SIE_Plan_Renamed';
import SHORTENED from '@salesforce/label/c.SIE_Plan_Shortened';
import FIX from '@salesforce/label/c.SIE_Plan_Fix';
import READS_THIS_MONTH from '@salesforce/label/c.SIE_Reads_This_Month';
import READS_THIS_MONTH_UNMETERED from '@salesforce/label/c.SIE_Reads_This_Month_Unmetered';
import RUN_READS from '@salesforce/label/c.SIE_Run_Reads';

// The export's phases in the order the service runs them; keys match run.progress.
const PHASES = [
  { key: 'customers', label: PHASE_CUSTOMERS },
  { key: 'products', label: PHASE_PRODUCTS },
  { key: 'invoices', label: PHASE_INVOICES },
  { key: 'payments', label: PHASE_PAYMENTS },
  { key: 'writeBack', label: PHASE_WRITE_BACK },
];
const PHASE_ORDER = ['starting', 'plan', 'customers', 'products', 'invoices', 'payments', 'writeBack', 'processLog', 'done'];

const PLAN_KINDS = [
  { key: 'customers', label: PHASE_CUSTOMERS },
  { key: 'products', label: PHASE_PRODUCTS },
  { key: 'invoices', label: PHASE_INVOICES },
];

const ACTIONS = {
  fail: { label: ACTION_FAIL, order: 0, cellClass: 'slds-text-color_error' },
  create: { label: ACTION_CREATE, order: 2, cellClass: '' },
  match: { label: ACTION_MATCH, order: 3, cellClass: 'slds-text-color_success' },
  skip: { label: ACTION_SKIP, order: 4, cellClass: 'slds-text-color_weak' },
};
// Renames and shortenings are what a reader checks first after the failures.
const CHANGED_ORDER = 1;

function number(value) {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

function phaseValue(run, phase) {
  const step = (run.progress || {})[phase.key] || {};
  const total = number(step.total);
  const done = Math.min(number(step.done), total || Infinity);
  const current = PHASE_ORDER.indexOf(run.phase);
  // A phase with nothing to do shows as complete once the run is past it (not when the run failed).
  const passed = run.status !== 'failed' && (run.finished || current > PHASE_ORDER.indexOf(phase.key));
  const value = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : passed ? 100 : 0;
  // Before the first status of a run, the totals are not known yet.
  const known = step.total !== undefined && step.total !== null;
  return { done, total, value, known };
}

function phasesOf(run) {
  // A dry run writes nothing back to Salesforce: no write-back bar. Payments only where the company exports them.
  const progress = run.progress || {};
  return PHASES.filter(
    (phase) => !(run.dryRun && phase.key === 'writeBack') && !(phase.key === 'payments' && !(progress.payments && progress.payments.total > 0)),
  );
}

/**
 * The furthest each phase of a run has got: a late or reordered status answer never moves a bar back.
 * @param {Object} previous the marks so far, by phase key ({ done, value })
 * @param {Object} run the latest run status
 * @return {Object} the new marks
 */
export function advanceHighWater(previous, run) {
  const marks = {};
  if (!run) {
    return marks;
  }
  phasesOf(run).forEach((phase) => {
    const now = phaseValue(run, phase);
    const before = (previous && previous[phase.key]) || { done: 0, value: 0 };
    marks[phase.key] = { done: Math.max(before.done, now.done), value: Math.max(before.value, now.value) };
  });
  return marks;
}

/**
 * One bar per phase, with "3 of 12" (never "0 of 0": a phase with nothing to do says so).
 * @param {Object} run the run status
 * @param {Object} highWater the marks from advanceHighWater
 * @return {Object[]} { key, label, value, text, ariaLabel }
 */
export function phaseBars(run, highWater) {
  if (!run) {
    return [];
  }
  return phasesOf(run).map((phase) => {
    const now = phaseValue(run, phase);
    const mark = (highWater && highWater[phase.key]) || now;
    const done = Math.max(mark.done, now.done);
    const value = Math.max(mark.value, now.value);
    let text = '';
    if (now.total > 0) {
      text = formatLabel(PROGRESS_OF, done, now.total);
    } else if (now.known) {
      text = PROGRESS_NONE;
    }
    return { key: phase.key, label: phase.label, value, text, ariaLabel: text ? formatLabel(PROGRESS_LABEL, phase.label, text) : phase.label };
  });
}

function totalsOf(plan, key) {
  const totals = (plan && plan.totals && plan.totals[key]) || {};
  return { match: number(totals.match), create: number(totals.create), rename: number(totals.rename), fail: number(totals.fail) };
}

/**
 * The dry run's counts per record kind, for the totals table.
 * @param {Object} plan a dry run's plan ({ totals, decisions, truncated })
 * @return {Object[]}
 */
export function planTotalsRows(plan) {
  if (!plan) {
    return [];
  }
  return PLAN_KINDS.map((kind) => ({ key: kind.key, label: kind.label, ...totalsOf(plan, kind.key) }));
}

/**
 * "Would create 49 / match 12 / fail 2": what the export would do, over every record kind.
 * @param {Object} plan
 * @return {String|null}
 */
export function planSummary(plan) {
  if (!plan) {
    return null;
  }
  const sum = (field) => PLAN_KINDS.reduce((total, kind) => total + totalsOf(plan, kind.key)[field], 0);
  return formatLabel(PLAN_SUMMARY, sum('create'), sum('match'), sum('fail'));
}

function quickBooksText(decision) {
  const name = decision.quickBooksName || '';
  const id = decision.quickBooksId ? `#${decision.quickBooksId}` : '';
  const who = [name, id].filter(Boolean).join(' ');
  if (decision.action === 'match' && decision.matchedBy) {
    return formatLabel(MATCHED_BY, who, decision.matchedBy);
  }
  return who;
}

function changeText(decision) {
  const parts = [];
  if (decision.renamed) {
    parts.push(formatLabel(RENAMED, decision.renamed.from, decision.renamed.to, decision.renamed.reason || ''));
  }
  if (Array.isArray(decision.shortened) && decision.shortened.length) {
    parts.push(formatLabel(SHORTENED, decision.shortened.join(', ')));
  }
  if (Array.isArray(decision.warnings)) {
    decision.warnings.filter(Boolean).forEach((warning) => parts.push(warning));
  }
  return parts.join(' ');
}

function reasonText(decision) {
  const parts = [];
  if (decision.message) {
    parts.push(decision.message);
  }
  if (decision.fix) {
    parts.push(formatLabel(FIX, decision.fix));
  }
  return parts.join(' ');
}

/**
 * Every decision of the plan as a table row: failures first, then renames and shortenings, then the rest.
 * @param {Object} plan
 * @return {Object[]}
 */
export function planDecisionRows(plan) {
  const decisions = (plan && Array.isArray(plan.decisions) && plan.decisions) || [];
  return decisions
    .map((decision, index) => {
      const action = ACTIONS[decision.action] || ACTIONS.skip;
      const changed = !!decision.renamed || (Array.isArray(decision.shortened) && decision.shortened.length > 0);
      return {
        key: `${decision.recordType}-${decision.recordId || decision.recordName || ''}-${index}`,
        index,
        order: decision.action === 'fail' ? action.order : changed ? CHANGED_ORDER : action.order,
        recordType: decision.recordType,
        recordId: decision.recordId || null,
        recordName: decision.recordName || decision.recordId || '',
        recordUrl: null,
        action: decision.action,
        actionLabel: action.label,
        actionClass: action.cellClass,
        quickBooks: quickBooksText(decision),
        change: changeText(decision),
        reason: reasonText(decision),
      };
    })
    .sort((a, b) => a.order - b.order || a.index - b.index);
}

/**
 * What the invoice box asks for: null when it is blank (every approved invoice), the trimmed text when it names at
 * least one number, and `{ empty: true }` when it holds only commas and spaces — never "every invoice".
 */
export function requestedInvoiceNumbers(text) {
  const trimmed = (text || '').trim();
  if (!trimmed) {
    return { value: null, empty: false };
  }
  const named = trimmed.split(',').some((part) => part.trim());
  return named ? { value: trimmed, empty: false } : { value: null, empty: true };
}

function count(value) {
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n.toLocaleString() : null;
}

/**
 * "QuickBooks reads this month: 1,204 of 500,000 (37 by this Company)": Intuit meters reads per workspace and month,
 * and blocks every read once the budget is spent, so the page shows how near it is.
 * @param {Object} reads the summary's connection.reads ({ company, used, budget })
 * @return {String|null} nothing when the accounting system does not count reads (QuickBooks Desktop)
 */
export function monthReadsText(reads) {
  if (!reads || count(reads.used) === null) {
    return null;
  }
  const company = count(reads.company) ?? '0';
  return Number(reads.budget) > 0
    ? formatLabel(READS_THIS_MONTH, count(reads.used), count(reads.budget), company)
    : formatLabel(READS_THIS_MONTH_UNMETERED, count(reads.used), company);
}

/**
 * "QuickBooks reads by this run: 7", while the run goes and after it.
 * @param {Object} run the run status (its usage.reads.run)
 * @return {String|null}
 */
export function runReadsText(run) {
  const reads = run && run.usage && run.usage.reads;
  return reads && count(reads.run) !== null ? formatLabel(RUN_READS, count(reads.run)) : null;
}
