// A recommendation's evidence (counts, rates, the test, the p-value) as a small table.
import { formatNumber, table } from '../app/dom.js';

export const evidenceTable = (evidence) =>
  table(
    'Evidence',
    ['Evidence', 'Value'],
    Object.entries(evidence ?? {}).map(([k, v]) => [
      k,
      typeof v === 'number' ? { num: v } : formatNumber(v),
    ]),
  );
