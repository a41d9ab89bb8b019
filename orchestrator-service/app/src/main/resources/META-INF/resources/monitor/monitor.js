// The live search monitor: the overview stream (searches, counters, pods), one search's event stream (its
// tree, budget and decisions), and a form that asks the orchestrator a question (POST /v1/solve).
import { SearchModel, renderTree } from './search.js';

const $ = sel => document.querySelector(sel);
const fmt = new Intl.NumberFormat('en');
const num = v => fmt.format(Number(v || 0));
const secs = ms => (Number(ms) / 1000).toFixed(Number(ms) < 10000 ? 2 : 1) + ' s';

function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  return e;
}

function methodText(m) {
  if (!m || !m.name) return '';
  const params = Object.entries(m.params || {}).map(([k, v]) => `${k}=${v}`).join(' ');
  return params ? `${m.name} (${params})` : m.name;
}

// ---------------------------------------------------------------------------------------------- overview

const overview = { searches: new Map(), clockOffset: 0, stats: null, pods: [] };
let selectedId = null;
const FINISHED_ROWS = 12;

function connectOverview() {
  const source = new EventSource('api/overview');
  source.addEventListener('overview', m => applyOverview(JSON.parse(m.data)));
  source.addEventListener('dropped', () => { source.close(); connectOverview(); });
  source.onopen = () => setConnection(true);
  source.onerror = () => setConnection(false); // EventSource reconnects by itself
}

function setConnection(up) {
  const c = $('#connection');
  c.className = up ? 'up' : 'down';
  c.textContent = up ? 'live' : 'reconnecting…';
}

function applyOverview(o) {
  overview.clockOffset = o.time_ms - Date.now();
  if (o.full) overview.searches.clear();
  for (const s of o.searches) {
    const known = overview.searches.get(s.request_id);
    if (!known || Number(known.events) <= Number(s.events)) overview.searches.set(s.request_id, s);
  }
  for (const id of o.removed) overview.searches.delete(id);
  overview.stats = o.stats;
  overview.pods = o.pods;
  renderStats();
  renderPods();
  renderSearches();
}

function tile(label, value, note) {
  return h('div', { class: 'tile' }, h('div', { class: 'value' }, value), h('div', { class: 'label' }, label),
    note ? h('div', { class: 'note' }, note) : null);
}

function renderStats() {
  const s = overview.stats;
  if (!s) return;
  const rejected = Object.values(s.rejections).reduce((a, b) => a + Number(b), 0);
  const rejectNote = Object.entries(s.rejections).map(([k, v]) => `${k.replace('_', ' ')} ${v}`).join(' · ');
  $('#stats').replaceChildren(
    tile('running', `${s.running}`, `of ${s.max_concurrent} slots · ${s.queued} queued`),
    tile('finished', num(s.finished_total), `${num(s.finished_last_minute)} in the last minute`),
    tile('tokens / s', num(Math.round(s.tokens_per_second)), 'generated, last 10 s'),
    tile('rejected', num(rejected), rejectNote),
    tile('events dropped', num(Number(s.monitor_dropped) + Number(s.kafka_events_dropped)),
      `monitor ${num(s.monitor_dropped)} · Kafka ${num(s.kafka_events_dropped)}`),
  );
  $('#source').textContent = s.kafka_followed ? 'this orchestrator + tts.events (all pods)' : 'this orchestrator (in process)';
}

function bar(value, max, cls = '') {
  const pct = max > 0 ? Math.min(100, (100 * value) / max) : 0;
  return h('div', { class: `bar ${cls}` }, h('div', { class: 'fill', style: `width:${pct.toFixed(1)}%` }));
}

function renderPods() {
  const rows = overview.pods.map(p => h('tr', {},
    h('td', {}, h('span', { class: `dot ${p.reachable ? 'up' : 'down'}`, title: p.error || 'reachable' }), p.instance,
      h('span', { class: 'tag task', title: 'the task this pod serves' }, p.task || 'arithmetic')),
    h('td', { class: 'dim' }, p.address),
    h('td', { class: 'num' }, p.reachable ? `${num(p.live_branches)}${p.max_live_branches ? ' / ' + num(p.max_live_branches) : ''}` : '—',
      p.reachable && p.max_live_branches ? bar(p.live_branches, p.max_live_branches) : null),
    h('td', { class: 'num' }, num(p.sessions)),
  ));
  $('#pods tbody').replaceChildren(...(rows.length ? rows : [h('tr', {}, h('td', { colspan: 4, class: 'dim' }, 'no generator pods configured'))]));
}

