import { api, ApiError, query, setCsrfToken } from './api.js';
import { CATEGORY_COLOURS, DECISION_COLOURS, stackedBars } from './chart.js';
import { ago, el, formatTime } from './dom.js';
import { deciderName, loadGuide, plural } from './guide.js';
import { highlightedText, reasons } from './highlight.js';
import { initSettings, leaveSettings, showSettings } from './settings.js';

const $ = (id) => document.getElementById(id);
const QUEUES = ['held', 'approved', 'rejected'];
const TITLES = { held: 'Held comments', approved: 'Approved comments', rejected: 'Rejected comments' };

const state = {
  me: null,
  admin: false,
  view: 'held',
  only: null, // the one comment shown (#held/<id>), or null for the whole list
  items: [], // comments shown, in order
  cursor: null,
  focus: -1,
  selected: new Set(),
  auditNext: null,
  events: null,
};

// ---------- session ----------

async function boot() {
  $('login-form').addEventListener('submit', onLogin);
  $('logout').addEventListener('click', onLogout);
  try {
    const s = await api('/v1/session');
    if (!s.moderator && s.kind !== 'session') throw new ApiError(401, null);
    signedIn(s);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return showLogin();
    throw err;
  }
}

function showLogin(message = '') {
  $('app-view').hidden = true;
  $('login-view').hidden = false;
  $('login-error').textContent = message;
  $('login-email').focus();
}

async function onLogin(event) {
  event.preventDefault();
  const email = $('login-email').value.trim();
  const password = $('login-password').value;
  $('login-error').textContent = '';
  if (!email || !password) return void ($('login-error').textContent = 'Enter your email and password.');
  const button = event.submitter ?? $('login-form').querySelector('button');
  button.disabled = true;
  try {
    const s = await api('/v1/session', { method: 'POST', body: { email, password } });
    $('login-password').value = '';
    signedIn({ ...s, kind: 'session' });
  } catch (err) {
    const msg =
      err instanceof ApiError && err.status === 429
        ? `Too many failed attempts. Try again in ${Math.ceil((err.problem?.retryAfter ?? 60) / 60)} min.`
        : err instanceof ApiError && err.status === 401
          ? 'Wrong email or password.'
          : `Could not sign in: ${err.message}`;
    $('login-error').textContent = msg;
  } finally {
    button.disabled = false;
  }
}

async function onLogout() {
  try {
    await api('/v1/session', { method: 'DELETE' });
  } finally {
    state.events?.close();
    location.hash = '';
    location.reload();
  }
}

function signedIn(s) {
  state.me = s.moderator;
  // The nav only hides what the API refuses anyway: /v1/webhooks answers 403 to a moderator.
  state.admin = (s.moderator?.role ?? s.role) === 'admin';
  document.querySelector('nav a[data-view="settings"]').hidden = !state.admin;
  setCsrfToken(s.csrfToken ?? null);
  $('who').textContent = s.moderator ? `${s.moderator.email} (${s.moderator.role})` : s.role;
  $('login-view').hidden = true;
  $('app-view').hidden = false;
  wireApp();
  // Cards read it for their words; without it they show rule ids and account ids as they are.
  loadGuide().then(route, (err) => {
    route();
    handle(err);
  });
  refreshCounts();
  listen();
}

// ---------- views ----------

let wired = false;
function wireApp() {
  if (wired) return;
  wired = true;
  window.addEventListener('hashchange', route);
  let timer;
  $('filters').addEventListener('input', () => {
    clearTimeout(timer);
    // Filtering is a search of the whole list: leave a single comment's view for it.
    timer = setTimeout(() => (state.only ? (location.hash = `#${state.view}`) : loadQueue()), 250);
  });
  $('filters').addEventListener('submit', (e) => e.preventDefault());
  $('more').addEventListener('click', () => loadQueue({ append: true }));
  $('select-all').addEventListener('change', (e) => {
    state.selected = e.target.checked ? new Set(state.items.map((c) => c.id)) : new Set();
    syncSelection();
  });
  $('bulk-approve').addEventListener('click', () => bulk('approved'));
  $('bulk-reject').addEventListener('click', () => bulk('rejected'));
  $('audit-more').addEventListener('click', () => loadAudit(true));
  $('author-close').addEventListener('click', closeAuthor);
  $('help-button').addEventListener('click', () => toggleHelp(true));
  $('help-close').addEventListener('click', () => toggleHelp(false));
  document.addEventListener('keydown', onKey);
  if (state.admin) initSettings({ toast, handle, me: state.me?.id ?? null });
}

