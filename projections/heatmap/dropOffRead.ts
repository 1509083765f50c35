import type { SqlExecutor } from '../../infra/postgres/sqlClient';
import { splitPeriod } from '../funnel/funnelRead';
import { dropOffMatrix, type SessionScope } from '../sessionSummary/funnelQueries';
import { readDropOffDays, type DropOffCell } from './dropOffTable';

/**
 * Dropped sessions of a period by time bucket of their last activity × the stage they dropped
 * at: the whole UTC days of start from the heatmap read model (`dropOffTable`), the partial days
 * at the edges from the session summaries (`scope.table`), added per cell. Both are written in
 * one transaction, so they agree.
 */
export const readDropOffCells = async (
  sql: SqlExecutor,
  dropOffTable: string,
  scope: SessionScope,
  unit: 'hour' | 'day' | 'week',
): Promise<DropOffCell[]> => {
  const { days, edges } = splitPeriod(scope.from, scope.to);
  const parts = await Promise.all([
    ...(days === null ? [] : [readDropOffDays(sql, dropOffTable, { ...scope, ...days, unit })]),
    ...edges.map((edge) => dropOffMatrix(sql, { ...scope, ...edge }, unit)),
  ]);
  const cells = new Map<string, DropOffCell>();
  for (const c of parts.flat()) {
    const id = `${c.bucket}|${c.stage}`;
    cells.set(id, { ...c, count: (cells.get(id)?.count ?? 0) + c.count });
  }
  return [...cells.values()].sort((a, b) =>
    a.bucket === b.bucket ? a.stage - b.stage : a.bucket < b.bucket ? -1 : 1,
  );
};
