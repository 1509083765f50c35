import { analyticsRouteSpecs } from '../../analytics/contract';
import { dlqRouteSpecs } from '../../dlq/contract';
import { healthRouteSpecs } from '../../health/contract';
import { privacyRouteSpecs } from '../../privacy/contract';
import { recoveryRouteSpecs } from '../../recovery/contract';
import { replayRouteSpecs } from '../../replay/contract';
import { riskRouteSpecs } from '../../risk/contract';
import { sessionRouteSpecs } from '../../sessions/contract';
import { uploadRouteSpecs } from '../../uploads/contract';
import { docsRouteSpecs } from './docsContract';
import type { RouteSpec } from './routeSpec';

/** Every route of the API as the OpenAPI document describes it (a test diffs it with the app). */
export const allRouteSpecs: readonly RouteSpec[] = [
  ...healthRouteSpecs,
  ...docsRouteSpecs,
  ...sessionRouteSpecs,
  ...recoveryRouteSpecs,
  ...uploadRouteSpecs,
  ...riskRouteSpecs,
  ...replayRouteSpecs,
  ...analyticsRouteSpecs,
  ...privacyRouteSpecs,
  ...dlqRouteSpecs,
];
