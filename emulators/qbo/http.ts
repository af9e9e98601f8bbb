// Low-level response writing shared by every route. Everything goes through
// `deliver` so an injected "reset after commit" can swallow the answer after
// the work is done.

import { randomBytes } from 'node:crypto';
import type { Response } from 'express';

export const JSON_TYPE = 'application/json;charset=utf-8';
export const FAULT_JSON_TYPE = 'application/json';
export const XML_TYPE = 'application/xml;charset=UTF-8';
export const HTML_TYPE = 'text/html;charset=utf-8';

/** Intuit transaction ids look like `1-6633b7d8-3f0a9c2e5b7d4e1f8a6c0b2d`. */
export function newTid(): string {
  return `1-${randomBytes(4).toString('hex')}-${randomBytes(12).toString('hex')}`;
}

export function deliver(res: Response, status: number, body: string, contentType: string, headers: Record<string, string> = {}): void {
  if (res.locals.resetAfterCommit) {
    res.socket?.destroy();
    return;
  }
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.end(body);
}

export function deliverJson(res: Response, status: number, body: unknown, contentType = JSON_TYPE, headers: Record<string, string> = {}): void {
  deliver(res, status, JSON.stringify(body), contentType, headers);
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
