/** Everything needed to reach one tenant's directory. Built from the tenant row plus the process env. */
export interface GraphSettings {
  directoryId: string;
  clientId: string;
  credential: { kind: 'secret'; secret: string } | { kind: 'certificate'; path: string };
  /** Graph root without the version, e.g. https://graph.microsoft.com (graph-semantics §9). */
  graphUrl: string;
  /** Token host, e.g. https://login.microsoftonline.com (§9). */
  authorityHost: string;
  /**
   * Extra CA certificate(s) in PEM to trust for both Graph and the token host. NODE_EXTRA_CA_CERTS
   * works too; this is the in-process way (stack-notes §1 A and §2 (i)).
   */
  ca?: string | null;
}

export interface RetryOptions {
  /** Retries after the first attempt. The SDK default is 3, its ceiling 10 (graph-semantics J1). */
  maxRetries: number;
  /** First backoff step when the answer has no Retry-After (J2 suggests 3 s). */
  baseDelayMs: number;
  /** No single wait exceeds this, even if Retry-After asks for more (J1: 180 s). */
  maxDelayMs: number;
  /** Abort one HTTP attempt that takes longer than this. */
  requestTimeoutMs: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxRetries: 6,
  baseDelayMs: 1_000,
  maxDelayMs: 180_000,
  requestTimeoutMs: 100_000,
};

/** Microsoft's own hosts; anything else (a national cloud proxy, the mock) needs customHosts and no instance discovery. */
export const MICROSOFT_AUTHORITY_HOSTS: ReadonlySet<string> = new Set([
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
]);
