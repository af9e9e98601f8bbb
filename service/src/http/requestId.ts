// Every request gets a reference: the caller's X-Request-Id when it sends a sane one (a proxy's, Apex's), else a new
// one. It is answered in the X-Request-Id header and in every error answer, and every log line written while the
// request is served carries it as `reqId` (pino-http's request logger, and the logger's mixin for the rest), so
// support finds a user's error in the logs from the "reference …" the page shows.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { requestScope } from '../log';

export const REQUEST_ID_HEADER = 'X-Request-Id';
const GIVEN_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export function requestIdOf(req: IncomingMessage): string | undefined {
  return typeof (req as { id?: unknown }).id === 'string' ? ((req as { id: string }).id as string) : undefined;
}

/** pino-http with our id, then the rest of the chain inside the id's context. */
export function requestIds(logger: Logger) {
  const httpLogger = pinoHttp({
    logger,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && GIVEN_ID.test(given) ? given : randomUUID();
      res.setHeader(REQUEST_ID_HEADER, id);
      return id;
    },
    customAttributeKeys: { reqId: 'reqId' },
    // One line per request: successes at debug (the page polls every second), refusals at warn, failures at error.
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'debug'),
    serializers: {
      // The path only: a query string may carry an OAuth code or state.
      req: (req: { method?: string; url?: string }) => ({ method: req.method, path: req.url?.split('?')[0] }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
  });
  return (req: Request, res: Response, next: NextFunction) => {
    httpLogger(req, res);
    requestScope.run({ reqId: String(req.id) }, next);
  };
}
