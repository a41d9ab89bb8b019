// One search as the monitor sees it: its events folded into branches, steps, decisions and spend.
// Events are the proto3 JSON of events.proto (snake_case; uint64 fields arrive as strings).

export class SearchModel {
  constructor(requestId) {
    this.requestId = requestId;
    this.started = null;          // SearchStarted
    this.startedMs = 0;
    this.lastMs = 0;
    this.spend = {};
    this.result = null;           // SolveResult once finished
    this.loaded = false;          // the snapshot has arrived (set by the page)
    this.branches = new Map();    // id -> Branch
    this.timeline = [];           // decisions, prunes, budget, finish (bounded)
    this.lastSequence = 0;
    this.missed = 0;
    this.version = 0;             // bumped on every change, for the renderer
  }

  applyAll(events) {
    for (const e of events) this.apply(e);
  }

  apply(e) {
    const seq = Number(e.sequence);
    if (seq <= this.lastSequence) return;
    if (this.lastSequence > 0 && seq > this.lastSequence + 1) this.missed += seq - this.lastSequence - 1;
    this.lastSequence = seq;
    const t = Number(e.time_unix_ms);
    if (!this.startedMs) this.startedMs = t;
    this.lastMs = t;
    if (e.spend) this.spend = e.spend;
    this.version++;

    if (e.started) {
      this.started = e.started;
    } else if (e.branches_started) {
      for (const id of e.branches_started.branch_ids) this.branch(id);
    } else if (e.forked) {
      const f = e.forked;
      for (const id of f.child_ids) {
        const b = this.branch(id);
        b.parent = String(f.parent_id);
        b.start = Number(f.at_step);
      }
    } else if (e.step) {
      const s = e.step;
      const b = this.branch(s.branch_id);
      const i = Number(s.step_index);
      if (!s.text && !s.tokens) return; // a cancelled extension: nothing was generated
      const step = b.steps[i] || (b.steps[i] = { text: '', tokens: 0, score: null, aggregate: null, end: '' });
      step.text += s.text;            // a step cut by a token quota continues in the next chunk
      step.tokens += Number(s.tokens);
      step.end = s.end;
    } else if (e.scored) {
      const s = e.scored;
      const step = this.branch(s.branch_id).steps[Number(s.step_index)];
      if (step) {
        step.score = s.score;
        step.aggregate = s.aggregate;
      }
    } else if (e.pruned) {
      const b = this.branch(e.pruned.branch_id);
      b.state = 'pruned';
      b.by = e.pruned.by;
      b.reason = e.pruned.reason;
      this.note(t, 'pruned', e.pruned.by, 'prune', e.pruned.reason, [String(e.pruned.branch_id)], null);
    } else if (e.finished) {
      const f = e.finished;
      const b = this.branch(f.branch_id);
      if (b.state !== 'pruned') b.state = f.end === 'stopped' ? 'stopped' : 'finished';
      b.end = f.end;
      b.answer = f.answer;
      b.aggregate = f.aggregate;
    } else if (e.decision) {
      const d = e.decision;
      this.note(t, 'decision', d.policy, d.action, d.reason, (d.branch_ids || []).map(String), d.values || null);
    } else if (e.budget_exhausted) {
      this.note(t, 'budget', 'budget', 'exhausted', `the ${e.budget_exhausted.resource.replace('_', ' ')} budget ran out`, [], null);
    } else if (e.search_finished) {
      this.result = e.search_finished.result;
      this.spend = this.result.spend || this.spend;
      const r = this.result;
      this.note(t, 'finish', 'search', r.stop_reason, r.stop_detail || '', r.branch_id ? [String(r.branch_id)] : [], null);
    }
  }

  branch(id) {
    const key = String(id);
    let b = this.branches.get(key);
    if (!b) {
      b = { id: key, parent: null, start: 0, steps: [], state: 'live', by: '', reason: '', end: '', answer: '', aggregate: null };
      this.branches.set(key, b);
    }
    return b;
  }

