/**
 * Flows: the ordered steps a session follows. A session copies its flow's steps into its
 * SessionStarted event, so later changes to a flow definition never rewrite history.
 */
export type Flow = Readonly<{ id: string; version: number; steps: readonly string[] }>;

/** The built-in flow: the steps between "started" and "completed". */
export const defaultFlow: Flow = {
  id: 'default',
  version: 1,
  steps: ['information_collection', 'recommendation_review', 'approval'],
};

const identifier = /^[a-z][a-z0-9_]{0,63}$/;

/** Checks an operator-defined flow; returns the problems found (empty when valid). */
export const flowProblems = (flow: Flow): string[] => {
  const problems: string[] = [];
  if (!identifier.test(flow.id)) problems.push(`flow id "${flow.id}" must match ${identifier}`);
  if (!Number.isInteger(flow.version) || flow.version < 1) problems.push('version must be >= 1');
  if (flow.steps.length === 0) problems.push('a flow needs at least one step');
  const bad = flow.steps.filter((step) => !identifier.test(step));
  if (bad.length > 0) problems.push(`bad step names: ${bad.join(', ')}`);
  if (new Set(flow.steps).size !== flow.steps.length) problems.push('step names must be unique');
  return problems;
};
