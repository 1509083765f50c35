/**
 * Builds a WHERE clause from optional conditions: each `?` becomes the next bound parameter, so
 * values are never spliced into SQL. `build()` gives the clause ('' when empty) and the values.
 */
export const whereBuilder = () => {
  const clauses: string[] = [];
  const params: unknown[] = [];
  return {
    add(condition: string, value: unknown) {
      params.push(value);
      clauses.push(condition.replace('?', `$${params.length}`));
    },
    build: (): [string, unknown[]] => [
      clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '',
      params,
    ],
  };
};
