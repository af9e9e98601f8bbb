// Opens a jsforce connection to the org: OAuth 2.0 client credentials for a service, or the username-password
// flow for a developer org. jsforce re-authenticates by itself when the session expires.
import { Connection } from 'jsforce';

export interface SalesforceConnectionOptions {
  loginUrl: string;
  apiVersion: string;
  clientId: string;
  clientSecret: string;
  username?: string;
  password?: string;
}

export async function connectSalesforce(opts: SalesforceConnectionOptions): Promise<Connection> {
  const oauth2 = { loginUrl: opts.loginUrl, clientId: opts.clientId, clientSecret: opts.clientSecret };
  if (opts.username && opts.password) {
    const conn = new Connection({ oauth2, version: opts.apiVersion });
    await conn.login(opts.username, opts.password);
    return conn;
  }
  const conn: Connection = new Connection({
    oauth2,
    version: opts.apiVersion,
    refreshFn: async (c, callback) => {
      try {
        await c.authorize({ grant_type: 'client_credentials' });
        callback(null, c.accessToken ?? undefined);
      } catch (err) {
        callback(err as Error);
      }
    },
  });
  await conn.authorize({ grant_type: 'client_credentials' });
  return conn;
}
