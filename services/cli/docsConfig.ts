import path from 'node:path';
import { renderConfigReference } from '../../infra/config/configReference';
import { writeOrCheck } from './generatedFile';

/**
 * npm run docs:config [-- --check]
 * Writes the configuration reference rendered from the schema to infra/config/README.md; with
 * --check, writes nothing and exits 1 when the committed file differs.
 */
writeOrCheck(
  path.join(__dirname, '..', '..', 'infra', 'config', 'README.md'),
  renderConfigReference,
  'npm run docs:config',
);
