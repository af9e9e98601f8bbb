// The local org's own reads of Salesforce, as each demo user: OAuth username-password login against the Salesforce
// emulator and SOQL over REST. Queries over REST always run as the signed-in user (sharing, object and field
// permissions), which is what the Apex selector's WITH USER_MODE / AccessLevel.USER_MODE asks for in the org.
export interface OrgUser {
  username: string;
  password: string;
}

export interface SalesforceClientOptions {
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  apiVersion?: string;
}

interface Session {
  accessToken: string;
  instanceUrl: string;
  userId: string;
}

export class SalesforceQueryError extends Error {
  constructor(
    message: string,
    readonly errorCode: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'SalesforceQueryError';
  }
}

type Row = Record<string, unknown>;

export interface DescribeField {
  name: string;
  label: string;
  type: string;
  referenceTo?: string[];
  relationshipName?: string | null;
  nameField?: boolean;
}

export interface Describe {
  name: string;
  label: string;
  fields: DescribeField[];
}

// REST gives date-times as 2026-12-01T14:21:03.518+0000; Apex hands them to a component as ISO 8601 in UTC.
const REST_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?[+-]\d{4}$/;

/** A record as Apex hands it to a component: no `attributes`, no null fields, ISO date-times, parents nested the same way. */
export function asApexRecord(row: Row): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) {
    if (key === 'attributes' || value === null || value === undefined) continue;
    if (typeof value === 'string' && REST_DATETIME.test(value)) out[key] = new Date(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')).toISOString();
    else out[key] = value && typeof value === 'object' && !Array.isArray(value) ? asApexRecord(value as Row) : value;
  }
  return out;
}

export class SalesforceClient {
  private readonly sessions = new Map<string, Promise<Session>>();
  private readonly apiVersion: string;

  constructor(private readonly opts: SalesforceClientOptions) {
    this.apiVersion = opts.apiVersion ?? '62.0';
  }

  /** The signed-in user's id (as UserInfo.getUserId() gives it). */
  async userId(user: OrgUser): Promise<string> {
    return (await this.session(user)).userId;
  }

  async query<T extends Row = Row>(user: OrgUser, soql: string): Promise<{ totalSize: number; records: T[] }> {
    const res = await this.get(user, `/services/data/v${this.apiVersion}/query?q=${encodeURIComponent(soql)}`);
    return (await res.json()) as { totalSize: number; records: T[] };
  }

  async describe(user: OrgUser, sobject: string): Promise<Describe> {
    const res = await this.get(user, `/services/data/v${this.apiVersion}/sobjects/${encodeURIComponent(sobject)}/describe`);
    return (await res.json()) as Describe;
  }

  private async get(user: OrgUser, path: string, retried = false): Promise<Response> {
    const session = await this.session(user);
    const res = await fetch(`${session.instanceUrl}${path}`, { headers: { Authorization: `Bearer ${session.accessToken}`, Accept: 'application/json' } });
    if (res.ok) return res;
    const body = (await res.json().catch(() => null)) as { message?: string; errorCode?: string }[] | null;
    const first = Array.isArray(body) ? body[0] : undefined;
    if (res.status === 401 && !retried) {
      this.sessions.delete(user.username);
      return this.get(user, path, true);
    }
    throw new SalesforceQueryError(first?.message ?? `Salesforce answered HTTP ${res.status}`, first?.errorCode ?? 'UNKNOWN_EXCEPTION', res.status);
  }

  private session(user: OrgUser): Promise<Session> {
    let session = this.sessions.get(user.username);
    if (!session) {
      session = this.login(user);
      session.catch(() => this.sessions.delete(user.username));
      this.sessions.set(user.username, session);
    }
    return session;
  }

  private async login(user: OrgUser): Promise<Session> {
    const res = await fetch(`${this.opts.loginUrl}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: this.opts.clientId,
        client_secret: this.opts.clientSecret,
        username: user.username,
        password: user.password,
      }),
    });
    const body = (await res.json()) as { access_token?: string; instance_url?: string; id?: string; error_description?: string };
    if (!res.ok || !body.access_token || !body.instance_url || !body.id) {
      throw new SalesforceQueryError(
        `Salesforce refused the sign-in of ${user.username}: ${body.error_description ?? res.status}`,
        'INVALID_LOGIN',
        res.status,
      );
    }
    return { accessToken: body.access_token, instanceUrl: body.instance_url, userId: body.id.split('/').pop() ?? '' };
  }
}

/** A LIKE pattern that finds the term anywhere, its own % and _ matching themselves (as ProcessLogSelector.likeEscape). */
export function soqlContains(term: string): string {
  const escaped = term.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/%/g, '\\%').replace(/_/g, '\\_');
  return `'%${escaped}%'`;
}
