// Settings (admins only): webhook endpoints and each one's delivery log, and the accounts (accounts.js). Everything an endpoint
// carries (URL, description, the receiver's response body, error text) is shown as text only.
import { api, apiAll, ApiError, query } from './api.js';
import { initAccounts, loadAccounts } from './accounts.js';
import { ago, el, formatTime } from './dom.js';

const $ = (id) => document.getElementById(id);
const EVENTS = ['comment.approved', 'comment.held', 'comment.rejected'];
const PAGE = 20;
/** While a log has a delivery pending or retrying (or one was just sent), it is re-read this often. */
const POLL_MS = 500;
/** After a ping or re-send, the log is watched this long even before the delivery shows up. */
const WATCH_MS = 15_000;

let ui = { toast: () => {}, handle: () => {} };
let wired = false;
let active = false;
let pollTimer = null;
/** Bumped by every change made here, so a list read that started before one doesn't undo it on screen. */
let generation = 0;
/** Per endpoint: its record, and its open log's state. */
const endpoints = new Map();

export function initSettings(hooks) {
  ui = hooks;
  initAccounts(hooks);
  if (wired) return;
  wired = true;
  $('webhook-form').addEventListener('submit', onCreate);
  $('secret-copy').addEventListener('click', copySecret);
  $('secret-done').addEventListener('click', () => {
    hideSecret();
    $('webhook-url').focus();
  });
  $('secret-value').addEventListener('focus', (e) => e.target.select());
}

export async function showSettings() {
  active = true;
  await Promise.all([loadEndpoints(), loadAccounts()]);
  schedulePoll();
}

export function leaveSettings() {
  active = false;
  clearTimeout(pollTimer);
  pollTimer = null;
  // A secret still on show stays until dismissed: a stray key press to another view must not lose
  // the only copy (it lives in this page only; a reload drops it).
}

// ---------- endpoints ----------

async function loadEndpoints() {
  const started = generation;
  try {
    const items = await apiAll('/v1/webhooks');
    if (started !== generation) return; // stale: a change made meanwhile reloads or renders itself
    const list = $('endpoints');
    const seen = new Set();
    for (const e of items) {
      seen.add(e.id);
      const known = endpoints.get(e.id);
      if (known) {
        known.endpoint = e;
        renderEndpoint(known);
      } else {
        const entry = { endpoint: e, node: null, log: { open: false, cursors: [undefined], data: null, sig: '', watchUntil: 0 } };
        endpoints.set(e.id, entry);
        entry.node = endpointNode(entry);
        renderEndpoint(entry);
      }
    }
    for (const [id, entry] of endpoints) {
      if (!seen.has(id)) {
        entry.node.remove();
        endpoints.delete(id);
      }
    }
    // Oldest first, as the API lists them. Moving a node drops keyboard focus inside it, so only
    // when the order really changed.
    const nodes = items.map((e) => endpoints.get(e.id).node);
    if (nodes.length !== list.children.length || nodes.some((n, i) => list.children[i] !== n)) list.replaceChildren(...nodes);
    $('endpoints-empty').hidden = items.length > 0;
  } catch (err) {
    ui.handle(err);
  }
}

function endpointNode(entry) {
  const id = entry.endpoint.id;
  const node = el('li', { class: 'endpoint', dataset: { id } });
  node.append(
    el('div', { class: 'endpoint-head' }),
    el('dl', { class: 'endpoint-meta' }),
    el('div', { class: 'endpoint-actions' }),
    el('div', { class: 'endpoint-panel', hidden: true }),
    el('div', { class: 'deliveries', id: `log-${id}`, hidden: true }),
  );
  return node;
}

