// Tiny DOM helpers. Text always goes in as text nodes (never innerHTML), so API data can never
// become markup.

/** h('tag', { attr: value, onclick: fn }, ...children): an element. */
export const h = (tag, props = {}, ...children) => {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function')
      el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'value') el.value = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
};

const append = (el, children) => {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
};

/** Replaces the children of `el`. */
export const replace = (el, ...children) => {
  el.replaceChildren();
  append(el, children);
  return el;
};

/** A table from column headers and rows of cells (a cell is text, a node, or { num: x }). */
export const table = (caption, headers, rows) =>
  h(
    'table',
    {},
    h('caption', { class: 'visually-hidden' }, caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        headers.map((t) => h('th', { scope: 'col' }, t)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((cells) =>
        h(
          'tr',
          {},
          cells.map((c) =>
            c !== null && typeof c === 'object' && 'num' in c
              ? h('td', { class: 'num', ...(c.attrs ?? {}) }, formatNumber(c.num))
              : h('td', {}, c ?? '—'),
          ),
        ),
      ),
    ),
  );

/** Numbers as the API gave them (no rounding that would hide a difference); null as a dash. */
export const formatNumber = (n) => (n === null || n === undefined ? '—' : String(n));

/** A figure with a label, e.g. total sessions. `key` names it for tests and screen readers. */
export const tile = (label, value, key) =>
  h(
    'div',
    { class: 'tile' },
    h('div', { class: 'label', id: `tile-${key}` }, label),
    h(
      'div',
      { class: 'value', 'data-figure': key, 'aria-labelledby': `tile-${key}` },
      formatNumber(value),
    ),
  );

/** yyyy-mm-dd of a Date in UTC (the API's dates are UTC). */
export const isoDay = (d) => d.toISOString().slice(0, 10);
export const addDays = (day, n) =>
  isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000));
