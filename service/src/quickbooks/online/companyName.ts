// The connected company's name in QuickBooks, for the page. Read with the access token valid now, never
// refreshing: showing the page must not refresh the authorization (that would reset the refresh token's 100 days,
// and the page would never warn). Cached per realm for ten minutes.
import type { Logger } from 'pino';
import { LedgerlineError, errorMessage } from '../../errors';
import type { Store } from '../../store/types';
import type { ConnectionSummary } from './authorization';
import { QboClient, type ReadGate } from './client';
import type { QboScheduler } from './scheduler';

const COMPANY_NAME_TTL_MS = 10 * 60_000;

export interface CompanyNameDeps {
  store: Store;
  scheduler: QboScheduler;
  baseUrl: string;
  minorVersion: number;
  logger: Logger;
  now: () => Date;
  /** The month's read budget for a company (the name is a metered read too). */
  reads?: (companyId: string) => ReadGate;
}

export function createCompanyNameReader(deps: CompanyNameDeps) {
  const names = new Map<string, { name: string; at: number }>();
  return async function quickBooksCompanyName(companyId: string, connection: ConnectionSummary): Promise<string | null> {
    const realmId = connection.realmId;
    if (!realmId || (connection.state !== 'connected' && connection.state !== 'expiring')) return null;
    const cached = names.get(realmId);
    if (cached && Date.now() - cached.at < COMPANY_NAME_TTL_MS) return cached.name;
    const tokens = await deps.store.tokens.get(companyId);
    if (!tokens || tokens.realmId !== realmId || tokens.accessTokenExpiresAt.getTime() - deps.now().getTime() < 60_000) return cached?.name ?? null;
    const client = new QboClient({
      baseUrl: deps.baseUrl,
      realmId,
      minorVersion: deps.minorVersion,
      tokens: {
        get: async () => tokens.accessToken,
        refreshAfterUnauthorized: async () => {
          throw new LedgerlineError('QBO_UNAUTHORIZED', 'QuickBooks refused the access token.');
        },
      },
      scheduler: deps.scheduler,
      reads: deps.reads?.(companyId),
      maxAttempts: 1,
      timeoutMs: 5000,
    });
    try {
      const info = await client.companyInfo();
      const name = info?.CompanyName ?? info?.LegalName;
      if (typeof name !== 'string' || !name) return cached?.name ?? null;
      names.set(realmId, { name, at: Date.now() });
      return name;
    } catch (err) {
      deps.logger.warn({ companyId, realmId, err: errorMessage(err) }, 'could not read the QuickBooks company name');
      return cached?.name ?? null;
    }
  };
}
