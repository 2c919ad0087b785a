/**
 * Peak resident memory of this process over a phase. Sampled on a timer, so a spike shorter than
 * the interval can be missed; 50 ms is well under the length of any page or batch.
 */
export function startRssSampler(intervalMs = 50): { stop(): number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}