  // Consecutive prunes with the same reason become one line ("4 branches").
  note(t, kind, who, action, reason, branchIds, values) {
    const last = this.timeline[this.timeline.length - 1];
    if (kind === 'pruned' && last && last.kind === 'pruned' && last.who === who && last.reason === reason) {
      last.branchIds.push(...branchIds);
      return;
    }
    this.timeline.push({ t, kind, who, action, reason, branchIds, values });
    if (this.timeline.length > 1000) this.timeline.shift();
  }

  chosenBranch() {
    return this.result && this.result.branch_id && this.result.branch_id !== '0' ? String(this.result.branch_id) : null;
  }
}

// ---------------------------------------------------------------------------------------------- the tree

// Steps are nodes. A branch owns its steps from `start` on; before that its steps are its parent's (a fork
// at step k shares steps 0..k-1), so node (b, i) is found by walking up while i < start.
function ownerOf(model, branchId, i) {
  let b = model.branches.get(branchId);
  while (b && i < b.start && b.parent) b = model.branches.get(b.parent);
  return b;
}

export function buildTree(model) {
  const root = { key: 'root', children: [], depth: -1, passers: new Set() };
  const nodes = new Map([['root', root]]);
  const keyOf = (branchId, i) => {
    if (i < 0) return 'root';
    const owner = ownerOf(model, branchId, i);
    return owner ? `${owner.id}:${i}` : 'root';
  };
  // Nodes, in the order branches appeared (parents before their forks).
  for (const b of model.branches.values()) {
    for (let i = b.start; i < b.steps.length; i++) {
      const step = b.steps[i];
      if (!step) continue;
      const node = { key: `${b.id}:${i}`, branch: b, index: i, step, children: [], depth: i, passers: new Set() };
      nodes.set(node.key, node);
    }
  }
  for (const node of nodes.values()) {
    if (node === root) continue;
    let parent = nodes.get(keyOf(node.branch.id, node.index - 1));
    if (!parent) parent = root; // its parent's step was not seen (events missed)
    node.parent = parent;
    parent.children.push(node);
  }
  // Which branches pass through each node: a node is greyed only when every branch through it was
  // pruned or stopped, and it is on the chosen path when the chosen branch passes through it.
  for (const b of model.branches.values()) {
    let node = nodes.get(keyOf(b.id, b.steps.length - 1));
    while (node) {
      node.passers.add(b);
      node = node.parent;
    }
  }
  const chosen = model.chosenBranch();
  for (const node of nodes.values()) {
    const states = [...node.passers].map(b => b.state);
    node.chosen = chosen !== null && [...node.passers].some(b => b.id === chosen);
    node.state = states.some(s => s === 'live' || s === 'finished') ? 'active'
      : states.includes('pruned') ? 'pruned' : states.length ? 'stopped' : 'active';
    node.leafOfFinished = node.children.length === 0 && node.branch && node.branch.state === 'finished'
      && node.index === node.branch.steps.length - 1;
  }
  return { root, nodes };
}

// PRM score to colour: red (0) .. amber (0.5) .. green (1).
export function scoreColour(score) {
  if (score === null || score === undefined) return '#b8c2cc';
  const stops = [[0, [215, 48, 39]], [0.5, [245, 190, 65]], [1, [26, 152, 80]]];
  const s = Math.max(0, Math.min(1, score));
  const [a, b] = s <= 0.5 ? [stops[0], stops[1]] : [stops[1], stops[2]];
  const f = (s - a[0]) / (b[0] - a[0]);
  const c = a[1].map((v, k) => Math.round(v + (b[1][k] - v) * f));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

const SVG = 'http://www.w3.org/2000/svg';
const DX = 100, DY = 24, R = 8, MARGIN = 24, LABEL = 160;
// Step texts are written beside inner nodes only while the tree is small enough to read them.
const TEXT_NODES = 200;

function el(name, attrs, parent) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (parent) parent.appendChild(e);
  return e;
}

