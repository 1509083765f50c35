// An inline confirmation: a question and two buttons, in place of the action that asked.
// Typed confirmations (erasure) ask for a word to be typed before the button works.
import { h, replace } from '../app/dom.js';

export const confirmIn = (
  slot,
  question,
  { action, label = 'Confirm', danger = false, typed = null },
) => {
  const input =
    typed === null
      ? null
      : h('input', { id: 'typed-confirmation', name: 'typed-confirmation', autocomplete: 'off' });
  const yes = h(
    'button',
    {
      type: 'button',
      class: danger ? 'danger' : '',
      disabled: typed !== null,
      'data-action': 'confirm',
    },
    label,
  );
  input?.addEventListener('input', () => (yes.disabled = input.value !== typed));
  yes.addEventListener('click', async () => {
    yes.disabled = true;
    await action();
  });
  const no = h(
    'button',
    { type: 'button', class: 'secondary', onclick: () => replace(slot) },
    'Cancel',
  );
  replace(
    slot,
    h(
      'div',
      { class: 'state', role: 'group', 'aria-label': 'Confirmation' },
      h('p', {}, question),
      input === null
        ? null
        : h('label', { for: 'typed-confirmation' }, `Type ${typed} to confirm`, input),
      h('p', { class: 'row-actions' }, yes, no),
    ),
  );
  (input ?? yes).focus();
};
