/** The import's progress line: share of the file read, cases and their rate, and the ETA. */
export const progressLine = (
  p: Readonly<{ done: number; total: number; cases: number; elapsedMs: number }>,
): string => {
  const width = 30;
  const share = p.total === 0 ? 1 : Math.min(1, p.done / p.total);
  const filled = Math.round(width * share);
  const seconds = p.elapsedMs / 1000;
  const rate = seconds > 0 ? p.cases / seconds : 0;
  // The remaining bytes at the bytes-per-second so far (cases vary in size, bytes do not lie).
  const eta = p.done > 0 && seconds > 0 ? ((p.total - p.done) * seconds) / p.done : null;
  const etaText = eta === null ? '?' : `${Math.max(0, Math.round(eta))} s`;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(100 * share).toFixed(1)}% ${p.cases} cases, ${rate.toFixed(0)} cases/s, ETA ${etaText}`;
};
