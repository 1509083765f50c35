// Audit log (filters, paging) and erasure of a data subject, confirmed by typing its id.
import { get, post } from '../app/api.js';
import { claims } from '../app/auth.js';
import { h, replace, table } from '../app/dom.js';
import { empty, failure, section } from '../app/states.js';
import { confirmIn } from './confirm.js';
import { field } from './controls.js';

const pageSize = 50;

const showAudit = (state, refresh) => (r) => {
  if (r.entries.length === 0) return empty('No audit entries match.');
  const pages = Math.max(1, Math.ceil(r.pagination.total / pageSize));
  return h(
    'div',
    { 'data-section': 'audit' },
    table(
      'Audit log',
      ['When', 'Tenant', 'Actor', 'Action', 'Target', 'Details', 'Correlation id'],
      r.entries.map((e) => [
        e.at,
        e.tenant_id,
        e.actor,
        h('span', { 'data-audit-action': e.action }, e.action),
        e.target,
        h('code', {}, JSON.stringify(e.details)),
        e.correlation_id,
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
          disabled: state.page <= 1,
          onclick: () => {
            state.page -= 1;
            refresh();
          },
        },
        'Previous page',
      ),
      h('span', {}, `Page ${state.page} of ${pages} (${r.pagination.total} entries)`),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          disabled: state.page >= pages,
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

const erasureForm = () => {
  const subject = h('input', {
    id: 'subject',
    name: 'subject',
    autocomplete: 'off',
    required: true,
    pattern: '[A-Za-z0-9._:@\\-]{1,128}',
  });
  const tenant = h('input', { id: 'subject-tenant', name: 'subject-tenant', autocomplete: 'off' });
  const slot = h('div', { 'aria-live': 'polite' });
  const erase = (id) => async () => {
    try {
      const body = {
        confirm: true,
        ...(tenant.value.trim() === '' ? {} : { tenant_id: tenant.value.trim() }),
      };
      const r = await post(`/admin/subjects/${encodeURIComponent(id)}/erase/`, body);
      replace(
        slot,
        h(
          'p',
          { class: 'notice', role: 'status' },
          `Erased ${r.subject_id}: ${r.sessions?.length ?? 0} sessions, ${r.files_removed} files removed, key existed: ${r.key_existed}.`,
        ),
      );
    } catch (error) {
      replace(slot, failure(error));
    }
  };
  return h(
    'form',
    {
      class: 'controls',
      onsubmit: (e) => {
        e.preventDefault();
        const id = subject.value.trim();
        confirmIn(
          slot,
          `Erase every personal field of ${id}? Their key is destroyed: this cannot be undone.`,
          { label: 'Erase', danger: true, typed: id, action: erase(id) },
        );
      },
    },
    field('Subject (user id)', subject),
    claims()?.role === 'superadmin' ? field('Tenant (superadmin)', tenant) : null,
    h('button', { type: 'submit', class: 'danger' }, 'Erase…'),
    slot,
  );
};

export const render = (root) => {
  const action = h('input', { id: 'a-action', name: 'action', size: 18 });
  const actor = h('input', { id: 'a-actor', name: 'actor', size: 18 });
  const out = h('div');
  const state = { page: 1 };
  const refresh = () =>
    void section(
      out,
      () =>
        get('/admin/audit/', {
          action: action.value.trim(),
          actor: actor.value.trim(),
          page: state.page,
          page_size: pageSize,
        }),
      showAudit(state, refresh),
    );
  root.append(
    h('h1', {}, 'Audit log and erasure'),
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
      field('Action', action),
      field('Actor', actor),
      h('button', { type: 'submit' }, 'Filter'),
    ),
    out,
    h('h2', {}, 'Erase a data subject'),
    erasureForm(),
  );
  refresh();
};
