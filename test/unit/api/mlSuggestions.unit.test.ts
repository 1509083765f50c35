import { createInMemoryEventStore } from '../../../infra/eventStore/inMemoryEventStore';
import { loadConfig } from '../../../infra/config/loadConfig';
import { apiDocument } from '../../../services/api/contract/apiDocument';
import { buildTestApp } from '../../support/apiHarness';

/** ERROR_RECOVERY_ENABLE_ML_SUGGESTIONS: read and validated, no effect, and says so. */
describe('ERROR_RECOVERY_ENABLE_ML_SUGGESTIONS', () => {
  const warned = (env: Record<string, string>) =>
    buildTestApp(createInMemoryEventStore(), { env }).logLines.some((l) =>
      l.includes('ERROR_RECOVERY_ENABLE_ML_SUGGESTIONS=true has no effect'),
    );

  it('is off by default; true starts the API with a warning that it does nothing', () => {
    expect(warned({})).toBe(false);
    expect(warned({ ERROR_RECOVERY_ENABLE_ML_SUGGESTIONS: 'true' })).toBe(true);
  });

  it('refuses a value that is not a boolean', () => {
    expect(() => loadConfig({ ERROR_RECOVERY_ENABLE_ML_SUGGESTIONS: 'maybe' })).toThrow(
      /ERROR_RECOVERY_ENABLE_ML_SUGGESTIONS/,
    );
  });

  it('the OpenAPI document says why it does not apply', () => {
    expect(apiDocument().info.description).toContain(
      "The seed's ERROR_RECOVERY_ENABLE_ML_SUGGESTIONS does not apply",
    );
  });
});
