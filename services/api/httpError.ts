/** An error with its HTTP answer: status, a stable code, a safe detail and optional extra fields. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly extra: Readonly<Record<string, unknown>> = {},
    readonly fieldErrors: Readonly<Record<string, string[]>> = {},
  ) {
    super(detail);
  }
}
