/**
 * Held-out metrics for a binary scorer. Positive = the session was lost (abandoned/cancelled).
 * ROC-AUC by ranks (ties averaged); PR-AUC as average precision; F1 of the positive (minority)
 * class at a threshold; calibration in ten equal-width bins of predicted probability.
 */
/**
 * A NaN score is a bug upstream (a model that diverged), not a rank: it would also never equal
 * itself, so the tie loops below would not advance. Refused loudly instead.
 */
const requireScores = (scores: readonly number[]): void => {
  if (scores.some((s) => Number.isNaN(s))) throw new RangeError('a score is NaN');
};

export const rocAuc = (scores: readonly number[], labels: readonly number[]): number | null => {
  requireScores(scores);
  const order = scores.map((s, i) => ({ s, y: labels[i] ?? 0 })).sort((a, b) => a.s - b.s);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j < order.length && order[j]?.s === order[i]?.s) j += 1;
    const avgRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k += 1) {
      if (order[k]?.y === 1) {
        rankSum += avgRank;
        positives += 1;
      }
    }
    i = j;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
};

/** Average precision: the mean of precision at each positive, ranked by score (ties together). */
export const averagePrecision = (scores: readonly number[], labels: readonly number[]) => {
  requireScores(scores);
  const order = scores.map((s, i) => ({ s, y: labels[i] ?? 0 })).sort((a, b) => b.s - a.s);
  const total = order.filter((o) => o.y === 1).length;
  if (total === 0) return null;
  let tp = 0;
  let seen = 0;
  let ap = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    let groupPositives = 0;
    while (j < order.length && order[j]?.s === order[i]?.s) {
      groupPositives += order[j]?.y === 1 ? 1 : 0;
      j += 1;
    }
    tp += groupPositives;
    seen = j;
    ap += (groupPositives / total) * (tp / seen);
    i = j;
  }
  return ap;
};

export const f1At = (scores: readonly number[], labels: readonly number[], threshold: number) => {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  scores.forEach((s, i) => {
    const predicted = s >= threshold;
    const actual = labels[i] === 1;
    if (predicted && actual) tp += 1;
    else if (predicted) fp += 1;
    else if (actual) fn += 1;
  });
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { f1, precision, recall };
};

/** The threshold that maximises F1 on the given (training) data. */
export const bestThreshold = (scores: readonly number[], labels: readonly number[]): number => {
  let best = { threshold: 0.5, f1: -1 };
  for (let t = 0.02; t < 0.99; t += 0.01) {
    const { f1 } = f1At(scores, labels, t);
    if (f1 > best.f1) best = { threshold: Math.round(t * 100) / 100, f1 };
  }
  return best.threshold;
};

export const calibration = (scores: readonly number[], labels: readonly number[], bins = 10) =>
  Array.from({ length: bins }, (_, b) => {
    const lo = b / bins;
    const hi = (b + 1) / bins;
    const idx = scores.flatMap((s, i) =>
      s >= lo && (s < hi || (b === bins - 1 && s <= hi)) ? [i] : [],
    );
    const mean = (xs: number[]) =>
      xs.length === 0 ? null : xs.reduce((a, c) => a + c, 0) / xs.length;
    return {
      bin: `${lo.toFixed(1)}-${hi.toFixed(1)}`,
      count: idx.length,
      mean_predicted: mean(idx.map((i) => scores[i] ?? 0)),
      observed_rate: mean(idx.map((i) => labels[i] ?? 0)),
    };
  });

const round = (v: number | null) => (v === null ? null : Math.round(v * 10_000) / 10_000);

/** Everything the README table and the stored model report. */
export const evaluate = (
  scores: readonly number[],
  labels: readonly number[],
  threshold: number,
) => {
  const f = f1At(scores, labels, threshold);
  return {
    roc_auc: round(rocAuc(scores, labels)),
    pr_auc: round(averagePrecision(scores, labels)),
    f1_minority: round(f.f1),
    precision: round(f.precision),
    recall: round(f.recall),
    threshold,
  };
};
