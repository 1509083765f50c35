import { pct } from './units';

export type Granularity = 'hourly' | 'daily' | 'weekly';
type Cell = Readonly<{ bucket: string; stage: number; count: number }>;
type Starts = Readonly<{ bucket: string; total: number; completed: number }>;
type HeatmapBody = Readonly<{
  granularity: Granularity;
  stages: readonly string[];
  buckets: readonly string[];
  matrix: readonly (readonly number[])[];
  time_range: Readonly<{ start_date: string; end_date: string }>;
}>;

const spanMs = { hourly: 3_600_000, daily: 86_400_000, weekly: 7 * 86_400_000 } as const;

/** The documented bucket labels: `YYYY-MM-DD HH:00`, `YYYY-MM-DD`, `Week of YYYY-MM-DD` (UTC). */
export const bucketLabel = (iso: string, g: Granularity): string =>
  g === 'hourly'
    ? `${iso.slice(0, 10)} ${iso.slice(11, 13)}:00`
    : g === 'daily'
      ? iso.slice(0, 10)
      : `Week of ${iso.slice(0, 10)}`;

const hourLabel = (h: number) =>
  `${String(h).padStart(2, '0')}:00-${String((h + 1) % 24).padStart(2, '0')}:00`;

/** Hour of day (UTC) with the most and the fewest drop-offs; null when nothing dropped. */
export const dropOffHours = (hourly: readonly Cell[]) => {
  const byHour = Array.from({ length: 24 }, () => 0);
  for (const c of hourly) {
    const h = new Date(c.bucket).getUTCHours();
    byHour[h] = (byHour[h] ?? 0) + c.count;
  }
  if (byHour.every((n) => n === 0)) return { highest: null, lowest: null };
  const max = Math.max(...byHour);
  const min = Math.min(...byHour);
  return { highest: hourLabel(byHour.indexOf(max)), lowest: hourLabel(byHour.indexOf(min)) };
};

/** The heatmap with the documented `heatmap_data[]` and summary fields added. */
export const heatmapView = <B extends HeatmapBody>(
  body: B,
  starts: readonly Starts[],
  hourly: readonly Cell[],
) => {
  const g = body.granularity;
  const buckets = [...new Set([...starts.map((s) => s.bucket), ...body.buckets])].sort();
  const rowOf = (b: string) => body.matrix[body.buckets.indexOf(b)] ?? [];
  const heatmapData = buckets.map((b) => {
    const row = rowOf(b);
    const started = starts.find((s) => s.bucket === b);
    const byStage = Object.fromEntries(body.stages.map((stage, i) => [stage, row[i] ?? 0]));
    return {
      time_bucket: bucketLabel(b, g),
      time_period: bucketLabel(b, g),
      start: b,
      end: new Date(Date.parse(b) + spanMs[g]).toISOString(),
      sessions_started: started?.total ?? 0,
      total_sessions: started?.total ?? 0,
      completion_rate: started === undefined ? null : pct(started.completed, started.total),
      drop_offs: row.reduce((a, n) => a + n, 0),
      drop_offs_by_stage: byStage,
      stage_counts: body.stages.map((stage, i) => ({ stage, count: row[i] ?? 0 })),
    };
  });
  const dropped = body.matrix.flat().reduce((a, n) => a + n, 0);
  const started = starts.reduce((a, s) => a + s.total, 0);
  const hours = dropOffHours(hourly);
  return {
    ...body,
    heatmap_data: heatmapData,
    overall_drop_off_rate: pct(dropped, started),
    overall_drop_offs: Object.fromEntries(
      body.stages.map((stage, i) => [stage, body.matrix.reduce((a, row) => a + (row[i] ?? 0), 0)]),
    ),
    highest_drop_off_hour: hours.highest,
    lowest_drop_off_hour: hours.lowest,
    time_analysis: { peak_drop_off_hour: hours.highest, lowest_drop_off_hour: hours.lowest },
    error_patterns: null,
    period: { start: body.time_range.start_date, end: body.time_range.end_date },
    time_range: {
      ...body.time_range,
      start: body.time_range.start_date,
      end: body.time_range.end_date,
      granularity: g,
    },
  };
};