// Left to right: depth = step index; leaves get rows in order, a parent sits between its first and last child.
function layout(root) {
  let row = 0, maxDepth = 0;
  const place = node => {
    maxDepth = Math.max(maxDepth, node.depth);
    if (node.children.length === 0) {
      node.y = row++;
    } else {
      node.children.forEach(place);
      node.y = (node.children[0].y + node.children[node.children.length - 1].y) / 2;
    }
    node.x = node.depth + 1;
  };
  place(root);
  return { rows: Math.max(row, 1), maxDepth };
}

function describe(node) {
  const b = node.branch, s = node.step;
  const lines = [`branch ${b.id} · step ${node.index + 1}${b.parent ? ` (forked from ${b.parent} at step ${b.start})` : ''}`,
    JSON.stringify(s.text), `${s.tokens} tokens · ends: ${s.end || '?'}`];
  if (s.score !== null) lines.push(`PRM score ${s.score.toFixed(3)} · branch aggregate ${Number(s.aggregate).toFixed(3)}`);
  else lines.push('not scored');
  const states = [...node.passers].map(p => `${p.id}: ${p.state}${p.state === 'pruned' ? ` by ${p.by} (${p.reason})` : ''}${p.answer ? ` answer ${p.answer}` : ''}`);
  lines.push('branches through here: ' + states.join('; '));
  return lines.join('\n');
}

export function renderTree(svg, model) {
  const { root, nodes } = buildTree(model);
  const { rows, maxDepth } = layout(root);
  const width = MARGIN * 2 + (maxDepth + 2) * DX + LABEL;
  const height = MARGIN * 2 + rows * DY;
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', width);
  svg.setAttribute('height', height);
  svg.replaceChildren();
  const px = n => MARGIN + n.x * DX;
  const py = n => MARGIN + n.y * DY + DY / 2;

  const edges = el('g', { class: 'edges' }, svg);
  const order = [...nodes.values()].filter(n => n !== root);
  // Chosen edges last, so they are drawn on top.
  order.sort((a, b) => Number(a.chosen) - Number(b.chosen));
  for (const n of order) {
    const p = n.parent;
    const mx = (px(p) + px(n)) / 2;
    el('path', {
      d: `M${px(p)},${py(p)} C${mx},${py(p)} ${mx},${py(n)} ${px(n)},${py(n)}`,
      class: `edge ${n.state}${n.chosen ? ' chosen' : ''}${n.parent !== root && n.branch !== n.parent.branch ? ' fork' : ''}`,
    }, edges);
  }

  const rootG = el('g', { class: 'node root', transform: `translate(${px(root)},${py(root)})` }, svg);
  el('rect', { x: -9, y: -9, width: 18, height: 18, rx: 4 }, rootG);
  el('title', {}, rootG).textContent = model.started ? `question: ${model.started.question}` : 'the question';

  const nodeLayer = el('g', { class: 'nodes' }, svg);
  for (const n of order) {
    const g = el('g', {
      class: `node ${n.state}${n.chosen ? ' chosen' : ''}${n.leafOfFinished ? ' finished' : ''}`,
      transform: `translate(${px(n)},${py(n)})`,
      'data-branch': n.branch.id, 'data-step': n.index,
    }, nodeLayer);
    el('circle', { r: R, fill: n.state === 'active' ? scoreColour(n.step.score) : '#d5d9de' }, g);
    if (n.state === 'pruned') el('path', { d: 'M-3.5,-3.5L3.5,3.5M3.5,-3.5L-3.5,3.5', class: 'cross' }, g);
    el('title', {}, g).textContent = describe(n);
    if (n.children.length > 0 && nodes.size <= TEXT_NODES) {
      const text = n.step.text.trim();
      el('text', { x: R + 4, y: -R - 1, class: 'step-text' }, g).textContent = text.length > 14 ? text.slice(0, 13) + '…' : text;
    }
    if (n.children.length === 0) {
      const b = n.branch;
      const label = b.state === 'pruned' ? `pruned by ${b.by}` : b.answer ? `A: ${b.answer}` : b.state === 'stopped' ? 'stopped' : '';
      if (label) el('text', { x: R + 5, y: 4, class: 'label' }, g).textContent = label;
    }
  }
  return nodes.size - 1;
}
