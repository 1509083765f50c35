import type { SqlClient, SqlExecutor } from './sqlClient';

export type StoredRiskModel = Readonly<{
  version: number;
  scope: string;
  algorithm: string;
  body: unknown;
  evaluation: unknown;
  trainedAt: string;
}>;

type Row = {
  version: number;
  scope: string;
  algorithm: string;
  body: unknown;
  evaluation: unknown;
  trained_at: Date | string;
};

const parsed = (value: unknown): unknown =>
  typeof value === 'string' ? (JSON.parse(value) as unknown) : value;

/** Stores a new model version; with `activate` it replaces the scope's active model atomically. */
export const saveRiskModel = async (
  sql: SqlClient,
  model: Readonly<{ scope: string; algorithm: string; body: unknown; evaluation: unknown }>,
  activate: boolean,
): Promise<number> =>
  sql.transaction(async (tx) => {
    if (activate)
      await tx.query('UPDATE waymark.risk_models SET active = false WHERE scope = $1 AND active', [
        model.scope,
      ]);
    const [row] = await tx.query<{ version: number }>(
      `INSERT INTO waymark.risk_models (scope, algorithm, body, evaluation, active)
       VALUES ($1, $2, $3::jsonb, $4::jsonb, $5) RETURNING version`,
      [
        model.scope,
        model.algorithm,
        JSON.stringify(model.body),
        JSON.stringify(model.evaluation),
        activate,
      ],
    );
    return Number(row?.version);
  });

/** The active model of a tenant, else the fallback ('' scope) model, else null. */
export const activeRiskModel = async (
  sql: SqlExecutor,
  tenantId: string,
): Promise<StoredRiskModel | null> => {
  const [row] = await sql.query<Row>(
    `SELECT version, scope, algorithm, body, evaluation, trained_at FROM waymark.risk_models
      WHERE active AND scope IN ($1, '') ORDER BY scope DESC LIMIT 1`,
    [tenantId],
  );
  if (row === undefined) return null;
  return {
    version: row.version,
    scope: row.scope,
    algorithm: row.algorithm,
    body: parsed(row.body),
    evaluation: parsed(row.evaluation),
    trainedAt: new Date(row.trained_at).toISOString(),
  };
};
