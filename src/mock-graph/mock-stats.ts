export interface MockStats {
  /** HTTP requests per route key such as `GET /v1.0/users/delta` (a `$batch` counts once). */
  requests: Record<string, number>;
  totalRequests: number;
  /** Requests carried inside `$batch` bodies, per route key of the inner request. */
  batchedRequests: Record<string, number>;
  /** Resource units charged (D8): every successful Graph request, each `$batch` item on its own. */
  resourceUnits: number;
  resourceUnitsByRoute: Record<string, number>;
  tokensIssued: number;
  faultsFired: number;
  throttled: number;
}

export class MockStatsRecorder {
  private readonly requests = new Map<string, number>();
  private readonly batched = new Map<string, number>();
  private readonly units = new Map<string, number>();
  private total = 0;
  private unitTotal = 0;
  tokensIssued = 0;
  faultsFired = 0;
  throttled = 0;

  count(route: string): void {
    this.total += 1;
    bump(this.requests, route, 1);
  }

  countBatched(route: string): void { bump(this.batched, route, 1); }

  charge(route: string, resourceUnits: number): void {
    this.unitTotal += resourceUnits;
    bump(this.units, route, resourceUnits);
  }

  snapshot(): MockStats {
    return {
      requests: Object.fromEntries(this.requests),
      totalRequests: this.total,
      batchedRequests: Object.fromEntries(this.batched),
      resourceUnits: this.unitTotal,
      resourceUnitsByRoute: Object.fromEntries(this.units),
      tokensIssued: this.tokensIssued,
      faultsFired: this.faultsFired,
      throttled: this.throttled,
    };
  }
}

function bump(map: Map<string, number>, key: string, by: number): void {
  map.set(key, (map.get(key) ?? 0) + by);
}
