// The .qwc file an admin adds to the Web Connector: where the service is, which user to sign in as, the GUIDs
// that identify the application to QuickBooks, and how often to run.
import { XMLBuilder } from 'fast-xml-parser';
import type { WebConnectorUser } from '../../store/types';

export const DEFAULT_RUN_EVERY_MINUTES = 10;

const builder = new XMLBuilder({ format: true, indentBy: '  ' });

export class QwcError extends Error {
  override name = 'QwcError';
}

/** The Web Connector talks only to https, except to the machine it runs on. */
export function checkAppUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new QwcError(`The Web Connector URL "${url}" is not a URL. Set PUBLIC_URL to the service's https address.`);
  }
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(local && parsed.protocol === 'http:')) {
    throw new QwcError(
      `The Web Connector accepts only https addresses (or localhost); PUBLIC_URL is ${parsed.origin}. Serve the service over https and set PUBLIC_URL.`,
    );
  }
  return parsed.toString();
}

export function qwcFile(opts: {
  appUrl: string;
  supportUrl: string;
  companyName: string;
  user: Pick<WebConnectorUser, 'username' | 'ownerId' | 'fileId' | 'runEveryMinutes'>;
}): string {
  const appUrl = checkAppUrl(opts.appUrl);
  return (
    '<?xml version="1.0"?>\n' +
    builder.build({
      QBWCXML: {
        AppName: `Ledgerline - ${opts.companyName}`.slice(0, 100),
        AppID: '',
        AppURL: appUrl,
        AppDescription: `Exports ${opts.companyName}'s approved Sales Invoices from Salesforce to QuickBooks Desktop.`,
        AppSupport: checkAppUrl(opts.supportUrl),
        UserName: opts.user.username,
        OwnerID: opts.user.ownerId,
        FileID: opts.user.fileId,
        QBType: 'QBFS',
        Scheduler: { RunEveryNMinutes: opts.user.runEveryMinutes },
        IsReadOnly: 'false',
      },
    })
  );
}
