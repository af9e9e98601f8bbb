// The admin pages' shared layout (QuickBooks Authentication for Online, the Web Connector page for Desktop): one
// page frame, header and stylesheet, the sign-in and message pages, and the headers every admin page is sent with.
// Plain template strings, everything dynamic escaped. The markup uses Salesforce Lightning Design System classes:
// when the service can serve the SLDS stylesheet the page links it, otherwise a small inline stylesheet that
// implements the same classes keeps the page self-contained and looking the same. No token, authorization code or
// key is ever passed to these functions.
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Response } from 'express';

export interface PageChrome {
  /** URL of the SLDS stylesheet, when served; otherwise the inline fallback styles are used. */
  sldsHref: string | null;
  /** Base path of the admin sign-in and sign-out forms, e.g. /quickbooks. */
  base: string;
  /** The product the pages are about, shown in the header: "QuickBooks Online", "QuickBooks Desktop". */
  product: string;
  /** The page's name and what it is for ("QuickBooks Authentication", "Connect QuickBooks Online"). */
  title: string;
  subtitle: string;
}

export type Tone = 'success' | 'error' | 'warning' | 'info';

export interface Banner {
  tone: Tone;
  title: string;
  text?: string;
}

export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export const ICONS = {
  success:
    'M260 20a240 240 0 1 0 0 480 240 240 0 1 0 0-480zm134 180L241 355c-6 6-16 6-22 0l-84-85c-6-6-6-16 0-22l22-22c6-6 16-6 22 0l44 45a10 10 0 0 0 15 0l112-116c6-6 16-6 22 0l22 22c7 6 7 16 0 23z',
  warning:
    'M514 425 285 55a28 28 0 0 0-50 0L6 425c-14 23 0 55 25 55h458c25 0 40-32 25-55zm-254-25c-17 0-30-13-30-30s13-30 30-30 30 13 30 30-13 30-30 30zm30-90c0 6-4 10-10 10h-40c-6 0-10-4-10-10V180c0-6 4-10 10-10h40c6 0 10 4 10 10v130z',
  error:
    'M260 20C128 20 20 128 20 260s108 240 240 240 240-108 240-240S392 20 260 20zM80 260a180 180 0 0 1 284-147L113 364a176 176 0 0 1-33-104zm180 180c-39 0-75-12-104-33l251-251a180 180 0 0 1-147 284z',
  info: 'M260 20a240 240 0 1 0 0 480 240 240 0 1 0 0-480zm0 121c17 0 30 13 30 30s-13 30-30 30-30-13-30-30 13-30 30-30zm50 210c0 5-4 9-10 9h-80c-5 0-10-3-10-9v-20c0-5 4-11 10-11 5 0 10-3 10-9v-40c0-5-4-11-10-11-5 0-10-3-10-9v-20c0-5 4-11 10-11h60c5 0 10 5 10 11v80c0 5 4 9 10 9 5 0 10 5 10 11z',
  lock: 'M110 190h40c6 0 10-3 10-9v-1A100 100 0 0 1 267 80c53 4 93 50 93 104v-3c0 6 4 9 10 9h40c6 0 10-3 10-9v-1A160 160 0 0 0 252 20c-85 4-150 76-152 161 1 5 5 9 10 9zm-10-9v4zm360 89a40 40 0 0 0-40-40H100a40 40 0 0 0-40 40v190a40 40 0 0 0 40 40h320a40 40 0 0 0 40-40zM306 427c2 6-3 13-10 13h-73c-7 0-11-6-10-13l18-60a48 48 0 0 1-21-48 50 50 0 0 1 39-38c32-6 60 17 60 47 0 16-8 31-21 39z',
  connectedApps:
    'M730 210H270c-33 0-60 27-60 60v460c0 33 27 60 60 60h460c33 0 60-27 60-60V270c0-33-27-60-60-60zm-20 520H290c-11 0-20-9-20-20V290c0-11 9-20 20-20h420c11 0 20 9 20 20v420c0 11-9 20-20 20zM585 470h-65l57-94c6-10-1-26-13-26h-83c-12 0-23 8-28 19l-52 138c-4 10 3 23 14 23h66l-32 109c-3 10 10 16 17 8l131-154c8-10 1-23-12-23z',
};

