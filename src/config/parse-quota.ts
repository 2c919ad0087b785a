/**
 * Storage quotas as admins write them. inSync takes quotas in MB, GB or TB and reads them back in
 * binary bytes, so "50GB" is 50 × 2³⁰ bytes (insync-behaviour "Quota"); GiB/MiB/TiB are accepted
 * as explicit spellings of the same units.
 */
export class QuotaError extends Error {
  constructor(message: string) {
    super(`${message} (write a size such as "100GB", "1.5TB" or "500MB", or "unlimited")`);
    this.name = 'QuotaError';
  }
}

const UNIT_BYTES: Record<string, number> = {
  B: 1,
  MB: 2 ** 20,
  MIB: 2 ** 20,
  GB: 2 ** 30,
  GIB: 2 ** 30,
  TB: 2 ** 40,
  TIB: 2 ** 40,
};

const SIZE = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/i;

/**
 * Bytes for a quota, or null for unlimited. A plain number (or digit string) is bytes. Zero is
 * refused: inSync's API reads 0 as unlimited, and a config that says 0 almost never means that.
 */
export function parseQuota(input: string | number): number | null {
  if (typeof input === 'number') return checkBytes(input, String(input));
  const text = input.trim();
  if (text.toLowerCase() === 'unlimited') return null;
  if (/^\d+$/.test(text)) return checkBytes(Number(text), text);
  if (text.startsWith('-')) throw new QuotaError(`quota "${input}" is negative`);
  const match = SIZE.exec(text);
  if (match === null) throw new QuotaError(`quota "${input}" is not a size`);
  const [, amount = '', unit = ''] = match;
  const factor = UNIT_BYTES[unit.toUpperCase()];
  if (factor === undefined) {
    throw new QuotaError(`quota "${input}" has an unknown unit "${unit}"; units are MB, GB, TB, MiB, GiB, TiB`);
  }
  // Round: "1.1GB" is not a whole number of bytes, and a quota is a limit, not an exact count.
  return checkBytes(Math.round(Number(amount) * factor), text);
}

function checkBytes(bytes: number, shown: string): number {
  if (!Number.isFinite(bytes)) throw new QuotaError(`quota "${shown}" is not a number`);
  if (bytes < 0) throw new QuotaError(`quota "${shown}" is negative`);
  if (bytes === 0) throw new QuotaError(`quota "${shown}" is zero; to lift the limit say "unlimited"`);
  if (!Number.isInteger(bytes)) throw new QuotaError(`quota "${shown}" is not a whole number of bytes`);
  if (bytes > Number.MAX_SAFE_INTEGER) throw new QuotaError(`quota "${shown}" is too large`);
  return bytes;
}

/** The shortest exact spelling in binary units: "100 GB", "1.5 TB", "unlimited"; odd sizes in bytes. */
export function formatQuota(bytes: number | null): string {
  if (bytes === null) return 'unlimited';
  for (const [unit, factor] of [['TB', 2 ** 40], ['GB', 2 ** 30], ['MB', 2 ** 20]] as const) {
    const amount = bytes / factor;
    // Show a unit only when it reads exactly (up to 3 decimals), so format → parse round-trips.
    if (amount >= 1 && Number.isInteger(amount * 1000) && Math.round(amount * 1000) / 1000 === amount) {
      return `${amount} ${unit}`;
    }
  }
  return `${bytes} B`;
}
