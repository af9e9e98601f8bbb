// Standard invocable actions over REST (`/services/data/vXX.X/actions/standard/…`): customNotificationAction (a
// custom notification to users, of a CustomNotificationType deployed from force-app's notificationtypes folder) and
// emailSimple (a plain email). As the org does, a request carries `inputs` (one invocation each) and is answered with
// one `{actionName, errors, isSuccess, outputValues}` per input; a request that is malformed or lacks a required
// input is refused whole (400, `[{message, errorCode}]`). What was sent is kept for tests (`/__admin/notifications`,
// `/__admin/emails`): an org's users would see the bell and their inbox.
import fs from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';
import { XMLParser } from 'fast-xml-parser';
import { ApiError, sendJson } from './http';
import type { SalesforceState } from './state';
import type { Row } from './store';

export interface SentNotification {
  at: string;
  senderId: string;
  customNotifTypeId: string;
  recipientIds: string[];
  title: string;
  body: string;
  targetId: string | null;
  targetPageRef: string | null;
}

export interface SentEmail {
  at: string;
  senderId: string;
  to: string[];
  subject: string;
  body: string;
  senderType: string;
}

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true });

/** CustomNotificationType rows from force-app's `notificationtypes/<DeveloperName>.notiftype-meta.xml`. */
export function notificationTypeRecords(forceAppDir: string): Row[] {
  const dir = path.join(forceAppDir, 'notificationtypes');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.notiftype-meta.xml'))
    .sort()
    .map((file) => {
      const xml =
        (parser.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { CustomNotificationType?: Record<string, string> }).CustomNotificationType ?? {};
      const developerName = file.replace(/\.notiftype-meta\.xml$/, '');
      const label = xml.masterLabel ?? xml.customNotifTypeName ?? developerName;
      return {
        DeveloperName: developerName,
        MasterLabel: label,
        CustomNotifTypeName: xml.customNotifTypeName ?? label,
        Description: xml.description ?? null,
        Desktop: xml.desktop === 'true',
        Mobile: xml.mobile === 'true',
        NamespacePrefix: null,
      };
    });
}

const LIMITS = { title: 250, body: 750 };
const STANDARD = ['customNotificationAction', 'emailSimple'] as const;
type ActionName = (typeof STANDARD)[number];
const INPUTS: Record<ActionName, { known: string[]; required: string[] }> = {
  customNotificationAction: {
    known: ['customNotifTypeId', 'recipientIds', 'title', 'body', 'targetId', 'targetPageRef', 'senderId', 'actionGroup'],
    required: ['customNotifTypeId', 'recipientIds', 'title', 'body'],
  },
  emailSimple: {
    known: [
      'emailAddresses',
      'emailAddressesArray',
      'recipientId',
      'emailSubject',
      'emailBody',
      'senderType',
      'senderAddress',
      'relatedRecordId',
      'logEmailOnSend',
    ],
    required: ['emailSubject', 'emailBody'],
  },
};

type Input = Record<string, unknown>;
type Failure = { statusCode: string; message: string; fields: string[] };
type Result = { actionName: ActionName; errors: Failure[] | null; isSuccess: boolean; outputValues: Record<string, unknown> | null };

const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

export function actionRoutes(state: SalesforceState): Router {
  const router = express.Router();

  router.get('/actions/standard', (req, res) => {
    const base = req.baseUrl;
    sendJson(res, 200, {
      actions: STANDARD.map((name) => ({
        label: name,
        name,
        type: name === 'emailSimple' ? 'EMAILSIMPLE' : 'CUSTOMNOTIFICATIONACTION',
        url: `${base}/actions/standard/${name}`,
      })),
    });
  });

  router.post('/actions/standard/:action', (req, res) => {
    const action = String(req.params.action);
    if (!(STANDARD as readonly string[]).includes(action)) throw ApiError.of(404, 'NOT_FOUND', `The requested resource does not exist`);
    const name = action as ActionName;
    const inputs = (req.body as { inputs?: unknown } | null)?.inputs;
    if (!Array.isArray(inputs) || inputs.length === 0) throw ApiError.of(400, 'JSON_PARSER_ERROR', 'Missing required field: inputs');
    for (const input of inputs) {
      if (!input || typeof input !== 'object' || Array.isArray(input)) throw ApiError.of(400, 'JSON_PARSER_ERROR', 'Each input must be a JSON object');
      const unknown = Object.keys(input as Input).find((k) => !INPUTS[name].known.includes(k));
      if (unknown) throw ApiError.of(400, 'INVALID_FIELD', `Invalid parameter value for: ${unknown}`);
      const missing = INPUTS[name].required.find((k) => blank((input as Input)[k]));
      if (missing) throw ApiError.of(400, 'REQUIRED_FIELD_MISSING', `Missing required input parameter: ${missing}`);
    }
    const senderId = String(res.locals.userId);
    const results = (inputs as Input[]).map((input) => (name === 'customNotificationAction' ? notify(state, input, senderId) : email(state, input, senderId)));
    sendJson(res, results.every((r) => r.isSuccess) ? 200 : 400, results);
  });

  return router;
}

