// Settings (admins only): the site's moderator accounts, each disabled or enabled, re-roled,
// given a new password or a new personal key. Every change takes effect on the account's next
// request and is in the audit log; the API refuses what the caller may not do (its own account,
// another site's), and the refusal is shown as it came.
import { api, apiAll } from './api.js';
import { el, formatTime } from './dom.js';

const $ = (id) => document.getElementById(id);

let ui = { toast: () => {}, handle: () => {}, me: null };
let wired = false;

export function initAccounts(hooks) {
  ui = hooks;
  if (wired) return;
  wired = true;
  $('account-key-done').addEventListener('click', () => {
    $('account-key-box').hidden = true;
    $('account-key-value').value = '';
  });
  $('account-key-value').addEventListener('focus', (e) => e.target.select());
}

export async function loadAccounts() {
  try {
    const moderators = await apiAll('/v1/moderators');
    $('account-rows').replaceChildren(...moderators.map(accountRow));
    $('accounts-empty').hidden = moderators.length > 0;
  } catch (err) {
    ui.handle(err);
  }
}

async function change(m, body, done) {
  try {
    await api(`/v1/moderators/${encodeURIComponent(m.id)}`, { method: 'PATCH', body });
    ui.toast(done);
  } catch (err) {
    ui.handle(err);
  }
  await loadAccounts();
}

function accountRow(m) {
  const self = ui.me === m.id;
  const role = el(
    'select',
    {
      'aria-label': `Role of ${m.email}`,
      onchange: (e) => change(m, { role: e.target.value }, `${m.email} is now ${e.target.value === 'admin' ? 'an admin' : 'a moderator'}`),
    },
    ...['moderator', 'admin'].map((r) => el('option', { value: r, selected: r === m.role, text: r })),
  );
  const password = el('input', { type: 'password', autocomplete: 'new-password', minlength: '12', placeholder: 'new password', 'aria-label': `New pass phrase for ${m.email}` });
  const setPassword = el('form', {
    class: 'account-password',
    onsubmit: (e) => {
      e.preventDefault();
      const value = password.value;
      password.value = '';
      void change(m, { password: value }, `Password set for ${m.email}; their sessions are ended`);
    },
  }, password, el('button', { type: 'submit', text: 'Set pass phrase' }));
  const toggle = el('button', {
    type: 'button',
    text: m.disabled ? 'Enable' : 'Disable',
    onclick: () => change(m, { disabled: !m.disabled }, `${m.email} ${m.disabled ? 'enabled' : 'disabled'}`),
  });
  const rotate = el('button', { type: 'button', text: 'New API key', onclick: () => rotateKey(m) });
  return el(
    'tr',
    { dataset: { id: m.id }, class: m.disabled ? 'disabled' : undefined },
    el('td', {}, m.email, self ? el('span', { class: 'muted', text: ' (you)' }) : null),
    el('td', {}, role),
    el('td', { text: m.site ?? 'every site' }),
    el('td', { class: 'account-status', text: m.disabled ? 'disabled' : 'active' }),
    el('td', { class: 'muted', text: formatTime(m.createdAt) }),
    el('td', { class: 'account-actions' }, toggle, rotate, setPassword),
  );
}

async function rotateKey(m) {
  try {
    const { secret: apiKey } = await api(`/v1/moderators/${encodeURIComponent(m.id)}/rotate-key`, { method: 'POST' });
    $('account-key-email').textContent = m.email;
    $('account-key-value').value = apiKey;
    $('account-key-box').hidden = false;
    $('account-key-value').focus();
    ui.toast(`New API key for ${m.email}; the old one no longer works`);
  } catch (err) {
    ui.handle(err);
  }
}
