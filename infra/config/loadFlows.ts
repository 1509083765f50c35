import { readFile } from 'node:fs/promises';
import { defaultFlow, flowProblems, type Flow } from '../../events/onboarding/flows';
import { ConfigError } from './loadConfig';

/**
 * Flow definitions: the built-in default flow plus any in FLOWS_FILE, a JSON array of
 * `{ "id", "version", "steps": [...] }`. Invalid files stop the process at start-up.
 */
export const loadFlows = async (file: string | undefined): Promise<ReadonlyMap<string, Flow>> => {
  const flows = new Map<string, Flow>([[defaultFlow.id, defaultFlow]]);
  if (file === undefined) return flows;
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`FLOWS_FILE cannot be read as JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new ConfigError('FLOWS_FILE must hold a JSON array of flows');
  for (const candidate of parsed as Flow[]) {
    const problems = flowProblems(candidate);
    if (problems.length > 0)
      throw new ConfigError(`flow ${String(candidate.id)}: ${problems.join('; ')}`);
    flows.set(candidate.id, {
      id: candidate.id,
      version: candidate.version,
      steps: [...candidate.steps],
    });
  }
  return flows;
};
