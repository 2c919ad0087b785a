/**
 * Reads a Retry-After header as milliseconds to wait. Graph sends whole or fractional seconds
 * (`Retry-After: 2.128`, graph-semantics D7) and the SDK also accepts an HTTP-date (J1).
 * Returns null when the header is absent or unreadable, so the caller falls back to backoff.
 */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (text === '') return null;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now.getTime());
}