function route() {
  // #held, or #held/<comment id>: one comment, as a CMS links to it (the WordPress plugin does).
  const [view = '', only] = location.hash.replace(/^#/, '').split('/');
  const views = ['held', 'approved', 'rejected', 'audit', 'activity', ...(state.admin ? ['settings'] : [])];
  const was = state.view;
  state.view = views.includes(view) ? view : 'held';
  state.only = QUEUES.includes(state.view) && only ? decodeURIComponent(only) : null;
  if (was === 'settings' && state.view !== 'settings') leaveSettings();
  for (const a of document.querySelectorAll('nav a')) {
    if (a.dataset.view === state.view) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  $('queue-view').hidden = !QUEUES.includes(state.view);
  $('audit-view').hidden = state.view !== 'audit';
  $('activity-view').hidden = state.view !== 'activity';
  $('settings-view').hidden = state.view !== 'settings';
  if (QUEUES.includes(state.view)) {
    $('queue-title').textContent = state.only ? `Comment ${state.only}` : TITLES[state.view];
    if (state.only) loadOne(state.only);
    else loadQueue();
  } else if (state.view === 'audit') loadAudit(false);
  else if (state.view === 'settings') showSettings();
  else loadActivity();
}

function filters() {
  const f = new FormData($('filters'));
  return { category: f.get('category'), articleId: f.get('articleId').trim(), authorId: f.get('authorId').trim(), q: f.get('q').trim(), order: f.get('order') };
}

let loadSeq = 0;
async function loadQueue({ append = false } = {}) {
  const seq = ++loadSeq;
  const params = { status: state.view, ...filters(), limit: 25, cursor: append ? state.cursor : undefined };
  try {
    const page = await api(`/v1/review?${query(params)}`);
    if (seq !== loadSeq) return; // a newer load (filters typed on) wins
    if (!append) {
      state.items = [];
      state.selected.clear();
      $('items').replaceChildren();
      state.focus = -1;
    }
    for (const c of page.items) {
      state.items.push(c);
      $('items').append(card(c));
    }
    state.cursor = page.nextCursor;
    $('more').hidden = !page.nextCursor;
    updateEmpty();
    syncSelection();
    if (state.focus < 0 && state.items.length > 0) setFocus(0, false);
  } catch (err) {
    handle(err);
  }
}

async function loadOne(id) {
  const seq = ++loadSeq;
  state.items = [];
  state.selected.clear();
  state.focus = -1;
  state.cursor = null;
  $('items').replaceChildren();
  $('more').hidden = true;
  try {
    const c = await api(`/v1/comments/${encodeURIComponent(id)}`);
    if (seq !== loadSeq) return;
    state.items.push(c);
    $('items').append(card(c));
    setFocus(0, false);
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 404)) handle(err);
  } finally {
    updateEmpty();
    syncSelection();
  }
}

function updateEmpty() {
  $('empty').hidden = state.items.length > 0;
}