function renderEndpoint(entry) {
  const e = entry.endpoint;
  const node = entry.node;
  // Re-drawn only when something changed, so a poll doesn't take focus from a button.
  const sig = JSON.stringify([e, entry.log.open]);
  if (sig === entry.sig) return;
  entry.sig = sig;
  const label = e.description ? `${e.description} (${e.url})` : e.url;
  node.setAttribute('aria-label', `Webhook endpoint ${label}`);
  node.classList.toggle('disabled', !e.enabled);

  node.querySelector('.endpoint-head').replaceChildren(
    el('code', { class: 'url', title: 'Endpoint URL' }, e.url),
    el('span', { class: `status ${e.enabled ? 'enabled' : 'disabled'}` }, e.enabled ? 'enabled' : 'disabled'),
    ...(e.description ? [el('span', { class: 'description' }, e.description)] : []),
  );

  const rows = [
    ['Events', e.events.join(', ')],
    !e.enabled && e.disabledReason ? ['Disabled', `${e.disabledReason}${e.disabledAt ? ` (${formatTime(e.disabledAt)})` : ''}`] : null,
    !e.enabled && !e.disabledReason && e.disabledAt ? ['Disabled', `by an admin, ${formatTime(e.disabledAt)}`] : null,
    e.failingSince ? ['Failing since', `${formatTime(e.failingSince)} (${ago(e.failingSince)})`] : null,
    e.previousSecretExpiresAt ? ['Old secret', `still signs alongside the new one until ${formatTime(e.previousSecretExpiresAt)}`] : null,
    ['Created', formatTime(e.createdAt)],
    ['Id', e.id],
  ].filter(Boolean);
  node.querySelector('.endpoint-meta').replaceChildren(...rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', { class: k === 'Disabled' || k === 'Failing since' ? 'warn' : undefined }, v)]));

  // Re-send buttons depend on whether the endpoint is enabled (an automatic disable arrives by poll).
  if (entry.log.open && entry.log.data && entry.log.enabled !== e.enabled) renderLog(entry);

  const logOpen = entry.log.open;
  const actions = node.querySelector('.endpoint-actions');
  const had = actions.contains(document.activeElement) ? document.activeElement.dataset.key : null;
  actions.replaceChildren(
    el('button', { type: 'button', class: 'log-toggle', dataset: { key: 'log' }, 'aria-expanded': String(logOpen), 'aria-controls': `log-${e.id}`, onclick: () => toggleLog(entry) }, logOpen ? 'Hide deliveries' : 'Deliveries'),
    el('button', { type: 'button', dataset: { key: 'ping' }, disabled: !e.enabled, title: e.enabled ? 'Send a ping event now' : 'Enable the endpoint to ping it', onclick: () => ping(entry) }, 'Send ping'),
    el('button', { type: 'button', dataset: { key: 'enabled' }, onclick: () => patch(entry, { enabled: !e.enabled }, e.enabled ? 'Disabled' : 'Enabled') }, e.enabled ? 'Disable' : 'Enable'),
    el('button', { type: 'button', dataset: { key: 'events' }, onclick: () => openPanel(entry, eventsEditor(entry)) }, 'Edit events'),
    el('button', { type: 'button', dataset: { key: 'rotate' }, onclick: () => rotate(entry) }, 'Rotate secret'),
    el('button', { type: 'button', class: 'reject', dataset: { key: 'delete' }, onclick: () => openPanel(entry, deleteConfirm(entry)) }, 'Delete'),
  );
  // Keyboard focus stays on the same action (Disable becomes Enable under the same key).
  if (had) actions.querySelector(`[data-key="${had}"]:not(:disabled)`)?.focus();
}

/** One inline panel per endpoint (edit events, confirm delete): opens under the buttons and takes focus. */
function openPanel(entry, content) {
  const panel = entry.node.querySelector('.endpoint-panel');
  panel.replaceChildren(content);
  panel.hidden = false;
  (content.querySelector('[data-autofocus]') ?? content.querySelector('input, button'))?.focus();
}

function closePanel(entry, focusKey) {
  const panel = entry.node.querySelector('.endpoint-panel');
  panel.hidden = true;
  panel.replaceChildren();
  if (focusKey) entry.node.querySelector(`.endpoint-actions [data-key="${focusKey}"]`)?.focus();
}

function eventsEditor(entry) {
  const e = entry.endpoint;
  const error = el('p', { class: 'error', role: 'alert' });
  const form = el(
    'form',
    { class: 'events-editor', 'aria-label': 'Edit events' },
    el('fieldset', {}, el('legend', {}, 'Events'), ...EVENTS.map((t) => el('label', {}, el('input', { type: 'checkbox', name: 'events', value: t, checked: e.events.includes(t) }), ` ${t}`))),
    el('button', { type: 'submit', class: 'primary' }, 'Save events'),
    el('button', { type: 'button', onclick: () => closePanel(entry, 'events') }, 'Cancel'),
    error,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const events = new FormData(form).getAll('events');
    if (events.length === 0) return void (error.textContent = 'Choose at least one event.');
    if (await patch(entry, { events }, 'Events saved')) closePanel(entry, 'events');
  });
  form.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') {
      ev.stopPropagation();
      closePanel(entry, 'events');
    }
  });
  return form;
}

function deleteConfirm(entry) {
  const box = el(
    'div',
    { class: 'confirm', role: 'group', 'aria-label': 'Confirm delete' },
    el('span', {}, 'Delete this endpoint and its delivery log? Nothing more is sent to it.'),
    el('button', { type: 'button', class: 'reject', onclick: () => remove(entry) }, 'Yes, delete'),
    // Focus starts on Cancel, so a stray Enter doesn't delete.
    el('button', { type: 'button', 'data-autofocus': true, onclick: () => closePanel(entry, 'delete') }, 'Cancel'),
  );
  box.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') {
      ev.stopPropagation();
      closePanel(entry, 'delete');
    }
  });
  return box;
}

