export interface MockStats {
  /** Requests per route key such as `GET /v1.0/users/delta`. */
  requests: Record<string, number>;
  totalRequests: number;
  tokensIssued: number;
  faultsFired: number;
  throttled: number;
}

export class MockStatsRecorder {
  private readonly requests = new Map<string, number>();
  private total = 0;
  tokensIssued = 0;
  faultsFired = 0;
  throttled = 0;

  count(route: string): void {
    this.total += 1;
    this.requests.set(route, (this.requests.get(route) ?? 0) + 1);
  }

  snapshot(): MockStats {
    return {
      requests: Object.fromEntries(this.requests),
      totalRequests: this.total,
      tokensIssued: this.tokensIssued,
      faultsFired: this.faultsFired,
      throttled: this.throttled,
    };
  }
}
