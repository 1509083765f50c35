// Live: the realtime numbers and the at-risk sessions with their risk factors, polled every 5 s
// without reloading the page (polling stops when the user leaves the page).
import { get } from '../app/api.js';
import { h, replace, table, tile } from '../app/dom.js';
import { empty, failure, loading } from '../app/states.js';
import { field, select } from './controls.js';

const everyMs = 5000;

const factorsOf = async (sessionId) => {
  try {
    const r = await get(`/sessions/${encodeURIComponent(sessionId)}/risk/`);
    return (r.risk_factors ?? [])
      .filter((f) => f.contribution > 0)
      .map((f) => `${f.description ?? f.factor} (+${f.contribution})`)
      .join('; ');
  } catch (error) {
    return `factors unavailable (${error.code ?? error.message})`;
  }
};

const showRealtime = (r) =>
  h(
    'div',
    { 'data-section': 'realtime' },
    h(
      'div',
      { class: 'tiles' },
      tile('Active sessions', r.active_sessions, 'active_sessions'),
      tile('Started', r.started_sessions, 'started_sessions'),
      tile('Completed', r.completed_sessions, 'completed_sessions'),
      tile('Recent errors', r.recent_errors, 'recent_errors'),
      tile(
        'At risk (high or critical)',
        typeof r.at_risk_sessions === 'number'
          ? r.at_risk_sessions
          : (r.at_risk_sessions?.length ?? null),
        'at_risk',
      ),
    ),
    Array.isArray(r.sessions_by_stage) && r.sessions_by_stage.length > 0
      ? table(
          'Active sessions by stage',
          ['Stage', 'Sessions'],
          r.sessions_by_stage.map((s) => [
            String(s.stage ?? s.current_step ?? '—'),
            { num: s.count ?? s.sessions ?? null },
          ]),
        )
      : typeof r.sessions_by_stage === 'object' &&
          r.sessions_by_stage !== null &&
          Object.keys(r.sessions_by_stage).length > 0
        ? table(
            'Active sessions by stage',
            ['Stage', 'Sessions'],
            Object.entries(r.sessions_by_stage).map(([k, v]) => [k, { num: v }]),
          )
        : empty('No active sessions in this window.'),
  );

const showAtRisk = async (r) => {
  if (r.sessions.length === 0) return empty('No session at this risk level right now.');
  const factors = await Promise.all(r.sessions.slice(0, 10).map((s) => factorsOf(s.session_id)));
  return table(
    'At-risk sessions',
    ['Session', 'Risk', 'Score', 'Stage', 'Last activity', 'Factors', 'Recommended action'],
    r.sessions.map((s, i) => [
      h('a', { href: `#/replay/${encodeURIComponent(s.session_id)}` }, s.session_id),
      s.risk_level,
      { num: s.risk_score },
      s.current_stage,
      s.last_activity,
      factors[i] ?? '—',
      s.recommended_action === null || typeof s.recommended_action !== 'object'
        ? s.recommended_action
        : JSON.stringify(s.recommended_action),
    ]),
  );
};

export const render = (root) => {
  const hours = select(
    'hours',
    [
      ['1', 'last hour'],
      ['6', 'last 6 hours'],
      ['24', 'last 24 hours'],
    ],
    '1',
  );
  const level = select(
    'risk-level',
    [
      ['low', 'low and up'],
      ['medium', 'medium and up'],
      ['high', 'high and up'],
      ['critical', 'critical'],
    ],
    'high',
  );
  const realtime = h('div', {}, loading());
  const atRisk = h('div', {}, loading());
  const stamp = h('p', { role: 'status', 'data-figure': 'updated' }, '');
  let timer = null;
  let stopped = false;
  const tick = async () => {
    try {
      const [r, a] = await Promise.all([
        get('/analytics/realtime/', { time_range_hours: hours.value }),
        get('/admin/at-risk-sessions/', { risk_level: level.value, limit: 50 }),
      ]);
      if (stopped) return;
      replace(realtime, showRealtime(r));
      const table = await showAtRisk(a);
      if (stopped) return;
      replace(atRisk, table);
      stamp.textContent = `Updated ${new Date().toLocaleTimeString()}; refreshes every ${everyMs / 1000} s.`;
    } catch (error) {
      if (stopped) return;
      replace(realtime, failure(error));
      replace(atRisk);
      if (error.status === 403 || error.status === 401) return;
    }
    if (!stopped) timer = setTimeout(tick, everyMs);
  };
  const restart = () => {
    clearTimeout(timer);
    void tick();
  };
  hours.addEventListener('change', restart);
  level.addEventListener('change', restart);
  root.append(
    h('h1', {}, 'Live'),
    h('div', { class: 'controls' }, field('Window', hours), field('At-risk level', level)),
    stamp,
    h('h2', {}, 'Right now'),
    realtime,
    h('h2', {}, 'At-risk sessions'),
    atRisk,
  );
  void tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
};
