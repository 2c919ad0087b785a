import { randomBytes } from 'node:crypto';

export interface IssuedToken {
  clientId: string;
  directoryId: string;
  roles: readonly string[];
  expiresAt: number;
}

/**
 * Access tokens are opaque random strings mapped to app, roles and expiry. Real ones are JWTs, but
 * Graph clients must treat them as opaque, so nothing here should tempt a client to parse them.
 */
export class AccessTokenStore {
  private readonly tokens = new Map<string, IssuedToken>();

  issue(token: IssuedToken): string {
    const value = `mock.${randomBytes(24).toString('base64url')}`;
    this.tokens.set(value, token);
    return value;
  }

  lookup(value: string): IssuedToken | undefined { return this.tokens.get(value); }

  /** Expires every issued token at once, to test a client's refresh-on-401 path. */
  revokeAll(): void { this.tokens.clear(); }
}
