/**
 * Stream naming. Message DB takes the category as the part before the first dash, so categories
 * never contain a dash: `onboarding-<sessionId>`.
 */
export const onboardingCategory = 'onboarding';

export const onboardingStream = (sessionId: string): string => `${onboardingCategory}-${sessionId}`;

export const categoryOf = (streamName: string): string => streamName.split('-', 1)[0] ?? streamName;

/** The id part of a stream name (everything after the first dash). */
export const streamId = (streamName: string): string => {
  const dash = streamName.indexOf('-');
  return dash < 0 ? '' : streamName.slice(dash + 1);
};
