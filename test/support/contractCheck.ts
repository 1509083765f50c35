import { contractViolations } from './contractValidator';

/**
 * After every test: the API responses it saw must all be documented in the OpenAPI document
 * (test/support/contractValidator.ts wraps every app the harness builds).
 */
afterEach(() => {
  const found = contractViolations.splice(0);
  if (found.length > 0) {
    throw new Error(`responses not in the OpenAPI document:\n${[...new Set(found)].join('\n')}`);
  }
});
