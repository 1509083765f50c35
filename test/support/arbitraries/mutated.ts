import fc from 'fast-check';
import { jsonValue, leaf, oddString } from './json';

/**
 * Valid-then-mutated inputs: a fuzzer whose inputs are all invalid only ever tests the validator.
 * `mostlyValid(valid)` yields the valid value as it is about half the time, and otherwise the
 * same value with one small change somewhere inside it (a key dropped, a key added, a value
 * replaced by an odd one, an array element removed or duplicated), or, rarely, arbitrary JSON.
 */

type Json = unknown;

/** One change, applied at the node reached by following `path` (indices taken modulo size). */
type Mutation =
  | Readonly<{ kind: 'drop'; path: readonly number[] }>
  | Readonly<{ kind: 'add'; path: readonly number[]; key: string; value: Json }>
  | Readonly<{ kind: 'replace'; path: readonly number[]; value: Json }>
  | Readonly<{ kind: 'duplicate'; path: readonly number[] }>;

const isObject = (v: Json): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const childKeys = (v: Json): (string | number)[] =>
  Array.isArray(v) ? v.map((_, i) => i) : isObject(v) ? Object.keys(v) : [];

/** The value with `change` applied to the child chosen by `path` (a copy; the input is kept). */
const applyAt = (
  value: Json,
  path: readonly number[],
  change: (parent: Json, key: string | number) => Json,
): Json => {
  const keys = childKeys(value);
  if (keys.length === 0) return change(value, -1);
  const key = keys[(path[0] ?? 0) % keys.length] as string | number;
  const child = (value as Record<string | number, Json>)[key];
  // Descend while the path goes on and the child has children; else change here.
  if (path.length > 1 && childKeys(child).length > 0) {
    const updated = applyAt(child, path.slice(1), change);
    return Array.isArray(value)
      ? (value as Json[]).map((v, i): Json => (i === key ? updated : v))
      : { ...(value as object), [key]: updated };
  }
  return change(value, key);
};

const without = (parent: Json, key: string | number): Json => {
  if (Array.isArray(parent)) return parent.filter((_, i) => i !== key);
  if (!isObject(parent)) return parent;
  const copy = { ...parent };
  delete copy[key as string];
  return copy;
};

export const applyMutation = (value: Json, m: Mutation): Json => {
  switch (m.kind) {
    case 'drop':
      return applyAt(value, m.path, without);
    case 'add':
      return applyAt(value, m.path, (parent) =>
        isObject(parent) ? { ...parent, [m.key]: m.value } : parent,
      );
    case 'replace':
      return applyAt(value, m.path, (parent, key) => {
        if (key === -1) return m.value;
        if (Array.isArray(parent))
          return (parent as Json[]).map((v, i): Json => (i === key ? m.value : v));
        return isObject(parent) ? { ...parent, [key]: m.value } : m.value;
      });
    case 'duplicate':
      return applyAt(value, m.path, (parent, key) =>
        Array.isArray(parent) ? [...parent, parent[key as number]] : parent,
      );
  }
};

const path = fc.array(fc.nat(), { minLength: 1, maxLength: 4 });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), path }),
  fc.record({
    kind: fc.constant('add' as const),
    path,
    key: fc.oneof(fc.constantFrom('extra', '__proto__', 'constructor', 'tenant_id'), oddString),
    value: jsonValue,
  }),
  fc.record({ kind: fc.constant('replace' as const), path, value: leaf }),
  fc.record({ kind: fc.constant('replace' as const), path, value: jsonValue }),
  fc.record({ kind: fc.constant('duplicate' as const), path }),
);

/** A generated input and whether it was left valid (`mutated: false`) or changed. */
export type Fuzzed<T> = Readonly<{ body: Json; valid: T; mutated: boolean }>;

export const mostlyValid = <T>(valid: fc.Arbitrary<T>): fc.Arbitrary<Fuzzed<T>> =>
  fc.oneof(
    { arbitrary: valid.map((v) => ({ body: v, valid: v, mutated: false })), weight: 10 },
    {
      arbitrary: fc
        .tuple(valid, mutation)
        .map(([v, m]) => ({ body: applyMutation(v, m), valid: v, mutated: true })),
      weight: 8,
    },
    {
      arbitrary: fc.tuple(valid, jsonValue).map(([v, j]) => ({ body: j, valid: v, mutated: true })),
      weight: 1,
    },
  );

/**
 * Counts outcomes of a fuzzing property, so the test can require that the generator reached the
 * success path (a property that sees no 2xx tests only the validator), and prints the counts.
 */
export const createTally = (name: string) => {
  const counts = { runs: 0, success: 0, clientError: 0 };
  const errors = new Map<string, number>();
  return {
    /** One response: its status and, for an error, the envelope's `error` code. */
    record(status: number, error?: unknown): void {
      counts.runs += 1;
      if (status >= 200 && status < 300) counts.success += 1;
      else if (status >= 400 && status < 500) counts.clientError += 1;
      if (typeof error === 'string') errors.set(error, (errors.get(error) ?? 0) + 1);
    },
    /** How often each error code was answered. */
    errors,
    counts,
    /** Requires at least `minShare` of the runs to have succeeded, and some to have been refused. */
    expectReached(minShare: number): void {
      console.info(
        `fuzz ${name}: ${counts.success} of ${counts.runs} reached 2xx, ${counts.clientError} 4xx ` +
          JSON.stringify(Object.fromEntries(errors)),
      );
      expect(counts.runs).toBeGreaterThan(0);
      expect(counts.success / counts.runs).toBeGreaterThanOrEqual(minShare);
      expect(counts.clientError).toBeGreaterThan(0);
    },
  };
};
