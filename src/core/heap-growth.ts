import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what survived its last full collection before it
 * collects again, in percent. V8's own choice on a machine with gigabytes free is up to 300 %
 * (a factor of 4): a sync whose live heap is about 100 MB then peaked at 400-640 MB resident,
 * all of it garbage not yet collected. 100 % (a factor of 2) kept a 300k-user import at 271 MB
 * for about 5 % more importer CPU (README, Performance). Capping the heap with
 * --max-old-space-size instead cost 30 %: below 2 GB V8 also shrinks its growth factor towards
 * 1.3, collecting far more often than memory requires.
 */
export const DEFAULT_HEAP_GROWTH_PERCENT = 100;
/** Below this V8 would collect after every few pages; above it, the factor V8 itself tops out at. */
export const HEAP_GROWTH_RANGE = { min: 10, max: 300 } as const;

/**
 * Sets V8's heap growing factor for this process; 0 leaves V8's adaptive default. The flag is read
 * each time V8 sizes the heap after a full collection, so setting it once the process runs takes
 * effect from the next collection on (which `--heap-growing-percent` on node's command line also
 * does, but NODE_OPTIONS refuses that flag, and a deployment should not need to pass it).
 * Checked on Node 20, 22 and 24: a garbage-heavy loop peaked at 309, 317 and 468 MB without it,
 * 204, 211 and 380 MB with 100 %.
 */
export function applyHeapGrowth(percent: number, setFlags: (flags: string) => void = setFlagsFromString): void {
  if (percent > 0) setFlags(`--heap-growing-percent=${percent}`);
}
