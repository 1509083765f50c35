import { z } from 'zod';

/** Shapes several features' responses share. */
export const isoDate = z.iso.datetime({ offset: true });
export const count = z.number().int().min(0);
/** Percentages are 0–100 across the API. */
export const percent = z.number().min(0).max(100).describe('percent, 0–100');
export const anyObject = z.record(z.string(), z.unknown());
export const sessionIdPath = z.uuid().describe('a session id (UUID, any case)');