const path = (entry, rest = '') => `/v1/webhooks/${encodeURIComponent(entry.endpoint.id)}${rest}`;

async function patch(entry, body, done) {
  generation++;
  try {
    entry.endpoint = await api(path(entry), { method: 'PATCH', body });
    generation++;
    renderEndpoint(entry);
    ui.toast(`${done}: ${entry.endpoint.url}`);
    return true;
  } catch (err) {
    ui.handle(err);
    return false;
  }
}

async function remove(entry) {
  generation++;
  try {
    await api(path(entry), { method: 'DELETE' });
    ui.toast(`Deleted: ${entry.endpoint.url}`);
  } catch (err) {
    ui.handle(err);
  }
  await loadEndpoints();
  $('webhook-url').focus();
}

async function ping(entry) {
  try {
    await api(path(entry, '/ping'), { method: 'POST' });
    ui.toast(`Ping queued for ${entry.endpoint.url}`);
    watch(entry);
  } catch (err) {
    ui.handle(err);
  }
}

async function rotate(entry) {
  try {
    generation++;
    const r = await api(path(entry, '/rotate-secret'), { method: 'POST' });
    showSecret(entry.endpoint.url, r.secret, `The previous secret keeps signing deliveries, alongside this one, until ${formatTime(r.previousSecretExpiresAt)}: update your receiver before then.`);
    await loadEndpoints();
  } catch (err) {
    ui.handle(err);
  }
}

async function onCreate(ev) {
  ev.preventDefault();
  const form = $('webhook-form');
  const f = new FormData(form);
  const url = String(f.get('url') ?? '').trim();
  const events = f.getAll('events');
  const description = String(f.get('description') ?? '').trim();
  const error = $('webhook-form-error');
  error.textContent = '';
  if (!url) return void (error.textContent = 'Enter the URL to deliver to.');
  if (events.length === 0) return void (error.textContent = 'Choose at least one event.');
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  generation++;
  try {
    const created = await api('/v1/webhooks', { method: 'POST', body: { url, events, ...(description && { description }) } });
    form.reset();
    showSecret(created.url, created.secret, 'Use it to verify the webhook-signature header of each delivery.');
    await loadEndpoints();
  } catch (err) {
    if (err instanceof ApiError && err.status === 422) {
      const errors = err.problem?.errors;
      error.textContent = Array.isArray(errors) && errors.length ? errors.map((x) => `${x.path}: ${x.message}`).join('; ') : err.message;
    } else if (err instanceof ApiError && err.status !== 401) error.textContent = err.message;
    else ui.handle(err);
  } finally {
    button.disabled = false;
  }
}

// ---------- the secret, shown once ----------

function showSecret(url, secret, note) {
  $('secret-url').textContent = url;
  $('secret-value').value = secret;
  $('secret-note').textContent = note;
  $('secret-box').hidden = false;
  $('secret-value').focus();
}

function hideSecret() {
  $('secret-box').hidden = true;
  $('secret-value').value = '';
}

async function copySecret() {
  const input = $('secret-value');
  try {
    await navigator.clipboard.writeText(input.value);
    ui.toast('Secret copied to the clipboard');
  } catch {
    input.focus();
    input.select();
    ui.toast('Selected: press Ctrl+C (⌘C) to copy it');
  }
}

// ---------- delivery log ----------

function toggleLog(entry) {
  entry.log.open = !entry.log.open;
  const box = entry.node.querySelector('.deliveries');
  box.hidden = !entry.log.open;
  renderEndpoint(entry);
  entry.node.querySelector('.log-toggle').focus();
  if (entry.log.open) {
    entry.log.cursors = [undefined];
    entry.log.sig = '';
    loadLog(entry).then(schedulePoll);
  }
}

function watch(entry) {
  entry.log.watchUntil = Date.now() + WATCH_MS;
  if (!entry.log.open) toggleLog(entry);
  else loadLog(entry).then(schedulePoll);
}

async function loadLog(entry) {
  try {
    // The cursors that led to each page shown so far: the last is this page's, the one before it Newer's.
    const cursors = entry.log.cursors;
    const page = await api(`${path(entry, '/deliveries')}?${query({ limit: PAGE, cursor: cursors[cursors.length - 1] })}`);
    entry.log.data = page;
    // Re-drawn only when something changed, so a poll doesn't take focus from a button.
    const sig = JSON.stringify(page);
    if (sig !== entry.log.sig) {
      entry.log.sig = sig;
      renderLog(entry);
    }
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return void loadEndpoints();
    ui.handle(err);
  }
}

