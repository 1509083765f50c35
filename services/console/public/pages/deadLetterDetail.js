// One dead letter inspected: its error, category, retry history and the event as the API shows it.
import { h, table } from '../app/dom.js';

export const inspectView = (t) =>
  h(
    'div',
    { 'data-section': 'dlq-detail' },
    table(
      'Dead letter',
      ['Field', 'Value'],
      [
        ['Task', t.task_id],
        ['Status', t.status],
        ['Category', t.category],
        ['Error type', t.error_type],
        ['Error', t.error_message],
        ['Attempts', String(t.attempts ?? '—')],
        ['First failed', t.first_failed_at],
        ['Last failed', t.last_failed_at],
        ['Session', t.session_id],
      ],
    ),
    h('h3', {}, 'Retry history'),
    (t.retry_history ?? []).length === 0
      ? h('p', {}, 'Not retried yet.')
      : table(
          'Retry history',
          ['#', 'When', 'Who', 'Outcome', 'Error'],
          t.retry_history.map((r) => [String(r.attempt), r.timestamp, r.actor, r.outcome, r.error]),
        ),
    h('h3', {}, 'Event (personal fields masked by the API)'),
    h(
      'pre',
      {},
      JSON.stringify(
        { task_args: t.task_args, task_kwargs: t.task_kwargs, context: t.context },
        null,
        2,
      ),
    ),
    t.traceback
      ? h('details', {}, h('summary', {}, 'Stack (frames only)'), h('pre', {}, t.traceback))
      : null,
  );
