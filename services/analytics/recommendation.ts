/** One recommendation: what to look at, how sure the data is, and the numbers behind it. */
export type Recommendation = Readonly<{
  type:
    | 'largest_drop_off'
    | 'slowest_step'
    | 'errors_with_drop_off'
    | 'upload_rejections_with_drop_off'
    | 'rate_limits_with_drop_off'
    | 'period_change'
    | 'transition_change';
  stage: string;
  message: string;
  /** 1 − p-value of the test named in `evidence.test` (README: "How confidence is computed"). */
  confidence: number;
  evidence: Readonly<Record<string, number | string | null>>;
}>;
