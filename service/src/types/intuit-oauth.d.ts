// The parts of intuit-oauth (plain JavaScript, no types shipped) that Ledgerline uses.
declare module 'intuit-oauth' {
  interface AuthResponse {
    getJson(): Record<string, any>;
  }
  class OAuthClient {
    constructor(config: {
      clientId: string;
      clientSecret: string;
      environment: 'sandbox' | 'production';
      redirectUri: string;
      logging?: boolean;
      token?: Record<string, unknown>;
    });
    static scopes: { Accounting: string; OpenId: string; [name: string]: string };
    authorizeUri(params: { scope: string[]; state: string }): string;
    createToken(uri: string): Promise<AuthResponse>;
    refreshUsingToken(refreshToken: string): Promise<AuthResponse>;
    revoke(params: { access_token?: string; refresh_token?: string }): Promise<AuthResponse>;
    /** Sends one HTTP request (axios); every token-endpoint call goes through it. */
    loadResponse(request: { url: string; method: string; headers: Record<string, string>; data?: unknown }): Promise<unknown>;
  }
  export = OAuthClient;
}