function card(c) {
  const v = c.verdict;
  const auto = (c.history ?? []).find((h) => h.decidedBy === 'auto') ?? (v?.decidedBy === 'auto' ? v : null);
  const reasonInput = el('input', { type: 'text', class: 'reason', placeholder: 'Reason (optional)', 'aria-label': 'Reason', maxlength: 500 });
  reasonInput.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      decide(c.id, 'rejected');
    }
  });
  const select = el('input', { type: 'checkbox', class: 'select', 'aria-label': 'Select comment' });
  select.addEventListener('change', () => {
    if (select.checked) state.selected.add(c.id);
    else state.selected.delete(c.id);
    syncSelection();
  });
  const actions = el('div', { class: 'actions' });
  if (c.status !== 'approved') actions.append(el('button', { type: 'button', class: 'approve', onclick: () => decide(c.id, 'approved') }, 'Approve'));
  if (c.status !== 'rejected') actions.append(reasonInput, el('button', { type: 'button', class: 'reject', onclick: () => decide(c.id, 'rejected') }, 'Reject'));
  const node = el(
    'li',
    { class: 'card', tabindex: -1, dataset: { id: c.id }, 'aria-label': `Comment by ${c.author.name ?? c.author.id} on ${c.articleId}` },
    el(
      'div',
      { class: 'meta' },
      select,
      el('span', { class: 'article', title: 'Article' }, c.articleId),
      el('button', { type: 'button', class: 'link author', title: 'Earlier comments by this author', onclick: () => openAuthor(c.author) }, c.author.name ? `${c.author.name} (${c.author.id})` : c.author.id),
      el('time', { datetime: c.submittedAt, title: formatTime(c.submittedAt) }, ago(c.submittedAt)),
      el('span', { class: `status ${c.status}` }, c.status),
      v && v.decidedBy !== 'auto' ? el('span', { class: 'muted decided-by', title: v.decidedBy }, `by ${deciderName(v.decidedBy)}${v.reason ? `: “${v.reason}”` : ''}`) : null,
      auto && v?.decidedBy !== 'auto' ? el('span', { class: 'muted' }, `(automatic: ${auto.decision})`) : null,
    ),
    highlightedText(c.text, v),
    reasons(v),
    actions,
  );
  node.addEventListener('click', (e) => {
    const i = state.items.findIndex((x) => x.id === c.id);
    if (i >= 0 && !e.target.closest('button, input')) setFocus(i, false);
  });
  return node;
}

function cardNode(id) {
  return $('items').querySelector(`li[data-id="${CSS.escape(id)}"]`);
}

function setFocus(i, scroll = true) {
  if (state.items.length === 0) return void (state.focus = -1);
  state.focus = Math.max(0, Math.min(i, state.items.length - 1));
  for (const n of $('items').children) n.classList.remove('focused');
  const node = cardNode(state.items[state.focus].id);
  node.classList.add('focused');
  if (scroll) {
    node.focus({ preventScroll: true });
    node.scrollIntoView({ block: 'nearest' });
  }
}

function removeItem(id) {
  const i = state.items.findIndex((c) => c.id === id);
  if (i < 0) return;
  state.items.splice(i, 1);
  state.selected.delete(id);
  cardNode(id)?.remove();
  if (state.focus >= state.items.length) state.focus = state.items.length - 1;
  if (state.focus >= 0) setFocus(state.focus);
  updateEmpty();
  syncSelection();
}

async function decide(id, decision) {
  const node = cardNode(id);
  const reason = node?.querySelector('.reason')?.value.trim() || undefined;
  // The card leaves at once and the next one takes focus, so a moderator pressing `a a a` quickly
  // decides three comments, not the same one three times while the first request is in flight.
  const leaves = decision !== state.view;
  if (leaves) removeItem(id);
  try {
    const c = await api(`/v1/comments/${encodeURIComponent(id)}/decision`, { method: 'POST', body: { decision, ...(reason && decision === 'rejected' ? { reason } : {}) } });
    toast(`${decision === 'approved' ? 'Approved' : 'Rejected'}: “${c.text.slice(0, 60)}${c.text.length > 60 ? '…' : ''}”`);
    refreshCounts();
    return true;
  } catch (err) {
    handle(err);
    // Put back what is really there rather than guess where the card was.
    if (leaves) loadQueue();
    return false;
  }
}

async function bulk(decision) {
  const ids = [...state.selected];
  let done = 0;
  for (const id of ids) if (await decide(id, decision)) done++;
  toast(`${decision === 'approved' ? 'Approved' : 'Rejected'} ${done} of ${ids.length}`);
}

function syncSelection() {
  for (const c of state.items) {
    const box = cardNode(c.id)?.querySelector('.select');
    if (box) box.checked = state.selected.has(c.id);
  }
  const n = state.selected.size;
  $('selected-count').textContent = n ? `${n} selected` : '';
  $('bulk-approve').disabled = n === 0 || state.view === 'approved';
  $('bulk-reject').disabled = n === 0 || state.view === 'rejected';
  $('select-all').checked = n > 0 && n === state.items.length;
}

