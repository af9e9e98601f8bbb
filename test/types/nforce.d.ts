// The part of nforce 1.13 (which ships no types) the Salesforce emulator tests use.
declare module 'nforce' {
  export interface OAuth {
    access_token: string;
    instance_url: string;
    id: string;
    [key: string]: unknown;
  }
  export interface SObject {
    get(field: string): unknown;
    set(field: string, value: unknown): void;
    getId(): string;
    setId(id: string): void;
  }
  export interface QueryResult {
    totalSize: number;
    done: boolean;
    nextRecordsUrl?: string;
    records: SObject[];
  }
  export interface NforceError extends Error {
    errorCode?: string;
    statusCode?: number;
    body?: unknown;
  }
  export interface Connection {
    authenticate(opts?: { username?: string; password?: string }): Promise<OAuth>;
    query(opts: { query: string; fetchAll?: boolean; raw?: boolean }): Promise<QueryResult>;
    insert(opts: { sobject: SObject }): Promise<{ id: string; success: boolean; errors: unknown[] }>;
    update(opts: { sobject: SObject }): Promise<unknown>;
    delete(opts: { sobject: SObject }): Promise<unknown>;
    getRecord(opts: { type: string; id: string; fields?: string[] }): Promise<SObject>;
    getIdentity(opts?: object): Promise<Record<string, unknown>>;
    getLimits(opts: { type?: string }): Promise<Record<string, { Max: number; Remaining: number }>>;
    getUrl(opts: { url: string }): Promise<unknown>;
    postUrl(opts: { url: string; body: unknown }): Promise<unknown>;
    oauth: OAuth;
  }
  export function createConnection(opts: Record<string, unknown>): Connection;
  export function createSObject(type: string, fields?: Record<string, unknown>): SObject;
  const nforce: { createConnection: typeof createConnection; createSObject: typeof createSObject };
  export default nforce;
}