function elapsedOf(s) {
  if (s.state === 'finished') return Number(s.spend.wall_ms);
  return Date.now() + overview.clockOffset - Number(s.started_ms);
}

function spendCell(spent, max) {
  return h('td', { class: 'num' }, max ? `${num(spent)} / ${num(max)}` : num(spent), max ? bar(Number(spent), Number(max)) : null);
}

// The task in front of its question: "countdown" then "3 7 9 2 -> 24" (the question's canonical text).
function taskTag(task) {
  return task ? h('span', { class: 'tag task', title: 'task' }, task) : null;
}

function renderSearches() {
  const list = [...overview.searches.values()].sort((a, b) =>
    (a.state === b.state ? 0 : a.state === 'running' ? -1 : 1) || Number(b.started_ms) - Number(a.started_ms));
  // All running searches, and the newest finished ones (the rest are one click away in the API).
  const running = list.filter(s => s.state === 'running');
  const shown = running.concat(list.filter(s => s.state !== 'running').slice(0, FINISHED_ROWS));
  const rows = shown.map(s => {
    const budget = s.budget || {};
    const state = s.state === 'running' ? h('span', { class: 'state running' }, 'running')
      : h('span', { class: `state ${String(s.stop_reason).toLowerCase()}` }, s.stop_reason);
    return h('tr', { class: s.request_id === selectedId ? 'selected' : '', 'data-id': s.request_id, onclick: () => select(s.request_id) },
      h('td', { class: 'mono' }, s.request_id, s.local ? null : h('span', { class: 'tag' }, 'kafka')),
      h('td', { class: 'question', title: s.question || '' }, taskTag(s.task), s.question || ''),
      h('td', {}, methodText(s.strategy)),
      h('td', {}, (s.policies || []).map(methodText).join(', ') || h('span', { class: 'dim' }, '—')),
      spendCell(s.spend.generated_tokens, budget.max_tokens),
      spendCell(s.spend.verifier_calls, budget.max_verifier_calls),
      h('td', { class: 'num' }, secs(elapsedOf(s))),
      h('td', {}, state),
      h('td', { class: 'mono' }, s.answer || ''),
    );
  });
  if (list.length > shown.length) {
    rows.push(h('tr', { class: 'more' }, h('td', { colspan: 9, class: 'dim' }, `and ${list.length - shown.length} older finished searches`)));
  }
  $('#searches tbody').replaceChildren(...(rows.length ? rows : [h('tr', {}, h('td', { colspan: 9, class: 'dim' }, 'no searches yet: ask a question'))]));
}

// Running searches' elapsed time moves between overview messages.
setInterval(() => { if ([...overview.searches.values()].some(s => s.state === 'running')) renderSearches(); }, 1000);

// ---------------------------------------------------------------------------------------------- one search

let current = null; // { model, source }
let renderPending = false;

function select(requestId) {
  if (current && current.model.requestId === requestId) return;
  if (current) current.source.close();
  selectedId = requestId;
  history.replaceState(null, '', `#search=${encodeURIComponent(requestId)}`);
  renderSearches();
  $('#detail').hidden = false;
  current = { model: new SearchModel(requestId), source: null };
  openSearchStream(current);
  scheduleRender();
}

function openSearchStream(view) {
  const source = new EventSource(`api/searches/${encodeURIComponent(view.model.requestId)}/events`);
  view.source = source;
  source.addEventListener('events', m => {
    view.model.applyAll(JSON.parse(m.data));
    view.model.loaded = true;
    scheduleRender();
  });
  // The end of the snapshot: from here on a search without a start has really not started yet.
  source.addEventListener('live', () => {
    view.model.loaded = true;
    scheduleRender();
  });
  // Fell behind: start over from a fresh snapshot.
  source.addEventListener('dropped', () => {
    source.close();
    view.model = new SearchModel(view.model.requestId);
    openSearchStream(view);
  });
}