async function refreshCounts() {
  try {
    const counts = await api('/v1/review/counts');
    for (const node of document.querySelectorAll('[data-count]')) node.textContent = String(counts[node.dataset.count] ?? 0);
    document.title = `(${counts.held}) Decorum · Review`;
  } catch (err) {
    handle(err);
  }
}

// ---------- live updates ----------

function listen() {
  if (state.events) return;
  const es = new EventSource('/v1/review/stream');
  state.events = es;
  es.addEventListener('open', () => $('live').classList.add('on'));
  es.addEventListener('error', () => {
    $('live').classList.remove('on');
    // Closed for good (not reconnecting) means the server refused it, usually an ended session:
    // any API call then finds out and shows the sign-in form.
    if (es.readyState === EventSource.CLOSED) {
      state.events = null;
      refreshCounts();
    }
  });
  let pending;
  es.addEventListener('decision', (e) => {
    const event = JSON.parse(e.data);
    clearTimeout(pending);
    pending = setTimeout(refreshCounts, 150);
    if (!QUEUES.includes(state.view)) return;
    const status = event.type.replace(/^comment\./, '');
    if (status !== state.view) removeItem(event.commentId);
    else if (!state.only && !cardNode(event.commentId)) addNew(event.commentId);
  });
}

/** A comment newly in this queue: shown in place if it passes the filters, marked as new. */
async function addNew(id) {
  try {
    const page = await api(`/v1/review?${query({ status: state.view, ...filters(), limit: 100 })}`);
    const c = page.items.find((x) => x.id === id);
    if (!c || cardNode(id)) return;
    const order = filters().order;
    // Where the API puts it, relative to the cards on screen (page order is the API's order).
    const ids = page.items.map((x) => x.id);
    const rankOf = (x) => ids.indexOf(x.id);
    let at =
      order === 'severity'
        ? state.items.findIndex((x) => rankOf(x) < 0 || rankOf(x) > rankOf(c))
        : state.items.findIndex((x) => (order === 'newest' ? x.submittedAt < c.submittedAt : x.submittedAt > c.submittedAt));
    // Past the end with more pages to load: it belongs on a later page.
    if (at < 0 && order !== 'newest' && state.cursor) return;
    if (at < 0) at = state.items.length;
    const node = card(c);
    node.classList.add('new');
    state.items.splice(at, 0, c);
    $('items').insertBefore(node, $('items').children[at] ?? null);
    if (state.focus >= at) state.focus++;
    if (state.focus < 0) setFocus(0, false);
    updateEmpty();
  } catch (err) {
    handle(err);
  }
}

// ---------- author panel ----------

async function openAuthor(author) {
  $('author-panel').hidden = false;
  $('author-title').textContent = author.name ? `${author.name} (${author.id})` : author.id;
  $('author-items').replaceChildren();
  $('author-summary').textContent = 'Loading…';
  try {
    const page = await api(`/v1/review?${query({ status: 'all', authorId: author.id, order: 'newest', limit: 50 })}`);
    const tally = {};
    for (const c of page.items) tally[c.status] = (tally[c.status] ?? 0) + 1;
    const shown = plural(page.items.length, 'comment');
    $('author-summary').textContent = `${page.nextCursor ? shown.replace(' ', '+ ') : shown}: ` + Object.entries(tally).map(([s, n]) => `${n} ${s}`).join(', ');
    for (const c of page.items) {
      const v = c.verdict;
      $('author-items').append(
        el(
          'li',
          {},
          el('div', { class: 'meta' }, el('span', { class: `status ${c.status}` }, c.status), el('span', { class: 'article' }, c.articleId), el('time', { datetime: c.submittedAt, title: formatTime(c.submittedAt) }, ago(c.submittedAt)), v ? el('span', { class: 'muted', title: v.decidedBy }, v.decidedBy === 'auto' ? 'automatic' : `by ${deciderName(v.decidedBy)}`) : null),
          el('p', { class: 'snippet' }, c.text),
        ),
      );
    }
  } catch (err) {
    handle(err);
  }
}

