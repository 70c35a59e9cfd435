/** Small statistics for the benchmark: nearest-rank percentiles and rounded figures. */

export function percentile(samples, p) {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const median = (samples) => percentile(samples, 50);

/** ms rounded to what the noise of a shared machine can support. */
export function round(ms) {
  if (ms === undefined || ms === null || Number.isNaN(ms)) return undefined;
  return ms >= 100 ? Math.round(ms) : ms >= 10 ? Math.round(ms * 10) / 10 : Math.round(ms * 100) / 100;
}

/** a / b, two significant digits; undefined when either is missing. */
export function ratio(a, b) {
  if (!a || !b) return undefined;
  const r = a / b;
  return r >= 10 ? Math.round(r) : Math.round(r * 10) / 10;
}

export function summary(samples) {
  return {
    n: samples.length,
    p50: round(percentile(samples, 50)),
    p95: round(percentile(samples, 95)),
    p99: round(percentile(samples, 99)),
    min: round(Math.min(...samples)),
  };
}
