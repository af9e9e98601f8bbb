// Response helpers: the REST API answers JSON with this exact content type, and reports
// top-level failures as an array of {message, errorCode}.
import type { Response } from 'express';

export const JSON_TYPE = 'application/json;charset=UTF-8';

export interface ApiErrorBody {
  message: string;
  errorCode: string;
  fields?: string[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(typeof body === 'object' ? JSON.stringify(body) : String(body));
  }

  static of(status: number, errorCode: string, message: string, fields?: string[]): ApiError {
    const entry: ApiErrorBody = { message, errorCode };
    if (fields) entry.fields = fields;
    return new ApiError(status, [entry]);
  }
}

export const notFound = (message = 'The requested resource does not exist'): ApiError => new ApiError(404, [{ errorCode: 'NOT_FOUND', message }]);

export function sendJson(res: Response, status: number, body: unknown): void {
  res.status(status).set('Content-Type', JSON_TYPE).send(JSON.stringify(body));
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
