/**
 * L2-regularised logistic regression fitted by Newton's method (IRLS) on standardised inputs.
 * With a dozen features the Hessian is tiny, so each step is exact and 25 steps converge; no
 * learning rate to tune. Features with no variance in training get weight 0.
 */
export type LogisticModel = Readonly<{
  means: readonly number[];
  scales: readonly number[];
  weights: readonly number[];
  intercept: number;
}>;

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** Reads an index the loops have bounded (the arrays here are dense and fixed-size). */
const at = (values: readonly number[], i: number): number => values[i] as number;

/** Solves A x = b (A symmetric positive definite, small) by Gauss-Jordan elimination. */
const solve = (a: readonly number[][], b: readonly number[]): number[] => {
  const n = b.length;
  const m = a.map((row, i) => [...row, at(b, i)]);
  for (let col = 0; col < n; col += 1) {
    const pivot = m[col] as number[];
    if (at(pivot, col) === 0) continue;
    for (let r = 0; r < n; r += 1) {
      const row = m[r] as number[];
      const f = r === col ? 0 : at(row, col) / at(pivot, col);
      for (let c = col; c <= n; c += 1) row[c] = at(row, c) - f * at(pivot, c);
    }
  }
  return m.map((row, i) => (at(row, i) === 0 ? 0 : at(row, n) / at(row, i)));
};

const standardiser = (rows: readonly number[][]) => {
  const d = rows[0]?.length ?? 0;
  const means = Array.from({ length: d }, (_, j) => {
    let sum = 0;
    for (const row of rows) sum += row[j] ?? 0;
    return sum / Math.max(1, rows.length);
  });
  const scales = means.map((mean, j) => {
    let sum = 0;
    for (const row of rows) sum += ((row[j] ?? 0) - mean) ** 2;
    return Math.sqrt(sum / Math.max(1, rows.length));
  });
  return { means, scales };
};

const standardise = (row: readonly number[], means: readonly number[], scales: readonly number[]) =>
  row.map((v, j) => ((scales[j] ?? 0) > 0 ? (v - (means[j] ?? 0)) / (scales[j] ?? 1) : 0));

/** Fits the model; `l2` is the ridge penalty on the weights (never on the intercept). */
export const fitLogistic = (
  rows: readonly number[][],
  labels: readonly number[],
  l2 = 1,
  iterations = 25,
): LogisticModel => {
  const { means, scales } = standardiser(rows);
  const x = rows.map((r) => [1, ...standardise(r, means, scales)]);
  const d = (rows[0]?.length ?? 0) + 1;
  let beta: number[] = Array.from({ length: d }, () => 0);
  for (let it = 0; it < iterations; it += 1) {
    const gradient = beta.map((b, j) => (j === 0 ? 0 : l2 * b));
    const hessian = beta.map((_, j) => beta.map((__, k) => (j === k && j > 0 ? l2 : 0)));
    x.forEach((xi, i) => {
      const p = sigmoid(xi.reduce((s, v, j) => s + v * (beta[j] ?? 0), 0));
      const w = Math.max(p * (1 - p), 1e-9);
      const err = p - (labels[i] ?? 0);
      for (let j = 0; j < d; j += 1) {
        gradient[j] = (gradient[j] ?? 0) + err * (xi[j] ?? 0);
        const hj = hessian[j] ?? [];
        for (let k = 0; k < d; k += 1) hj[k] = (hj[k] ?? 0) + w * (xi[j] ?? 0) * (xi[k] ?? 0);
      }
    });
    const step = solve(hessian, gradient);
    beta = beta.map((b, j) => b - (step[j] ?? 0));
    if (Math.max(...step.map(Math.abs)) < 1e-8) break;
  }
  return { means, scales, intercept: beta[0] ?? 0, weights: beta.slice(1) };
};

/** Per-feature contributions to the log-odds (weight × standardised value). */
export const contributions = (model: LogisticModel, row: readonly number[]): number[] =>
  standardise(row, model.means, model.scales).map((v, j) => v * (model.weights[j] ?? 0));

export const predict = (model: LogisticModel, row: readonly number[]): number =>
  sigmoid(model.intercept + contributions(model, row).reduce((a, b) => a + b, 0));