export function icon(path: string, viewBox: number, cls: string): string {
  return `<svg class="${cls}" viewBox="0 0 ${viewBox} ${viewBox}" aria-hidden="true" focusable="false"><path fill="currentColor" d="${path}"/></svg>`;
}

/** The classes the markup uses, implemented for when the SLDS stylesheet is not available. */
const FALLBACK_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{font-family:"Salesforce Sans",-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;font-size:100%;line-height:1.5;color:#181818;background:#f3f3f3}
body{margin:0;font-size:.8125rem}
h1,h2,h3,p,dl,dd{margin:0}
a{color:#0b5cab;text-decoration:none}a:hover{text-decoration:underline}
.slds-page-header{padding:.75rem 1rem;border:1px solid #c9c9c9;border-radius:.25rem;background:#f3f3f3;box-shadow:0 2px 2px 0 rgba(0,0,0,.1)}
.slds-page-header_record-home{background:#fff}
.slds-media{display:flex;align-items:flex-start}.slds-media_center{align-items:center}
.slds-media__figure{flex-shrink:0;margin-right:.75rem}.slds-media__body{flex:1;min-width:0}
.slds-page-header__title{font-size:1.125rem;font-weight:700;line-height:1.25}
.slds-page-header__name-meta,.slds-text-color_weak{color:#444}
.slds-text-body_small{font-size:.75rem}.slds-text-heading_small{font-size:.875rem;font-weight:700}
.slds-text-title_caps{font-size:.75rem;text-transform:uppercase;letter-spacing:.0625rem;color:#444}
.slds-icon_container{display:inline-flex;border-radius:.25rem}
.slds-icon{width:2rem;height:2rem;fill:#fff;color:#fff}.slds-icon_small{width:1.5rem;height:1.5rem}.slds-icon_x-small{width:1rem;height:1rem}
.slds-card{position:relative;background:#fff;border:1px solid #c9c9c9;border-radius:.25rem;box-shadow:0 2px 2px 0 rgba(0,0,0,.1)}
.slds-card__header{padding:.75rem 1rem 0;margin:0 0 .75rem;display:flex;align-items:center}
.slds-card__header-title{font-size:1rem;font-weight:700;line-height:1.25}
.slds-card__body_inner{padding:0 1rem}.slds-card__body{margin:.75rem 0}
.slds-card__footer{padding:.75rem 1rem;border-top:1px solid #e5e5e5;text-align:left}
.slds-badge{display:inline-flex;align-items:center;padding:.125rem .5rem;border-radius:15rem;font-size:.75rem;font-weight:700;line-height:normal;color:#181818;background:#ecebea}
.slds-badge.slds-theme_success{background:#2e844a;color:#fff}.slds-badge.slds-theme_warning{background:#fe9339;color:#181818}.slds-badge.slds-theme_error{background:#ba0517;color:#fff}
.slds-notify_alert{display:flex;align-items:center;justify-content:center;gap:.5rem;padding:.5rem 2rem;border-radius:.25rem;color:#fff;text-align:center;font-size:.875rem}
.slds-notify_alert.slds-theme_success{background:#2e844a}.slds-notify_alert.slds-theme_error{background:#ba0517}.slds-notify_alert.slds-theme_warning{background:#fe9339;color:#181818}.slds-notify_alert.slds-theme_info{background:#706e6b}
.slds-button{display:inline-flex;align-items:center;justify-content:center;padding:0 1rem;min-height:2rem;line-height:1.875rem;border:1px solid #c9c9c9;border-radius:.25rem;background:#fff;color:#0176d3;font:inherit;font-weight:400;cursor:pointer;text-decoration:none;white-space:nowrap}
.slds-button:hover{background:#f3f3f3;text-decoration:none}
.slds-button:focus{outline:0;box-shadow:0 0 3px #0176d3}
.slds-button_brand{background:#0176d3;border-color:#0176d3;color:#fff}.slds-button_brand:hover{background:#014486;border-color:#014486}
.slds-button_text-destructive{color:#ba0517}.slds-button_text-destructive:hover{background:#fef1ee}
.slds-form-element__label{display:inline-block;color:#444;font-size:.75rem;padding-right:.5rem;margin-bottom:.125rem}
.slds-required{color:#ba0517;margin:0 .125rem}
.slds-input{width:100%;min-height:2rem;padding:0 1rem 0 .75rem;line-height:1.875rem;border:1px solid #c9c9c9;border-radius:.25rem;background:#fff;font:inherit}
.slds-input:focus{outline:0;border-color:#1b96ff;box-shadow:0 0 3px #0176d3}
.slds-has-error .slds-input{border-color:#ba0517;box-shadow:inset 0 0 0 1px #ba0517}
.slds-form-element__help{font-size:.75rem;margin-top:.5rem}.slds-has-error .slds-form-element__help{color:#ba0517}
.slds-dl_horizontal{display:flex;flex-wrap:wrap;align-items:flex-start}
.slds-dl_horizontal__label{width:30%;padding-right:.75rem;color:#444}.slds-dl_horizontal__detail{width:70%}
.slds-dl_horizontal__label,.slds-dl_horizontal__detail{margin-bottom:.5rem}
.slds-m-top_small{margin-top:.75rem}.slds-m-top_medium{margin-top:1rem}.slds-m-bottom_medium{margin-bottom:1rem}.slds-m-right_x-small{margin-right:.5rem}
.slds-truncate{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
`;

/** Layout that is ours whatever stylesheet is used. */
const PAGE_CSS = `
html,body{background:#f3f3f3;min-height:100%}
.ll-topbar{display:flex;align-items:center;gap:.625rem;height:3rem;padding:0 1rem;background:#fff;border-bottom:1px solid #dddbda;box-shadow:0 2px 3px rgba(0,0,0,.06)}
.ll-logo{display:inline-flex;align-items:center;justify-content:center;width:1.75rem;height:1.75rem;border-radius:.375rem;background:#0176d3;color:#fff;font-weight:700;font-size:.875rem}
.ll-app{font-size:1rem;font-weight:700;color:#181818}
.ll-app-sub{color:#706e6b;font-size:.8125rem;border-left:1px solid #dddbda;padding-left:.625rem}
.ll-spacer{flex:1}
.ll-main{max-width:56rem;margin:1rem auto;padding:0 1rem 2rem}
.ll-icon-qbo{background:#2ca01c;padding:.25rem;color:#fff}
.ll-icon-lock{background:#0176d3;padding:.25rem;color:#fff}
.ll-stack>*+*{margin-top:1rem}
.ll-actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
.ll-actions form{margin:0;display:inline}
.ll-note{color:#444;font-size:.75rem}
.ll-callout{padding:.75rem 1rem;border-radius:.25rem;background:#fef1ee;border-left:4px solid #ba0517;color:#181818}
.ll-callout-warn{background:#fff4e5;border-left-color:#fe9339}
.ll-callout-info{background:#f4f6f9;border-left-color:#0176d3}
.ll-state{font-size:.875rem;font-weight:700}
.ll-narrow{max-width:28rem;margin:3rem auto 0}
.ll-mono{font-family:"SFMono-Regular",Menlo,Consolas,monospace;font-size:.75rem}
.slds-notify_alert .ll-banner-icon{width:1rem;height:1rem;flex-shrink:0;margin-right:.5rem;vertical-align:-.125rem}
.slds-notify_alert h2{display:inline;font-size:.875rem;font-weight:400}
`;

/** The page around a body: the stylesheet (SLDS when served, else the inline one), the header naming the product. */
export function layout(chrome: PageChrome, title: string, body: string, headerRight = ''): string {
  const styles = chrome.sldsHref
    ? `<link rel="stylesheet" href="${escapeHtml(chrome.sldsHref)}">\n<style>${PAGE_CSS}</style>`
    : `<style>${FALLBACK_CSS}${PAGE_CSS}</style>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)} | Ledgerline</title>
${styles}
</head>
<body>
<header class="ll-topbar">
  <span class="ll-logo" aria-hidden="true">L</span>
  <span class="ll-app">Ledgerline</span>
  <span class="ll-app-sub">${escapeHtml(chrome.product)}</span>
  <span class="ll-spacer"></span>
  ${headerRight}
</header>
<main class="ll-main ll-stack">
${body}
</main>
</body>
</html>`;
}

export function bannerHtml(banner: Banner | null): string {
  if (!banner) return '';
  const path = banner.tone === 'success' ? ICONS.success : banner.tone === 'warning' ? ICONS.warning : banner.tone === 'error' ? ICONS.error : ICONS.info;
  return `<div class="slds-notify slds-notify_alert slds-theme_${banner.tone}" role="${banner.tone === 'error' ? 'alert' : 'status'}" data-banner="${banner.tone}">
  ${icon(path, 520, 'll-banner-icon slds-icon slds-icon_x-small')}
  <h2><strong>${escapeHtml(banner.title)}</strong>${banner.text ? ` ${escapeHtml(banner.text)}` : ''}</h2>
</div>`;
}

export function pageHeader(title: string, meta: string, iconPath = ICONS.connectedApps, iconBox = 1000, iconCls = 'll-icon-qbo'): string {
  return `<div class="slds-page-header slds-page-header_record-home">
  <div class="slds-media slds-media_center">
    <div class="slds-media__figure"><span class="slds-icon_container ${iconCls}">${icon(iconPath, iconBox, 'slds-icon')}</span></div>
    <div class="slds-media__body">
      <p class="slds-text-title_caps">Ledgerline</p>
      <h1 class="slds-page-header__title slds-truncate" title="${escapeHtml(title)}">${escapeHtml(title)}</h1>
      <p class="slds-page-header__name-meta">${meta}</p>
    </div>
  </div>
</div>`;
}

export function formatWhen(date: Date | null): string {
  if (!date) return '—';
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function hidden(name: string, value: string): string {
  return `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;
}

export function signOutForm(base: string, csrfToken: string): string {
  return `<form method="post" action="${base}/signout" style="margin:0">${hidden('csrf', csrfToken)}<button class="slds-button slds-button_neutral" type="submit">Sign out</button></form>`;
}

/** Where an admin goes back to after signing in: an admin page of this service only (never another site). */
export function adminReturnPath(next: unknown): string | null {
  if (typeof next !== 'string' || next.length > 200) return null;
  return /^\/quickbooks\/[a-z]+(\?companyId=[A-Za-z0-9-]{1,80})?$/.test(next) ? next : null;
}

export function renderSignInPage(chrome: PageChrome, opts: { companyId: string; problem?: { title: string; text: string }; next?: string | null }): string {
  const { base } = chrome;
  const body = `${pageHeader(`Sign in to ${chrome.title}`, 'Administrators only', ICONS.lock, 520, 'll-icon-lock')}
<article class="slds-card ll-narrow">
  <div class="slds-card__header slds-grid"><h2 class="slds-card__header-title">Ledgerline administrator</h2></div>
  <div class="slds-card__body slds-card__body_inner">
    <form method="post" action="${base}/session" autocomplete="off">
      ${hidden('companyId', opts.companyId)}${opts.next ? hidden('next', opts.next) : ''}
      <div class="slds-form-element${opts.problem ? ' slds-has-error' : ''}">
        <label class="slds-form-element__label" for="adminKey"><abbr class="slds-required" title="required">*</abbr>Admin key</label>
        <div class="slds-form-element__control">
          <input class="slds-input" type="password" id="adminKey" name="adminKey" required autofocus${opts.problem ? ' aria-describedby="signin-help"' : ''}>
        </div>
        ${opts.problem ? `<div class="slds-form-element__help" id="signin-help" role="alert" data-problem><strong>${escapeHtml(opts.problem.title)}</strong> ${escapeHtml(opts.problem.text)}</div>` : ''}
      </div>
      <button class="slds-button slds-button_brand slds-m-top_medium" type="submit">Sign in</button>
    </form>
    <p class="ll-note slds-m-top_medium">Use the LEDGERLINE_ADMIN_KEY of this service. ERP users export from the Sales Invoice Export page and do not need to sign in here.</p>
  </div>
</article>`;
  return layout(chrome, 'Sign in', body);
}

export function renderMessagePage(
  chrome: PageChrome,
  opts: { tone: Tone; title: string; message: string; fix?: string; backHref?: string; backLabel?: string },
): string {
  const path = opts.tone === 'success' ? ICONS.success : opts.tone === 'warning' ? ICONS.warning : opts.tone === 'info' ? ICONS.info : ICONS.error;
  const colour = opts.tone === 'success' ? '#2e844a' : opts.tone === 'warning' ? '#fe9339' : opts.tone === 'info' ? '#0176d3' : '#ba0517';
  const body = `${pageHeader(chrome.title, chrome.subtitle)}
<article class="slds-card ll-narrow" data-message="${opts.tone}">
  <div class="slds-card__header slds-grid">
    <header class="slds-media slds-media_center">
      <div class="slds-media__figure"><span style="color:${colour}">${icon(path, 520, 'slds-icon slds-icon_small')}</span></div>
      <div class="slds-media__body"><h2 class="slds-card__header-title">${escapeHtml(opts.title)}</h2></div>
    </header>
  </div>
  <div class="slds-card__body slds-card__body_inner">
    <p>${escapeHtml(opts.message)}</p>
    ${opts.fix ? `<p class="slds-m-top_small"><strong>What to do:</strong> ${escapeHtml(opts.fix)}</p>` : ''}
  </div>
  ${opts.backHref ? `<footer class="slds-card__footer"><a class="slds-button slds-button_brand" href="${escapeHtml(opts.backHref)}">${escapeHtml(opts.backLabel ?? `Back to ${chrome.title}`)}</a></footer>` : ''}
</article>`;
  return layout(chrome, opts.title, body);
}

export const SLDS_STYLESHEET = 'styles/salesforce-lightning-design-system.min.css';

/** Where the SLDS stylesheet is on this machine, if it is (the compiled service carries its own copy). */
export function findSldsAssets(): string | null {
  const built = path.resolve(__dirname, '../slds-assets');
  if (existsSync(path.join(built, SLDS_STYLESHEET))) return built;
  const candidates = [path.resolve(__dirname, '../../../node_modules'), ...(require.resolve.paths('@salesforce-ux/design-system') ?? [])];
  for (const dir of candidates) {
    const assets = path.join(dir, '@salesforce-ux', 'design-system', 'assets');
    if (existsSync(path.join(assets, SLDS_STYLESHEET))) return assets;
  }
  return null;
}

/**
 * Serves the SLDS assets under a router's `/assets` and answers the stylesheet's URL there (null without them, so
 * the page falls back to its inline styles).
 */
export function sldsAssets(router: express.Router, base: string): string | null {
  const assets = findSldsAssets();
  if (!assets) return null;
  router.use('/assets', express.static(assets, { fallthrough: false, index: false, maxAge: '1h' }));
  return `${base}/assets/${SLDS_STYLESHEET}`;
}

/**
 * An admin page: never cached or framed, and a policy of its own that lets its stylesheet (and the inline styles
 * of the fallback) apply — the API's default-src 'none' would leave it unstyled.
 */
export function sendAdminPage(res: Response, status: number, html: string): void {
  res
    .status(status)
    .set({
      'Cache-Control': 'no-store',
      'X-Frame-Options': 'DENY',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Content-Security-Policy':
        "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    })
    .type('html')
    .send(html);
}
