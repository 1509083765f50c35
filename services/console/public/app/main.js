// The console's entry: sign-in, the navigation bar and a hash router (#/funnel, #/replay/<id>…).
// Hash routes need no server-side fallback and never reach the server's logs.
import { whenSignedOut } from './api.js';
import { claims, signIn, signOut, takeTokenFromFragment, token } from './auth.js';
import { destroyCharts } from './charts.js';
import { h, replace } from './dom.js';
import { failure } from './states.js';
import * as audit from '../pages/audit.js';
import * as deadLetters from '../pages/deadLetters.js';
import * as funnel from '../pages/funnel.js';
import * as heatmap from '../pages/heatmap.js';
import * as live from '../pages/live.js';
import * as replay from '../pages/replay.js';

const pages = [
  { path: 'funnel', title: 'Funnel', page: funnel },
  { path: 'heatmap', title: 'Drop-off & cohorts', page: heatmap },
  { path: 'live', title: 'Live', page: live },
  { path: 'replay', title: 'Session replay', page: replay },
  { path: 'dead-letters', title: 'Dead letters', page: deadLetters },
  { path: 'audit', title: 'Audit & erasure', page: audit },
];

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
let leave = () => {};

const route = () => {
  const [path = 'funnel', ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  return {
    entry: pages.find((p) => p.path === path) ?? pages[0],
    args: rest.map(decodeURIComponent),
  };
};

const renderNav = (current) =>
  replace(
    nav,
    pages.map((p) =>
      h('a', { href: `#/${p.path}`, 'aria-current': p === current ? 'page' : undefined }, p.title),
    ),
  );

const renderWho = () => {
  const c = claims();
  replace(
    who,
    c === null
      ? ''
      : [
          h('span', { 'data-who': 'role' }, `${c.role ?? '?'} · ${c.tenant_id ?? '?'}`),
          h(
            'button',
            {
              type: 'button',
              onclick: () => {
                signOut();
                show();
              },
            },
            'Sign out',
          ),
        ],
  );
};

const signInForm = () => {
  const input = h('textarea', {
    id: 'token',
    name: 'token',
    required: true,
    autocomplete: 'off',
    spellcheck: 'false',
  });
  const form = h(
    'form',
    {
      class: 'signin',
      onsubmit: (e) => {
        e.preventDefault();
        signIn(input.value);
        location.hash = '#/funnel';
        show();
      },
    },
    h('h1', {}, 'Sign in'),
    h(
      'p',
      {},
      'Paste a bearer token (for example from ',
      h('code', {}, 'npm run token -- --role admin --tenant acme'),
      '). It is kept in this tab only (sessionStorage).',
    ),
    h('label', { for: 'token' }, 'Token'),
    input,
    h('p', {}, h('button', { type: 'submit' }, 'Sign in')),
  );
  return form;
};

const show = () => {
  leave();
  leave = () => {};
  destroyCharts();
  renderWho();
  if (token() === null) {
    replace(nav);
    document.title = 'Sign in · Waymark console';
    replace(main, signInForm());
    return;
  }
  const { entry, args } = route();
  renderNav(entry);
  document.title = `${entry.title} · Waymark console`;
  const root = h('div', { 'data-page': entry.path });
  replace(main, root);
  try {
    leave = entry.page.render(root, args) ?? (() => {});
  } catch (error) {
    replace(root, failure(error));
  }
};

takeTokenFromFragment();
whenSignedOut(() => show());
window.addEventListener('hashchange', () => {
  // A sign-in link opened in a tab that already shows the console.
  takeTokenFromFragment();
  show();
});
show();
