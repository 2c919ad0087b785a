/**
 * What touching a page of memory for the first time costs this process, in microseconds per
 * minor fault: the median of a few fresh 64 MB buffers, filled once each. Every large string or
 * buffer the importer, the mock or PostgreSQL allocates and frees lands on such pages, and on the
 * VMs the benches ran on a fault cost about 20 µs (a 1 MB buffer: 4.8 ms fresh, 0.02 ms reused),
 * so the faults a phase took say how much of its CPU time was spent getting memory, not using it.
 *
 * 64 MB is above glibc's largest mmap threshold (32 MB), so each buffer is mapped fresh and
 * returned when freed. Null where the platform reports no faults (the buffer came from memory
 * that was already mapped, or the counter is not kept).
 */
export function measureFreshPageCost(
  rounds = 3,
  bytes = 64 * 2 ** 20,
  faults: () => number = () => process.resourceUsage().minorPageFault,
): number | null {
  const costs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const before = faults();
    const started = performance.now();
    // allocUnsafeSlow: its own allocation, never a slice of Node's shared pool.
    Buffer.allocUnsafeSlow(bytes).fill(i + 1);
    const micros = (performance.now() - started) * 1000;
    const taken = faults() - before;
    if (taken > 0) costs.push(micros / taken);
  }
  if (costs.length === 0) return null;
  costs.sort((a, b) => a - b);
  return costs[Math.floor(costs.length / 2)] ?? null;
}
