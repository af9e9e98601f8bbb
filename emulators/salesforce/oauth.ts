// OAuth 2.0 token endpoint (username-password and client-credentials flows), plus the identity
// and userinfo resources jsforce may call after login.
import crypto from 'node:crypto';
import express, { type Request, type Router } from 'express';
import { sendJson } from './http';
import type { SalesforceState, Session } from './state';
import { fullRecord } from './state';
import type { ObjectDef } from './schema';

/** This server's origin as the caller reached it, used for instance_url and identity URLs. */
export function baseUrl(req: Request): string {
  return `${req.protocol}://${req.get('host')}`;
}

export function tokenResponse(state: SalesforceState, req: Request, session: Session): Record<string, string> {
  const base = baseUrl(req);
  const id = `${base}/id/${state.orgId}/${session.userId}`;
  const issuedAt = String(session.issuedAt);
  const signature = crypto
    .createHmac('sha256', session.clientId)
    .update(id + issuedAt)
    .digest('base64');
  return {
    access_token: session.accessToken,
    signature,
    scope: 'api',
    instance_url: base,
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
  };
}

function clientFromRequest(req: Request): { clientId?: string; clientSecret?: string } {
  const body = (req.body ?? {}) as Record<string, string | undefined>;
  const auth = req.get('authorization');
  if (auth?.startsWith('Basic ')) {
    const [id, secret] = Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':');
    return { clientId: decodeURIComponent(id ?? ''), clientSecret: decodeURIComponent(secret ?? '') };
  }
  return { clientId: body.client_id, clientSecret: body.client_secret };
}

function bearer(req: Request): string | undefined {
  const auth = req.get('authorization');
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  const q = req.query.oauth_token;
  return typeof q === 'string' ? q : undefined;
}

export function oauthRoutes(state: SalesforceState): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false });

  router.post('/services/oauth2/token', form, (req, res) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const grant = body.grant_type;
    if (grant !== 'password' && grant !== 'client_credentials') {
      sendJson(res, 400, { error: 'unsupported_grant_type', error_description: 'grant type not supported' });
      return;
    }
    const { clientId, clientSecret } = clientFromRequest(req);
    const client = state.options.clients.find((c) => c.clientId === clientId);
    if (!client) {
      sendJson(res, 400, { error: 'invalid_client_id', error_description: 'client identifier invalid' });
      return;
    }
    if (client.clientSecret !== clientSecret) {
      sendJson(res, 400, { error: 'invalid_client', error_description: 'invalid client credentials' });
      return;
    }
    let userId: string | undefined;
    if (grant === 'password') {
      const user = state.options.users.find((u) => u.username.toLowerCase() === (body.username ?? '').toLowerCase());
      if (!user || user.password !== body.password) {
        sendJson(res, 400, { error: 'invalid_grant', error_description: 'authentication failure' });
        return;
      }
      userId = state.userId(user.username);
    } else {
      // Client credentials run as the connected app's execution user: the first configured user.
      userId = state.defaultUserId;
    }
    const session = state.issueSession(userId as string, client.clientId);
    sendJson(res, 200, tokenResponse(state, req, session));
  });

  router.post('/services/oauth2/revoke', form, (req, res) => {
    const token = ((req.body ?? {}) as Record<string, string>).token ?? (typeof req.query.token === 'string' ? req.query.token : '');
    state.sessions.delete(token);
    res.status(200).end();
  });

  const identity = (req: Request, session: Session) => {
    const userObj = state.schema.get('User') as ObjectDef;
    const user = fullRecord(state.store, userObj, state.store.get('User', session.userId) ?? {});
    const base = baseUrl(req);
    return {
      id: `${base}/id/${state.orgId}/${session.userId}`,
      asserted_user: true,
      user_id: session.userId,
      organization_id: state.orgId,
      username: user.Username,
      nick_name: user.Alias,
      display_name: user.Name,
      first_name: user.FirstName,
      last_name: user.LastName,
      email: user.Email,
      active: user.IsActive,
      user_type: 'STANDARD',
      language: 'en_US',
      locale: 'en_US',
      timezone: 'GMT',
      utcOffset: 0,
      last_modified_date: user.LastModifiedDate,
      urls: {
        rest: `${base}/services/data/v{version}/`,
        sobjects: `${base}/services/data/v{version}/sobjects/`,
        query: `${base}/services/data/v{version}/query/`,
      },
    };
  };

  const unauthorized = (res: express.Response) => sendJson(res, 403, 'Bad_OAuth_Token');

  router.get('/id/:orgId/:userId', (req, res) => {
    const session = state.session(bearer(req) ?? '');
    if (!session) return unauthorized(res);
    sendJson(res, 200, identity(req, session));
  });

  const userinfo = (req: Request, res: express.Response) => {
    const session = state.session(bearer(req) ?? '');
    if (!session) return unauthorized(res);
    const id = identity(req, session);
    sendJson(res, 200, {
      sub: id.id,
      user_id: id.user_id,
      organization_id: id.organization_id,
      preferred_username: id.username,
      nickname: id.nick_name,
      name: id.display_name,
      email: id.email,
      email_verified: true,
      given_name: id.first_name,
      family_name: id.last_name,
      zoneinfo: id.timezone,
      address: {},
      is_salesforce_integration_user: false,
      urls: id.urls,
      active: id.active,
      user_type: id.user_type,
      language: id.language,
      locale: id.locale,
      utcOffset: id.utcOffset,
      // userinfo writes times as OpenID Connect does: 2026-05-06T09:49:19Z.
      updated_at: typeof id.last_modified_date === 'string' ? `${id.last_modified_date.slice(0, 19)}Z` : null,
    });
  };
  router.get('/services/oauth2/userinfo', userinfo);
  router.post('/services/oauth2/userinfo', userinfo);
  return router;
}
