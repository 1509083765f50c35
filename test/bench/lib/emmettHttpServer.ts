import http from 'node:http';
import { CommandHandler } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import express from 'express';
import type { OnboardingCommand } from '../../../events/onboarding/commands';
import { decide } from '../../../events/onboarding/decide';
import type { OnboardingEvent } from '../../../events/onboarding/events';
import { evolve, initialState, type OnboardingState } from '../../../events/onboarding/state';
import { onboardingStream } from '../../../events/streamNames';

/**
 * The HTTP-level peer: a minimal Express 5 app around Emmett 0.42's CommandHandler running
 * Waymark's decider (Emmett's own Express package does not install beside 0.42). One route,
 * `POST /sessions/:id/events/` with Waymark's body shape for `question_asked`; no auth, no rate
 * limit, no schema validation beyond the shape, no sealing: what Waymark does on top is the point
 * of the comparison. argv: database url. Prints `listening <port>`.
 */
const store = getPostgreSQLEventStore(process.argv[2] ?? '');
const handle = CommandHandler<OnboardingState, OnboardingEvent>({
  evolve: (state, event) => evolve(state, event),
  initialState,
});

type Body = { events?: { type?: string; step?: string; question_id?: string }[] };

const app = express();
app.use(express.json());
app.post('/sessions/:id/events/', async (req, res) => {
  const activity = (req.body as Body).events?.[0];
  if (activity?.type !== 'question_asked' || !activity.step || !activity.question_id) {
    res.status(400).json({ error: 'bad_request' });
    return;
  }
  const command: OnboardingCommand = {
    type: 'AskQuestion',
    data: { step: activity.step, questionId: activity.question_id },
    metadata: { now: new Date().toISOString(), correlationId: 'peer' },
  };
  try {
    const result = await handle(store, onboardingStream(req.params.id), (s) => decide(command, s));
    res.status(201).json({ version: Number(result.nextExpectedStreamVersion) - 1 });
  } catch {
    res.status(409).json({ error: 'conflict' });
  }
});

const server = http.createServer(app);
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.once('SIGTERM', () => server.close(() => void store.close().then(() => process.exit(0))));
