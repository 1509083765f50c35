// Session replay: the timeline of one session from its event stream, and a slider over its events
// that asks the API for the session as of that event's time (`as_of`). Event data is shown exactly
// as the API returns it: personal fields arrive already masked ({ "masked": true }).
import { get } from '../app/api.js';
import { h, replace, table } from '../app/dom.js';
import { empty, failure, loading, section } from '../app/states.js';
import { field } from './controls.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const dataCell = (data) => {
  const json = JSON.stringify(data);
  return json.includes('"masked":true')
    ? h('code', { class: 'masked', title: 'personal fields masked by the API' }, json)
    : h('code', {}, json);
};

const showState = (r) => {
  if (r.state_as_of === null) return empty('The session had no events yet at this time.');
  const s = r.state_as_of;
  return h(
    'div',
    { 'data-section': 'state' },
    table(
      'Session state at this time',
      ['As of', 'Status', 'Current step', 'Version', 'Events'],
      [
        [
          r.as_of ?? 'now',
          h('span', { 'data-state-field': 'status' }, String(s.current_state ?? s.status ?? '—')),
          h('span', { 'data-state-field': 'current_step' }, String(s.current_step ?? '—')),
          h('span', { 'data-state-field': 'version' }, String(s.version ?? '—')),
          h('span', { 'data-state-field': 'events' }, String(r.timeline.length)),
        ],
      ],
    ),
    h(
      'details',
      {},
      h('summary', {}, 'Whole state as the API returned it'),
      h('pre', {}, JSON.stringify(s, null, 2)),
    ),
  );
};

const showTimeline = (timeline) =>
  table(
    'Timeline',
    ['#', 'Time', 'Event', 'Data'],
    timeline.map((e) => [{ num: e.position }, e.timestamp, e.event_type, dataCell(e.data)]),
  );

const viewer = (out, sessionId) => {
  const path = `/dashboard/session-replay/${encodeURIComponent(sessionId)}/`;
  return section(
    out,
    () => get(path),
    (whole) => {
      if (whole.timeline.length === 0) return empty('This session has no events.');
      const times = whole.timeline.map((e) => e.timestamp);
      const last = times.length - 1;
      const slider = h('input', {
        id: 'as-of',
        name: 'as-of',
        type: 'range',
        min: 0,
        max: last,
        step: 1,
        value: last,
        'aria-valuetext': times[last],
      });
      const label = h('output', { for: 'as-of', 'data-figure': 'as-of' }, times[last]);
      const at = h('div');
      const move = () => {
        const t = times[Number(slider.value)];
        label.textContent = t;
        slider.setAttribute('aria-valuetext', t);
        void section(
          at,
          () => get(path, { as_of: t }),
          (r) =>
            h(
              'div',
              {},
              showState(r),
              h('h2', {}, 'Events up to this time'),
              showTimeline(r.timeline),
            ),
        );
      };
      slider.addEventListener('change', move);
      slider.addEventListener('input', () => (label.textContent = times[Number(slider.value)]));
      const summary = whole.session_summary ?? {};
      const box = h(
        'div',
        {},
        h(
          'p',
          {},
          `Started ${summary.started_at ?? '—'}, ${whole.timeline.length} events, now ${summary.current_state ?? '—'}.`,
        ),
        h('div', { class: 'controls' }, field('Time (as of event)', slider), label),
        at,
      );
      replace(
        at,
        showState(whole),
        h('h2', {}, 'Events up to this time'),
        showTimeline(whole.timeline),
      );
      return box;
    },
  );
};

export const render = (root, [initial = '']) => {
  const input = h('input', {
    id: 'session-id',
    name: 'session-id',
    value: initial,
    size: 40,
    autocomplete: 'off',
    pattern: uuid.source,
  });
  const out = h(
    'div',
    {},
    initial === ''
      ? empty('Enter a session id (from Live or Dead letters) to replay it.')
      : loading(),
  );
  const go = (id) => {
    if (!uuid.test(id)) return replace(out, failure({ message: 'a session id is a UUID' }));
    if (location.hash !== `#/replay/${id}`) history.replaceState(null, '', `#/replay/${id}`);
    void viewer(out, id);
  };
  root.append(
    h('h1', {}, 'Session replay'),
    h(
      'form',
      {
        class: 'controls',
        onsubmit: (e) => {
          e.preventDefault();
          go(input.value.trim());
        },
      },
      field('Session id', input),
      h('button', { type: 'submit' }, 'Replay'),
    ),
    out,
  );
  if (initial !== '') go(initial);
};
