/** An error with its HTTP answer: status, a stable code, a safe detail and optional extra fields. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly options: Readonly<{
      extra?: Readonly<Record<string, unknown>>;
      fieldErrors?: Readonly<Record<string, string[]>>;
    }> = {},
  ) {
    super(detail);
  }

  get extra(): Readonly<Record<string, unknown>> {
    return this.options.extra ?? {};
  }

  get fieldErrors(): Readonly<Record<string, string[]>> {
    return this.options.fieldErrors ?? {};
  }
}
