import type { OnboardingCommand } from '../../../events/onboarding/commands';
import { decide } from '../../../events/onboarding/decide';
import { DomainError, type DomainErrorCode } from '../../../events/onboarding/errors';
import type { OnboardingEvent } from '../../../events/onboarding/events';
import { fold } from '../../../events/onboarding/state';

/** given(past events).when(command).then(new events) | thenFails(code): the decider as a spec. */
export const given = (history: readonly OnboardingEvent[]) => ({
  when: (command: OnboardingCommand) => {
    const run = () => decide(command, fold(history));
    return {
      then: (expected: readonly OnboardingEvent[]) => expect(run()).toEqual(expected),
      /** Fails with `code` (and, when given, exactly this message: clients see it). */
      thenFails: (code: DomainErrorCode, message?: string) => {
        let caught: unknown;
        try {
          run();
        } catch (error) {
          caught = error;
        }
        expect(caught).toBeInstanceOf(DomainError);
        expect((caught as DomainError).code).toBe(code);
        if (message !== undefined) expect((caught as DomainError).message).toBe(message);
      },
    };
  },
});