function closeAuthor() {
  $('author-panel').hidden = true;
}

// ---------- audit and activity ----------

async function loadAudit(append) {
  try {
    const page = await api(`/v1/audit?${query({ limit: 100, cursor: append ? state.auditNext : undefined })}`);
    if (!append) $('audit-rows').replaceChildren();
    for (const e of page.items) {
      // Account and key changes share the log with decisions: what changed, and on which account or key.
      const decision = e.action === 'decision';
      $('audit-rows').append(
        el(
          'tr',
          { class: decision ? 'decision' : 'account' },
          el('td', {}, el('time', { datetime: e.at }, formatTime(e.at))),
          el('td', { title: e.moderatorId }, e.moderatorEmail || e.moderatorId),
          el('td', {}, decision ? el('code', {}, e.commentId) : [`${e.action} `, el('code', {}, e.subject)]),
          el('td', {}, el('span', { class: `status ${e.from}` }, e.from)),
          el('td', {}, el('span', { class: `status ${e.to}` }, e.to)),
          el('td', {}, e.reason),
        ),
      );
    }
    state.auditNext = page.nextCursor;
    $('audit-more').hidden = !page.nextCursor;
  } catch (err) {
    handle(err);
  }
}

async function loadActivity() {
  try {
    const stats = await api('/v1/review/stats?days=14');
    $('chart-decision').replaceChildren(stackedBars({ days: stats.days, series: stats.byDecision, colours: DECISION_COLOURS, label: 'Comments per day by decision' }));
    $('chart-category').replaceChildren(stackedBars({ days: stats.days, series: stats.byCategory, colours: CATEGORY_COLOURS, label: 'Flagged comments per day by category' }));
  } catch (err) {
    handle(err);
  }
}

// ---------- keyboard ----------

function toggleHelp(show = $('help').hidden) {
  $('help').hidden = !show;
  if (show) $('help-close').focus();
}

function onKey(e) {
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key === 'Escape') {
    if (!$('help').hidden) toggleHelp(false);
    else if (!$('author-panel').hidden) closeAuthor();
    else if (document.activeElement instanceof HTMLElement && document.activeElement.matches('input, select')) document.activeElement.blur();
    return;
  }
  if (e.target instanceof HTMLElement && e.target.matches('input:not([type=checkbox]), select, textarea')) return;
  const current = state.items[state.focus];
  const inQueue = QUEUES.includes(state.view) && $('help').hidden;
  const keys = {
    '?': () => toggleHelp(),
    1: () => (location.hash = '#held'),
    2: () => (location.hash = '#approved'),
    3: () => (location.hash = '#rejected'),
    '/': () => inQueue && $('filters').elements.q.focus(),
    j: () => inQueue && setFocus(state.focus + 1),
    ArrowDown: () => inQueue && setFocus(state.focus + 1),
    k: () => inQueue && setFocus(state.focus - 1),
    ArrowUp: () => inQueue && setFocus(state.focus - 1),
    a: () => inQueue && current && current.status !== 'approved' && decide(current.id, 'approved'),
    r: () => inQueue && current && current.status !== 'rejected' && decide(current.id, 'rejected'),
    e: () => inQueue && current && cardNode(current.id)?.querySelector('.reason')?.focus(),
    x: () => {
      if (!inQueue || !current) return;
      if (state.selected.has(current.id)) state.selected.delete(current.id);
      else state.selected.add(current.id);
      syncSelection();
    },
    u: () => inQueue && current && openAuthor(current.author),
  };
  const action = keys[e.key];
  if (action) {
    e.preventDefault();
    action();
  }
}

// ---------- feedback ----------

let toastTimer;
function toast(message, isError = false) {
  const t = $('toast');
  t.textContent = message;
  t.classList.toggle('error', isError);
  t.classList.add('show');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => t.classList.remove('show'), 3500);
}

function handle(err) {
  if (err instanceof ApiError && err.status === 401) {
    state.events?.close();
    state.events = null;
    return showLogin('Your session has ended. Sign in again.');
  }
  toast(err instanceof Error ? err.message : String(err), true);
}

boot().catch(handle);
