// Dead letters: stats, a filtered and paged list, inspect one, retry, bulk retry (the dry-run count
// is shown before confirming), delete with confirmation, and clear (superadmins only).
import { del, get, post } from '../app/api.js';
import { claims } from '../app/auth.js';
import { h, replace, table, tile } from '../app/dom.js';
import { empty, failure, section } from '../app/states.js';
import { confirmIn } from './confirm.js';
import { field, select } from './controls.js';
import { bulkActions } from './deadLetterBulk.js';
import { inspectView } from './deadLetterDetail.js';

const statuses = ['', 'pending', 'retrying', 'failed', 'resolved', 'abandoned'];

const filterInputs = () => ({
  status: select(
    'f-status',
    statuses.map((s) => [s, s === '' ? 'any' : s]),
    '',
  ),
  category: h('input', { id: 'f-category', name: 'category', size: 10 }),
  task_name: h('input', { id: 'f-task', name: 'task_name', size: 10 }),
  correlation_id: h('input', { id: 'f-correlation', name: 'correlation_id', size: 16 }),
  session_id: h('input', { id: 'f-session', name: 'session_id', size: 36 }),
});

const filtersOf = (inputs) =>
  Object.fromEntries(
    Object.entries(inputs)
      .map(([k, el]) => [k, el.value.trim()])
      .filter(([, v]) => v !== ''),
  );

const showStats = (s) =>
  h(
    'div',
    { class: 'tiles' },
    tile('Dead letters (24 h)', s.total_failed_tasks, 'dlq_total'),
    ...Object.entries(s.tasks_by_status ?? {}).map(([k, v]) => tile(k, v, `dlq_${k}`)),
  );

export const render = (root) => {
  const inputs = filterInputs();
  const state = { page: 1, pageSize: 20 };
  const stats = h('div');
  const list = h('div');
  const detail = h('div', { 'aria-live': 'polite' });
  const notice = h('div', { 'aria-live': 'polite' });
  const superadmin = claims()?.role === 'superadmin';

  const act = async (what, run) => {
    try {
      const r = await run();
      replace(notice, h('p', { class: 'notice', role: 'status' }, what(r)));
    } catch (error) {
      replace(notice, failure(error));
    }
    refresh();
  };

  const inspect = (id) => section(detail, () => get(`/admin/dlq/tasks/${id}/`), inspectView);
  const retry = (id) =>
    act(
      (r) => `Retry of ${id}: ${r.status}${r.error ? ` (${r.error})` : ''}.`,
      () => post(`/admin/dlq/tasks/${id}/retry/`, {}),
    );
  const remove = (id) =>
    confirmIn(notice, `Delete dead letter ${id}? This cannot be undone.`, {
      label: 'Delete',
      danger: true,
      action: () =>
        act(
          () => `Deleted ${id}.`,
          () => del(`/admin/dlq/tasks/${id}/delete/`),
        ),
    });

  const showList = (r) => {
    if (r.count === 0) return empty('No dead letters match these filters.');
    const pages = Math.max(1, Math.ceil(r.count / state.pageSize));
    return h(
      'div',
      { 'data-section': 'dlq-list' },
      table(
        'Dead letters',
        [
          'Task',
          'Status',
          'Category',
          'Consumer',
          'Session',
          'Retries',
          'Created',
          'Error',
          'Actions',
        ],
        r.results.map((t) => [
          t.task_id,
          h('span', { 'data-task-status': t.task_id }, t.status),
          t.category,
          t.task_name,
          t.session_id === null ? '—' : h('a', { href: `#/replay/${t.session_id}` }, t.session_id),
          `${t.retry_count}/${t.max_retries}`,
          t.created_at,
          t.error_message,
          h(
            'div',
            { class: 'row-actions' },
            h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                onclick: () => inspect(t.task_id),
                'aria-label': `Inspect ${t.task_id}`,
              },
              'Inspect',
            ),
            h(
              'button',
              {
                type: 'button',
                onclick: () => retry(t.task_id),
                'aria-label': `Retry ${t.task_id}`,
                'data-retry': t.task_id,
              },
              'Retry',
            ),
            h(
              'button',
              {
                type: 'button',
                class: 'danger',
                onclick: () => remove(t.task_id),
                'aria-label': `Delete ${t.task_id}`,
              },
              'Delete',
            ),
          ),
        ]),
      ),
      h(
        'p',
        { class: 'row-actions' },
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            disabled: r.previous === null,
            onclick: () => {
              state.page -= 1;
              refresh();
            },
          },
          'Previous page',
        ),
        h(
          'span',
          { 'data-figure': 'page' },
          `Page ${state.page} of ${pages} (${r.count} dead letters)`,
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            disabled: r.next === null,
            onclick: () => {
              state.page += 1;
              refresh();
            },
          },
          'Next page',
        ),
      ),
    );
  };

  const refresh = () => {
    void section(stats, () => get('/admin/dlq/stats/'), showStats);
    void section(
      list,
      () =>
        get('/admin/dlq/tasks/', {
          ...filtersOf(inputs),
          page: state.page,
          page_size: state.pageSize,
        }),
      showList,
    );
  };

  const { bulkRetry, clear } = bulkActions({ filters: () => filtersOf(inputs), notice, act });

  root.append(
    h('h1', {}, 'Dead letters'),
    stats,
    h(
      'form',
      {
        class: 'controls',
        onsubmit: (e) => {
          e.preventDefault();
          state.page = 1;
          refresh();
        },
      },
      field('Status', inputs.status),
      field('Category', inputs.category),
      field('Consumer', inputs.task_name),
      field('Correlation id', inputs.correlation_id),
      field('Session id', inputs.session_id),
      h('button', { type: 'submit' }, 'Filter'),
      h(
        'button',
        { type: 'button', class: 'secondary', onclick: bulkRetry },
        'Retry all matching…',
      ),
      superadmin
        ? h('button', { type: 'button', class: 'danger', onclick: clear }, 'Clear…')
        : null,
    ),
    notice,
    list,
    h('h2', {}, 'Inspect'),
    detail,
  );
  replace(detail, empty('Pick a dead letter to inspect it.'));
  refresh();
};