function scheduleRender() {
  if (renderPending) return;
  renderPending = true;
  setTimeout(() => requestAnimationFrame(() => { renderPending = false; renderDetail(); }), 120);
}

function gauge(label, spent, max, unit) {
  const pct = max > 0 ? (100 * spent) / max : 0;
  const cls = pct >= 100 ? 'full' : pct >= 80 ? 'high' : '';
  return h('div', { class: 'gauge' },
    h('div', { class: 'gauge-head' }, h('span', {}, label), h('span', { class: 'num' },
      max > 0 ? `${unit(spent)} / ${unit(max)} (${pct.toFixed(0)}%)` : unit(spent))),
    bar(spent, max, cls));
}

function renderDetail() {
  if (!current) return;
  const m = current.model;
  const st = m.started;
  $('#detail-title').textContent = m.requestId;
  // Before the snapshot arrives (a big search's takes a moment) the overview's line stands in for it.
  const known = overview.searches.get(m.requestId);
  $('#detail-question').replaceChildren(...(st ? [taskTag(st.task || 'arithmetic'), st.question]
    : known && known.question ? [taskTag(known.task || 'arithmetic'), known.question]
    : [m.result || known ? 'loading its events…' : m.loaded ? 'waiting for the search to start…' : 'loading…']).filter(x => x !== null));
  $('#detail-method').textContent = st ? [methodText(st.strategy), ...st.policies.map(methodText)].join(' + ')
    + ` · verifier ${st.verifier || 'prm'} · aggregation ${st.aggregation || 'last'} · generator ${st.generator || '?'}` : '';
  const state = $('#detail-state');
  const stopReason = m.result ? m.result.stop_reason : known && known.state === 'finished' ? known.stop_reason : null;
  state.textContent = stopReason || (st || known ? 'running' : m.loaded ? 'waiting' : 'loading');
  state.className = `state ${stopReason ? String(stopReason).toLowerCase() : 'running'}`;

  const budget = st ? st.budget : m.result ? m.result.budget : {};
  const spend = m.spend || {};
  const wall = m.result ? Number(spend.wall_ms) : m.startedMs ? Math.max(Number(spend.wall_ms || 0), Date.now() + overview.clockOffset - m.startedMs) : 0;
  $('#budget').replaceChildren(
    gauge('tokens generated', Number(spend.generated_tokens || 0), Number(budget.max_tokens || 0), num),
    gauge('verifier calls', Number(spend.verifier_calls || 0), Number(budget.max_verifier_calls || 0), num),
    gauge('time', wall, Number(budget.deadline_ms || 0), secs),
  );
  $('#detail-counts').textContent = `${num(m.branches.size)} branches · ${num(spend.prefill_tokens)} tokens prefilled · ${num(m.lastSequence)} events`
    + (m.missed ? ` · ${num(m.missed)} missed` : '');

  const nodes = renderTree($('#tree'), m);
  $('#tree-empty').hidden = nodes > 0;

  const r = m.result;
  const result = $('#result');
  result.hidden = !r;
  if (r) {
    $('#result-answer').textContent = r.answer || '(none)';
    $('#result-score').textContent = r.score !== undefined ? Number(r.score).toFixed(3) : '—';
    $('#result-tokens').textContent = num(r.spend.generated_tokens);
    $('#result-calls').textContent = num(r.spend.verifier_calls);
    $('#result-wall').textContent = secs(r.spend.wall_ms);
    $('#result-detail').textContent = r.stop_detail || '';
    $('#result-votes').textContent = (r.answers || []).map(a => `${a.answer}: ${a.votes} vote${a.votes === 1 ? '' : 's'}, best ${Number(a.best_score).toFixed(2)}`).join(' · ');
  }

  const rows = m.timeline.slice(-300).map(e => h('li', { class: e.kind },
    h('span', { class: 'when' }, '+' + secs(e.t - m.startedMs)),
    h('span', { class: 'who' }, e.who),
    h('span', { class: 'action' }, e.kind === 'pruned' ? `pruned ${e.branchIds.length} branch${e.branchIds.length === 1 ? '' : 'es'}` : e.action),
    h('span', { class: 'reason' }, e.reason,
      e.branchIds.length ? h('span', { class: 'dim' }, ` · #${e.branchIds.join(', #')}`) : null,
      e.values && Object.keys(e.values).length ? h('span', { class: 'dim' }, ' · ' + Object.entries(e.values).map(([k, v]) => `${k}=${Number(v).toPrecision(3)}`).join(' ')) : null)));
  $('#timeline').replaceChildren(...(rows.length ? rows : [h('li', { class: 'dim' }, 'no decisions yet')]));
}

