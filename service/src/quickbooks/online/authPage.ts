// HTML of the QuickBooks Authentication page (admin only): the connection state, Connect / Refresh Token /
// Disconnect. The page frame, sign-in and message pages are the admin pages' shared layout (http/adminPage.ts).
// No token, authorization code or key is ever passed to these functions.
import { UNAUTHORIZED_SENTENCE } from '../../errors';
import { bannerHtml, escapeHtml, formatWhen, hidden, layout, pageHeader, signOutForm, type Banner, type PageChrome } from '../../http/adminPage';
import type { ConnectionSummary } from './authorization';

export { renderMessagePage, renderSignInPage, type Banner, type PageChrome } from '../../http/adminPage';

export interface QuickBooksCompanyView {
  name: string | null;
  /** Why the name could not be read (shown instead of it). */
  problem: string | null;
}

export interface AuthPageModel {
  companyId: string;
  companyName: string;
  /** The QuickBooks Realm Id Salesforce holds for the company (shown before Connect). */
  companyRealmId?: string | null;
  summary: ConnectionSummary;
  quickBooksCompany: QuickBooksCompanyView | null;
  banner: Banner | null;
  /** '' for bearer callers (no CSRF needed). */
  csrfToken: string;
  /** Signed in with a browser session (shows Sign out). */
  browserSession: boolean;
  /** The admin clicked Disconnect: ask for confirmation and say what it does. */
  confirmDisconnect?: boolean;
  now: Date;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The one-line state text (tests and the Lightning page use the same words). */
export function stateText(summary: ConnectionSummary): string {
  switch (summary.state) {
    case 'not_connected':
      return 'Not connected';
    case 'connected':
      return `Connected — refresh token valid for ${plural(summary.daysLeft ?? 0, 'more day')}`;
    case 'expiring':
      return `Expiring in ${plural(summary.daysLeft ?? 0, 'day')}`;
    case 'reauthorization_required':
      return `Reauthorization required${summary.reason ? ` (${summary.reason})` : ''}`;
  }
}

function stateBadge(summary: ConnectionSummary): string {
  const [theme, label] =
    summary.state === 'connected'
      ? ['slds-theme_success', 'Connected']
      : summary.state === 'expiring'
        ? ['slds-theme_warning', 'Expiring']
        : summary.state === 'reauthorization_required'
          ? ['slds-theme_error', 'Reauthorization required']
          : ['', 'Not connected'];
  return `<span class="slds-badge ${theme}" data-state="${summary.state}">${label}</span>`;
}

export function renderAuthPage(chrome: PageChrome, m: AuthPageModel): string {
  const { base } = chrome;
  const s = m.summary;
  const q = encodeURIComponent(m.companyId);
  const connected = s.state === 'connected' || s.state === 'expiring';
  const connectLabel = s.state === 'reauthorization_required' ? 'Reconnect' : 'Connect';

  const qbCompany = !connected
    ? '—'
    : m.quickBooksCompany?.name
      ? escapeHtml(m.quickBooksCompany.name)
      : `<span class="slds-text-color_weak">${escapeHtml(m.quickBooksCompany?.problem ?? 'not available')}</span>`;
  const refreshLine =
    s.refreshTokenExpiresAt && connected
      ? `${escapeHtml(plural(s.daysLeft ?? 0, 'day'))} left · expires ${escapeHtml(formatWhen(s.refreshTokenExpiresAt))}`
      : '—';

  // Before Connect the realm is the one Salesforce holds for the company: Connect must choose that QuickBooks company.
  const realmLine = s.realmId
    ? escapeHtml(s.realmId)
    : m.companyRealmId
      ? `${escapeHtml(m.companyRealmId)} <span class="slds-text-color_weak">(from Salesforce: choose this company when you connect)</span>`
      : '—';
  let guidance = '';
  if (s.state === 'not_connected' && s.disconnectedAt) {
    guidance = `<div class="ll-callout ll-callout-info" data-disconnected>An admin disconnected this company from QuickBooks Online on ${escapeHtml(formatWhen(s.disconnectedAt))}; exports stop until it is connected again. Click <strong>Connect</strong>, sign in to QuickBooks and choose the QuickBooks company to export to.</div>`;
  } else if (s.state === 'not_connected') {
    guidance = `<div class="ll-callout ll-callout-info">This company is not connected to QuickBooks Online yet. Click <strong>Connect</strong>, sign in to QuickBooks and choose the QuickBooks company to export to.</div>`;
  } else if (s.state === 'reauthorization_required') {
    guidance = `<div class="ll-callout" data-unauthorized>Until you reconnect, exports stop with: <em>${escapeHtml(UNAUTHORIZED_SENTENCE)}</em><br>Click <strong>${connectLabel}</strong>, sign in to QuickBooks and click Connect on the QuickBooks page.</div>`;
  } else if (s.state === 'expiring') {
    guidance = `<div class="ll-callout ll-callout-warn">The QuickBooks authorization expires in ${escapeHtml(plural(s.daysLeft ?? 0, 'day'))}. Click <strong>Refresh Token</strong> now; each refresh extends it to about 100 days.</div>`;
  }

  const buttons: string[] = [];
  if (connected) {
    buttons.push(
      `<form method="post" action="${base}/refresh">${hidden('companyId', m.companyId)}${hidden('csrf', m.csrfToken)}<button class="slds-button slds-button_brand" type="submit" data-action="refresh">Refresh Token</button></form>`,
    );
  } else {
    buttons.push(`<a class="slds-button slds-button_brand" href="${base}/connect?companyId=${q}" data-action="connect">${connectLabel}</a>`);
  }
  let confirmation = '';
  if (s.state !== 'not_connected' && m.confirmDisconnect) {
    // Disconnect asks first, and says what it does.
    confirmation = `<div class="ll-callout slds-m-bottom_medium slds-text-align_left" role="alertdialog" aria-labelledby="ll-confirm-title" data-confirm="disconnect">
  <h3 class="slds-text-heading_small" id="ll-confirm-title">Disconnect ${escapeHtml(m.companyName)} from QuickBooks?</h3>
  <p class="slds-m-top_x-small">Ledgerline deletes the stored tokens and asks QuickBooks to revoke its authorization. Exports for this company stop, with the UNAUTHORIZED message, until an admin clicks Connect again. Nothing already exported changes in QuickBooks or in Salesforce.</p>
  <div class="ll-actions slds-m-top_small"><form method="post" action="${base}/disconnect">${hidden('companyId', m.companyId)}${hidden('csrf', m.csrfToken)}<button class="slds-button slds-button_destructive" type="submit" data-action="disconnect">Disconnect</button></form><a class="slds-button slds-button_neutral" href="${base}/auth?companyId=${q}" data-action="cancel-disconnect">Cancel</a></div>
</div>`;
  } else if (s.state !== 'not_connected') {
    buttons.push(
      `<a class="slds-button slds-button_text-destructive" href="${base}/auth?companyId=${q}&amp;confirm=disconnect" data-action="confirm-disconnect">Disconnect…</a>`,
    );
  }

  const body = `${bannerHtml(m.banner)}
${pageHeader('QuickBooks Authentication', `${escapeHtml(m.companyName)} <span class="slds-text-color_weak">· Company ${escapeHtml(m.companyId)}</span>`)}
<article class="slds-card">
  <div class="slds-card__header slds-grid">
    <header class="slds-media slds-media_center" style="flex:1">
      <div class="slds-media__body"><h2 class="slds-card__header-title">QuickBooks Online connection</h2></div>
      <div>${stateBadge(s)}</div>
    </header>
  </div>
  <div class="slds-card__body slds-card__body_inner">
    <p class="ll-state slds-m-bottom_medium" data-state-text>${escapeHtml(stateText(s))}</p>
    ${guidance ? `<div class="slds-m-bottom_medium">${guidance}</div>` : ''}
    <dl class="slds-dl_horizontal">
      <dt class="slds-dl_horizontal__label">Salesforce company</dt><dd class="slds-dl_horizontal__detail">${escapeHtml(m.companyName)}</dd>
      <dt class="slds-dl_horizontal__label">QuickBooks company</dt><dd class="slds-dl_horizontal__detail" data-qbo-company>${qbCompany}</dd>
      <dt class="slds-dl_horizontal__label">Realm ID</dt><dd class="slds-dl_horizontal__detail ll-mono" data-realm>${realmLine}</dd>
      <dt class="slds-dl_horizontal__label">Refresh token</dt><dd class="slds-dl_horizontal__detail">${refreshLine}</dd>
      <dt class="slds-dl_horizontal__label">Last refresh</dt><dd class="slds-dl_horizontal__detail" data-last-refresh>${escapeHtml(formatWhen(s.lastRefreshedAt))}</dd>
      <dt class="slds-dl_horizontal__label">Connected since</dt><dd class="slds-dl_horizontal__detail">${escapeHtml(formatWhen(s.connectedAt))}</dd>
    </dl>
  </div>
  <footer class="slds-card__footer">
    ${confirmation}<div class="ll-actions">${buttons.join('\n')}</div>
  </footer>
</article>
<p class="ll-note">QuickBooks keeps an authorization alive for about 100 days after its last refresh (at most five years after Connect). Ledgerline refreshes it whenever it exports; use Refresh Token to extend it by hand. Tokens are stored encrypted and are never shown.</p>`;
  return layout(chrome, 'QuickBooks Authentication', body, m.browserSession ? signOutForm(base, m.csrfToken) : '');
}