function blank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && !v.trim()) || (Array.isArray(v) && v.length === 0);
}

function failed(actionName: ActionName, statusCode: string, message: string, fields: string[] = []): Result {
  return { actionName, errors: [{ statusCode, message, fields }], isSuccess: false, outputValues: null };
}

function notify(state: SalesforceState, input: Input, senderId: string): Result {
  const name = 'customNotificationAction';
  const typeId = String(input.customNotifTypeId);
  const type =
    state.store.get('CustomNotificationType', typeId) ??
    state.records('CustomNotificationType')?.find((t) => String(t.Id).slice(0, 15) === typeId.slice(0, 15));
  if (!type) return failed(name, 'INVALID_ID_FIELD', `Invalid custom notification type ID: ${typeId}`, ['customNotifTypeId']);
  const recipients = (Array.isArray(input.recipientIds) ? input.recipientIds : [input.recipientIds]).map(String);
  const users = new Map((state.records('User') ?? []).map((u) => [String(u.Id).slice(0, 15), u]));
  const bad = recipients.find((id) => users.get(id.slice(0, 15))?.IsActive !== true);
  if (bad)
    return failed(name, 'INVALID_ID_FIELD', `Invalid recipient ID: ${bad}. Specify an active user, group, queue, account, or opportunity ID.`, [
      'recipientIds',
    ]);
  const title = String(input.title);
  const body = String(input.body);
  if (title.length > LIMITS.title) return failed(name, 'STRING_TOO_LONG', `title: data value too large (max length=${LIMITS.title})`, ['title']);
  if (body.length > LIMITS.body) return failed(name, 'STRING_TOO_LONG', `body: data value too large (max length=${LIMITS.body})`, ['body']);
  if (blank(input.targetId) && blank(input.targetPageRef)) {
    return failed(name, 'REQUIRED_FIELD_MISSING', 'Specify either targetId or targetPageRef for the custom notification.', ['targetId', 'targetPageRef']);
  }
  state.notifications.push({
    at: new Date(state.now()).toISOString(),
    senderId: typeof input.senderId === 'string' && input.senderId ? input.senderId : senderId,
    customNotifTypeId: String(type.Id),
    recipientIds: recipients,
    title,
    body,
    targetId: blank(input.targetId) ? null : String(input.targetId),
    targetPageRef: blank(input.targetPageRef) ? null : String(input.targetPageRef),
  });
  return { actionName: name, errors: null, isSuccess: true, outputValues: { SuccessMessage: 'Your custom notification is processed successfully.' } };
}

function email(state: SalesforceState, input: Input, senderId: string): Result {
  const name = 'emailSimple';
  const listed = typeof input.emailAddresses === 'string' ? input.emailAddresses.split(',') : [];
  const array = Array.isArray(input.emailAddressesArray) ? input.emailAddressesArray.map(String) : [];
  const to = [...listed, ...array].map((a) => a.trim()).filter(Boolean);
  if (typeof input.recipientId === 'string' && input.recipientId) {
    const user = (state.records('User') ?? []).find((u) => String(u.Id).slice(0, 15) === String(input.recipientId).slice(0, 15));
    if (!user?.Email) return failed(name, 'INVALID_ID_FIELD', `Invalid recipient ID: ${String(input.recipientId)}`, ['recipientId']);
    to.push(String(user.Email));
  }
  if (!to.length)
    return failed(name, 'REQUIRED_FIELD_MISSING', 'Specify at least one recipient: emailAddresses, emailAddressesArray or recipientId.', ['emailAddresses']);
  if (to.length > 150) return failed(name, 'LIMIT_EXCEEDED', 'An email can have at most 150 recipients.', ['emailAddresses']);
  const bad = to.find((a) => !EMAIL.test(a));
  if (bad) return failed(name, 'INVALID_EMAIL_ADDRESS', `Invalid email address: ${bad}`, ['emailAddresses']);
  const senderType = typeof input.senderType === 'string' && input.senderType ? input.senderType : 'CurrentUser';
  if (!['CurrentUser', 'DefaultWorkflowUser', 'OrgWideEmailAddress'].includes(senderType)) {
    return failed(name, 'INVALID_API_INPUT', `Invalid senderType: ${senderType}`, ['senderType']);
  }
  state.emails.push({ at: new Date(state.now()).toISOString(), senderId, to, subject: String(input.emailSubject), body: String(input.emailBody), senderType });
  return { actionName: name, errors: null, isSuccess: true, outputValues: null };
}