function renderLog(entry) {
  const box = entry.node.querySelector('.deliveries');
  const page = entry.log.data;
  entry.log.enabled = entry.endpoint.enabled;
  const focused = document.activeElement && box.contains(document.activeElement) ? document.activeElement.dataset.key : null;
  const rows = page.items.map((d) => deliveryRow(entry, d));
  const newer = entry.log.cursors.length - 1;
  const from = newer * PAGE + 1;
  const to = newer * PAGE + page.items.length;
  const none = page.items.length === 0 && newer === 0;
  box.replaceChildren(
    el('h3', {}, 'Deliveries'),
    none
      ? el('p', { class: 'muted' }, 'No deliveries yet. Send a ping to try the endpoint.')
      : el(
          'table',
          { class: 'log' },
          el('thead', {}, el('tr', {}, ...['Time', 'Event', 'Status', 'Attempts', 'Response', 'Latency', 'Last error', 'Next attempt', 'Action'].map((h) => el('th', { scope: 'col' }, h)))),
          el('tbody', {}, rows),
        ),
    el(
      'div',
      { class: 'pager' },
      el('span', { class: 'muted' }, none ? '' : `${from}–${to}`),
      el('button', { type: 'button', disabled: newer === 0, dataset: { key: 'newer' }, onclick: () => pageTo(entry, entry.log.cursors.slice(0, -1)) }, 'Newer'),
      el('button', { type: 'button', disabled: !page.nextCursor, dataset: { key: 'older' }, onclick: () => pageTo(entry, [...entry.log.cursors, page.nextCursor]) }, 'Older'),
      el('button', { type: 'button', dataset: { key: 'refresh' }, onclick: () => loadLog(entry) }, 'Refresh'),
    ),
  );
  if (focused) box.querySelector(`[data-key="${CSS.escape(focused)}"]:not(:disabled)`)?.focus();
}

function pageTo(entry, cursors) {
  entry.log.cursors = cursors;
  loadLog(entry);
}

function deliveryRow(entry, d) {
  const scheduled = d.status === 'retrying';
  const resend = el(
    'button',
    {
      type: 'button',
      class: 'resend',
      dataset: { key: `resend-${d.id}` },
      disabled: scheduled || !entry.endpoint.enabled,
      title: scheduled ? 'Scheduled: it will be attempted again on its own' : !entry.endpoint.enabled ? 'Enable the endpoint to re-send' : 'Send this delivery again, with the same id and body',
      onclick: () => resendDelivery(entry, d),
    },
    'Re-send',
  );
  const body = d.responseBody ? el('details', {}, el('summary', {}, 'Response body'), el('pre', { class: 'body' }, d.responseBody)) : null;
  return el(
    'tr',
    { dataset: { id: d.id, status: d.status } },
    el('td', {}, el('time', { datetime: d.lastAttemptAt ?? d.createdAt, title: `created ${formatTime(d.createdAt)}` }, formatTime(d.lastAttemptAt ?? d.createdAt))),
    el('td', {}, el('code', {}, d.type), d.resends ? el('span', { class: 'muted' }, ` (re-sent ${d.resends}×)`) : null),
    el('td', {}, el('span', { class: `status ${d.status}` }, d.status)),
    el('td', { class: 'num' }, String(d.attempts)),
    el('td', { class: 'num code' }, d.responseCode === undefined ? '—' : String(d.responseCode)),
    el('td', { class: 'num' }, d.latencyMs === undefined ? '—' : `${d.latencyMs} ms`),
    el('td', { class: 'err' }, d.error ?? '', body),
    el('td', {}, d.nextAttemptAt ? el('time', { datetime: d.nextAttemptAt }, formatTime(d.nextAttemptAt)) : '—'),
    el('td', {}, resend),
  );
}

async function resendDelivery(entry, d) {
  try {
    await api(path(entry, `/deliveries/${encodeURIComponent(d.id)}/resend`), { method: 'POST' });
    ui.toast(`Re-sending ${d.type} to ${entry.endpoint.url}`);
    watch(entry);
  } catch (err) {
    ui.handle(err);
    loadLog(entry);
  }
}

// ---------- polling ----------

function busy(entry) {
  if (!entry.log.open) return false;
  if (Date.now() < entry.log.watchUntil) return true;
  return (entry.log.data?.items ?? []).some((d) => d.status === 'pending' || d.status === 'retrying');
}

function schedulePoll() {
  clearTimeout(pollTimer);
  pollTimer = null;
  if (!active) return;
  const open = [...endpoints.values()].filter(busy);
  if (open.length === 0) return;
  pollTimer = setTimeout(async () => {
    pollTimer = null;
    if (!active) return;
    await Promise.all(open.map((entry) => loadLog(entry)));
    // Failing-since and an automatic disable change as deliveries fail.
    await loadEndpoints();
    schedulePoll();
  }, POLL_MS);
}
