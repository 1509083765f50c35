/** Standard normal CDF (Abramowitz–Stegun 7.1.26 via erf; |error| < 1.5e-7). */
export const normalCdf = (z: number): number => {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
};

export type ZTest = Readonly<{ z: number | null; pValue: number | null }>;

/**
 * Two-proportion z-test (pooled), two-sided: are x1/n1 and x2/n2 different? Null when either
 * sample is empty or the pooled proportion is 0 or 1 (no variance: nothing to test).
 */
export const twoProportionZTest = (x1: number, n1: number, x2: number, n2: number): ZTest => {
  if (n1 === 0 || n2 === 0) return { z: null, pValue: null };
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return { z: null, pValue: null };
  const z = (x1 / n1 - x2 / n2) / se;
  return { z, pValue: 2 * (1 - normalCdf(Math.abs(z))) };
};

/** Wilson score interval (95%) of a proportion: honest for small samples and rates near 0 or 1. */
export const wilson = (x: number, n: number, z = 1.959964): readonly [number, number] => {
  if (n === 0) return [0, 1];
  const p = x / n;
  const denom = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denom;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
};

export type OddsRatio = Readonly<{ ratio: number; low: number; high: number; pValue: number }>;

/**
 * Odds ratio of a 2×2 table (exposed & outcome a, exposed & no outcome b, unexposed & outcome c,
 * unexposed & no outcome d) with Woolf's 95% interval on log(OR) and its Wald p-value; 0.5 is
 * added to every cell when one is empty (Haldane–Anscombe).
 */
export const oddsRatio = (a: number, b: number, c: number, d: number): OddsRatio | null => {
  if (a + b === 0 || c + d === 0) return null;
  const k = a * b * c * d === 0 ? 0.5 : 0;
  const [A, B, C, D] = [a + k, b + k, c + k, d + k];
  const log = Math.log((A * D) / (B * C));
  const se = Math.sqrt(1 / A + 1 / B + 1 / C + 1 / D);
  return {
    ratio: Math.exp(log),
    low: Math.exp(log - 1.959964 * se),
    high: Math.exp(log + 1.959964 * se),
    pValue: 2 * (1 - normalCdf(Math.abs(log / se))),
  };
};

/**
 * Holm's step-down adjustment of p-values for testing several hypotheses at once (controls the
 * family-wise error rate): the k-th smallest p is multiplied by (m − k + 1), made monotone, and
 * capped at 1. Returned in the input's order.
 */
export const holmAdjust = (pValues: readonly number[]): number[] => {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const adjusted = new Array<number>(m).fill(1);
  let running = 0;
  order.forEach(({ p, i }, k) => {
    running = Math.max(running, Math.min(1, (m - k) * p));
    adjusted[i] = running;
  });
  return adjusted;
};
