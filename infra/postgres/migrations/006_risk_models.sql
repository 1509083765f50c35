-- Abandonment-risk models, versioned. `body` is what scoring needs (weights, scaling, medians,
-- threshold); `evaluation` is the held-out report next to the majority baseline. At most one
-- active model per scope (a tenant, or '' for the model every tenant falls back to).
CREATE TABLE IF NOT EXISTS waymark.risk_models (
  version serial PRIMARY KEY,
  scope text NOT NULL,
  algorithm text NOT NULL,
  body jsonb NOT NULL,
  evaluation jsonb NOT NULL,
  trained_at timestamptz NOT NULL DEFAULT now(),
  active boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX IF NOT EXISTS risk_models_one_active ON waymark.risk_models (scope) WHERE active;
