export type FaultKind = 'status' | 'reset' | 'malformed' | 'delay' | 'expired-token';

export interface FaultRule {
  /**
   * `path` is tested against path + query, as a substring or else as a RegExp source. `inBatch`
   * true fires only on items of a `$batch`, false only on requests outside one; absent, on both.
   */
  match: { path?: string; method?: string; inBatch?: boolean };
  kind: FaultKind;
  /** For 'status' (default 503) and 'expired-token' (default from the server options). */
  status?: number;
  /** Seconds (integer or fractional, D7) or an HTTP-date; sent verbatim as `Retry-After`. */
  retryAfter?: number | string;
  /** How many matching requests the rule fires on; default 1, `Infinity` for ever. */
  times?: number;
  delayMs?: number;
  graphCode?: string;
  /** 'expired-token' only: answer 410 with a `Location` to restart from scratch (D1 reset). */
  resetLocation?: boolean;
}

export interface ThrottleBudget { requestsPerWindow: number; windowMs: number }

export interface ActiveFault extends FaultRule { id: string; remaining: number; fired: number }

/**
 * Switchable failures, consumed in the order they were added; the first matching rule fires.
 * Kept free of HTTP so tests can script faults directly and the admin API can post them as JSON.
 */
export class FaultController {
  private rules: ActiveFault[] = [];
  private nextId = 1;
  private throttle: ThrottleBudget | null = null;
  private readonly windows = new Map<string, { start: number; count: number }>();

  add(rule: FaultRule): string {
    const times = rule.times ?? 1;
    if (!(times > 0)) throw new Error('fault times must be positive');
    const id = `fault-${this.nextId++}`;
    this.rules.push({ ...rule, id, remaining: times, fired: 0 });
    return id;
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length < before;
  }

  /** Drops every rule and the throttle budget. */
  clear(): void {
    this.rules = [];
    this.throttle = null;
    this.windows.clear();
  }

  list(): ActiveFault[] { return this.rules.map((r) => ({ ...r })); }

  /**
   * Takes the first rule matching the request, decrementing its count. `eligible` lets the router
   * skip kinds that do not apply (e.g. 'expired-token' only applies to requests with a delta token).
   */
  take(method: string, target: string, eligible: (kind: FaultKind) => boolean, inBatch = false): ActiveFault | undefined {
    const rule = this.rules.find((r) => matches(r, method, target, inBatch) && eligible(r.kind));
    if (!rule) return undefined;
    rule.remaining -= 1;
    rule.fired += 1;
    if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
    return { ...rule };
  }

  /** A fixed-window request budget per app, answered with 429 once exceeded (D8, resource-unit-like). */
  setThrottle(budget: ThrottleBudget | null): void {
    this.throttle = budget;
    this.windows.clear();
  }

  /** Counts one request; returns seconds until the window reopens when over budget, else null. */
  charge(key: string, nowMs: number): number | null {
    const budget = this.throttle;
    if (!budget) return null;
    let w = this.windows.get(key);
    if (!w || nowMs - w.start >= budget.windowMs) {
      w = { start: nowMs, count: 0 };
      this.windows.set(key, w);
    }
    w.count += 1;
    if (w.count <= budget.requestsPerWindow) return null;
    return Math.max(0.001, (w.start + budget.windowMs - nowMs) / 1000);
  }

  /** Share of the budget used, for `x-ms-throttle-limit-percentage` (sent only above 0.8, D8). */
  usage(key: string): number | null {
    const w = this.windows.get(key);
    if (!this.throttle || !w) return null;
    return w.count / this.throttle.requestsPerWindow;
  }
}

function matches(rule: FaultRule, method: string, target: string, inBatch: boolean): boolean {
  if (rule.match.method && rule.match.method.toUpperCase() !== method.toUpperCase()) return false;
  if (rule.match.inBatch !== undefined && rule.match.inBatch !== inBatch) return false;
  const p = rule.match.path;
  if (p === undefined || p === '' || target.includes(p)) return true;
  try {
    return new RegExp(p).test(target);
  } catch {
    return false;
  }
}