setInterval(() => { if (current && current.model.started && !current.model.result) scheduleRender(); }, 1000);

// ---------------------------------------------------------------------------------------------- asking

// "n=8 width=2" -> {n: "8", width: "2"}
function parseParams(text) {
  const params = {};
  for (const part of text.trim().split(/[\s,]+/).filter(Boolean)) {
    const [k, ...v] = part.split('=');
    params[k] = v.join('=');
  }
  return params;
}

// "prune fraction=0.5; consensus tau=0.75" -> [{name, params}]
function parsePolicies(text) {
  return text.split(';').map(s => s.trim()).filter(Boolean).map(s => {
    const [name, ...rest] = s.split(/\s+/);
    return { name, params: parseParams(rest.join(' ')) };
  });
}

// A question to start from when the task changes (the bundled tasks; others start empty).
const EXAMPLES = { arithmetic: '3+4', countdown: '3 7 9 2 -> 24' };

async function loadStrategies() {
  try {
    const catalog = await (await fetch('/v1/strategies')).json();
    const select = $('#ask-strategy');
    select.replaceChildren(...catalog.strategies.map(s => h('option', { value: s.name, title: s.description }, s.name)));
    select.value = 'beam_search';
    const tasks = catalog.tasks && catalog.tasks.length ? catalog.tasks : [{ name: 'arithmetic', description: '' }];
    const taskSelect = $('#ask-task');
    taskSelect.replaceChildren(...tasks.map(t => h('option', { value: t.name, title: t.description }, t.name)));
    taskSelect.onchange = () => {
      const t = tasks.find(x => x.name === taskSelect.value);
      $('#ask-question').title = t && t.description ? t.description : '';
      $('#ask-question').value = EXAMPLES[taskSelect.value] || '';
    };
    $('#ask-policies').title = 'available: ' + catalog.policies.map(p => p.name).join(', ');
  } catch (e) {
    $('#ask-status').textContent = 'could not load the strategies: ' + e;
  }
}

async function ask(event) {
  event.preventDefault();
  const requestId = 'web-' + Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 6);
  const request = {
    request_id: requestId,
    task: $('#ask-task').value,
    question: $('#ask-question').value,
    strategy: { name: $('#ask-strategy').value, params: parseParams($('#ask-params').value) },
    policies: parsePolicies($('#ask-policies').value),
    budget: {
      max_tokens: $('#ask-tokens').value,
      max_verifier_calls: Number($('#ask-calls').value),
      deadline_ms: Number($('#ask-deadline').value),
    },
  };
  const status = $('#ask-status');
  status.className = 'status';
  status.textContent = `asked as ${requestId}…`;
  $('#ask-response').textContent = '';
  select(requestId); // watching before it starts: nothing is missed
  try {
    const response = await fetch('/v1/solve', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(request) });
    const text = await response.text();
    $('#ask-response').textContent = text;
    const body = JSON.parse(text);
    if (!response.ok) {
      status.className = 'status error';
      status.textContent = `${response.status}: ${body.error ? `${body.error.field ? body.error.field + ': ' : ''}${body.error.message}` : text}`;
      return;
    }
    status.textContent = `${requestId}: answer ${body.answer || '(none)'} · ${num(body.spend.generated_tokens)} tokens · `
      + `${num(body.spend.verifier_calls)} verifier calls · ${body.stop_reason}`;
  } catch (e) {
    status.className = 'status error';
    status.textContent = 'failed: ' + e;
  }
}

// ---------------------------------------------------------------------------------------------- start

$('#ask').addEventListener('submit', ask);
loadStrategies();
connectOverview();
const linked = new URLSearchParams(location.hash.slice(1)).get('search');
if (linked) select(linked);
