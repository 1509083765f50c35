// Loading, empty, error and not-allowed states, the same on every page.
import { h, replace } from './dom.js';

export const loading = (what = 'Loading…') =>
  h('p', { class: 'state state-loading', role: 'status' }, what);

export const empty = (what) => h('p', { class: 'state state-empty', 'data-state': 'empty' }, what);

/** An API error as a state: 403 is "not allowed" (the API said so), the rest is an error. */
export const failure = (error) => {
  if (error?.status === 403)
    return h(
      'div',
      { class: 'state state-forbidden', role: 'alert', 'data-state': 'forbidden' },
      h('strong', {}, 'Not allowed. '),
      'Your token may not see this page (the API answered 403: ',
      error.message,
      ').',
    );
  const code = error?.code ? ` (${error.code}${error.status ? `, HTTP ${error.status}` : ''})` : '';
  return h(
    'div',
    { class: 'state state-error', role: 'alert', 'data-state': 'error' },
    h('strong', {}, 'Something went wrong. '),
    `${error?.message ?? String(error)}${code}`,
    error?.correlationId ? ` Correlation id: ${error.correlationId}.` : '',
  );
};

/**
 * Shows a loading state in `el`, runs `load`, then renders its result with `show` (or the error).
 * A newer call on the same element wins: an older answer arriving late is dropped.
 */
export const section = async (el, load, show) => {
  const ticket = Symbol('load');
  el.ticket = ticket;
  el.setAttribute('aria-busy', 'true');
  replace(el, loading());
  try {
    const data = await load();
    if (el.ticket !== ticket) return;
    replace(el, show(data));
  } catch (error) {
    if (el.ticket !== ticket) return;
    replace(el, failure(error));
  } finally {
    if (el.ticket === ticket) el.removeAttribute('aria-busy');
  }
};
