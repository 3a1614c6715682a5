// The review desk: label what the model is unsure about, and see what each model version learned.
// Plain browser JavaScript against the trainer's JSON API; no build step, nothing from a CDN.
'use strict';

const $ = (id) => document.getElementById(id);
const POLL_QUEUE_MS = 4000;
const POLL_RUN_MS = 2000;

const state = {
  items: [],            // waiting images, the first one is on screen
  classes: [],          // every class the desk offers (the champion's, then those labeled so far)
  history: [],          // what Undo can take back: {kind: 'label' | 'skip', item}
  sending: null,        // the image id whose label is on its way (a second press is not sent)
  session: 0,
  view: 'review',
};

// ---------- talking to the trainer ----------

function credentials() {
  return { key: localStorage.getItem('argus.key') || '', labeler: localStorage.getItem('argus.labeler') || '' };
}

// Every request carries the key: reads of the queue, images, labels and models need one too.
function keyHeaders() {
  const { key, labeler } = credentials();
  const headers = {};
  if (key) headers['X-Api-Key'] = key;
  if (labeler) headers['X-Labeler'] = labeler;
  return headers;
}

async function api(method, path, body) {
  const headers = keyHeaders();
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = { message: text }; }
  if (!response.ok) {
    const error = new Error((data && data.message) || response.statusText);
    error.status = response.status;
    error.code = data && data.code;
    throw error;
  }
  return data;
}

function say(text, kind) {
  const m = $('message');
  m.textContent = text;
  m.className = kind || '';
}

function explain(error) {
  if (error.status === 401) return 'This needs a labeler key: enter it at the top right and press Save. (' + error.message + ')';
  if (error.status === 403) return 'Your key may not do this (the desk needs a labeler key): ' + error.message;
  return error.message;
}

// ---------- review ----------

async function loadQueue() {
  try {
    const q = await api('GET', '/api/review/queue?limit=50&order=' + $('order').value);
    state.classes = q.classes;
    const current = state.items[0];
    // Keep the image on screen where it is; new arrivals queue behind it.
    const fresh = q.items.filter((i) => !current || i.imageId !== current.imageId);
    state.items = current && q.items.some((i) => i.imageId === current.imageId) ? [current, ...fresh] : q.items;
    $('stat-waiting').textContent = q.waiting;
    $('known-classes').innerHTML = state.classes.map((c) => '<option value="' + escapeHtml(c) + '">').join('');
    if (!current || current.imageId !== (state.items[0] && state.items[0].imageId)) show();
  } catch (e) {
    say('Could not load the queue: ' + explain(e), 'error');
  }
}

async function loadStats() {
  try {
    const s = await api('GET', '/api/labels/stats');
    $('stat-samples').textContent = s.samples;
    $('stat-new').textContent = s.newSinceLastModel;
  } catch (e) { /* the queue poll reports trouble */ }
}

/** The classes numbered 1-9 for this image: the model's guesses first, then the others. */
function choicesFor(item) {
  const guesses = (item.topK || []).map((g) => g.label);
  const ordered = [...guesses, ...state.classes.filter((c) => !guesses.includes(c))];
  return ordered.slice(0, 9);
}

function show() {
  const item = state.items[0];
  $('empty').hidden = !!item;
  $('item').hidden = !item;
  if (!item) return;
  loadImage(item);
  $('item-id').textContent = item.imageId;
  $('item-sensor').textContent = item.sensorId || 'unknown';
  $('item-captured').textContent = item.capturedAt ? new Date(item.capturedAt).toLocaleString() : 'not given';
  $('item-queued').textContent = new Date(item.queuedAt).toLocaleString();
  $('item-model').textContent = item.modelName + ' v' + item.modelVersion;
  $('item-reason').textContent = item.reason || '';
  const scores = Object.fromEntries((item.topK || []).map((g) => [g.label, g.confidence]));
  $('classes').innerHTML = choicesFor(item).map((c, i) => {
    const p = scores[c];
    return '<li><button type="button" data-class="' + escapeHtml(c) + '"><kbd>' + (i + 1) + '</kbd> ' + escapeHtml(c)
      + (p === undefined ? '' : '<span class="p">' + Math.round(p * 100) + '%</span><span class="conf" style="width:'
        + Math.round(p * 100) + '%"></span>') + '</button></li>';
  }).join('');
  $('class-name').value = '';
}

// <img src="..."> cannot send the key the image needs: fetch it with the key and show it as a blob: URL.
let imageUrl = null;
let imageTicket = 0;

async function loadImage(item) {
  const ticket = ++imageTicket;
  const img = $('image');
  // Never the previous image under this one's details: the picture goes before the next one arrives.
  img.removeAttribute('src');
  if (imageUrl) URL.revokeObjectURL(imageUrl);
  imageUrl = null;
  $('image-missing').hidden = true;
  try {
    const response = await fetch('/api/review/items/' + encodeURIComponent(item.imageId) + '/image',
      { headers: keyHeaders() });
    if (!response.ok) throw new Error('HTTP ' + response.status);
    const blob = await response.blob();
    if (ticket !== imageTicket) return; // another image is on screen by now
    imageUrl = URL.createObjectURL(blob);
    img.src = imageUrl;
  } catch (e) {
    if (ticket === imageTicket) $('image-missing').hidden = false;
  }
}

async function label(className) {
  const item = state.items[0];
  if (!item) return;
  if (state.sending === item.imageId) {
    say('The label for ' + item.imageId + ' is already on its way; it is recorded once.', 'error');
    return;
  }
  state.sending = item.imageId;
  try {
    let done;
    try {
      done = await api('POST', '/api/review/items/' + encodeURIComponent(item.imageId) + '/label', { label: className });
    } catch (e) {
      // A name that differs from a class only by case or spacing: ask whether it is meant as a new class.
      if (e.code !== 'LOOKS_LIKE_A_CLASS' || !window.confirm(e.message + '\n\nOK: it is a new class. Cancel: go back.')) throw e;
      done = await api('POST', '/api/review/items/' + encodeURIComponent(item.imageId) + '/label',
        { label: className, newClass: true });
    }
    state.history.push({ kind: 'label', item });
    state.session++;
    $('stat-session').textContent = state.session;
    say('Labeled ' + item.imageId + ' as "' + done.label + '".', 'ok');
    next(item);
  } catch (e) {
    say(explain(e), 'error');
    // Someone else labeled it, or it left the queue, or its image is past retention: it cannot be labeled here.
    if (['ALREADY_LABELED', 'NOT_IN_QUEUE', 'PAST_RETENTION', 'UNKNOWN_IMAGE'].includes(e.code)) next(item);
  } finally {
    state.sending = null;
    loadStats();
  }
}

async function skip() {
  const item = state.items[0];
  if (!item) return;
  try {
    await api('POST', '/api/review/items/' + encodeURIComponent(item.imageId) + '/skip');
    state.history.push({ kind: 'skip', item });
    say('Skipped ' + item.imageId + '; it comes back after the others.', 'ok');
    next(item);
  } catch (e) {
    say(explain(e), 'error');
  }
}

async function undo() {
  const last = state.history.pop();
  if (!last) {
    say('Nothing to undo.', 'error');
    return;
  }
  const id = encodeURIComponent(last.item.imageId);
  try {
    await api('DELETE', '/api/review/items/' + id + (last.kind === 'label' ? '/label' : '/skip'));
    if (last.kind === 'label') {
      state.session--;
      $('stat-session').textContent = state.session;
    }
    state.items = [last.item, ...state.items.filter((i) => i.imageId !== last.item.imageId)];
    say('Undone: ' + last.kind + ' of ' + last.item.imageId + '.', 'ok');
    show();
    loadStats();
  } catch (e) {
    state.history.push(last);
    say(explain(e), 'error');
  }
}

function next(item) {
  state.items = state.items.filter((i) => i.imageId !== item.imageId);
  $('stat-waiting').textContent = Math.max(0, Number($('stat-waiting').textContent) - 1 || 0);
  show();
  if (state.items.length < 5) loadQueue();
}

// ---------- models ----------

async function loadModels() {
  try {
    const versions = await api('GET', '/api/models');
    const body = $('versions').querySelector('tbody');
    body.innerHTML = versions.slice().reverse().map((v) => {
      const m = v.manifest, p = m.provenance || {}, x = m.metrics || {};
      const pruned = p.pruning ? ' (pruned from ' + p.pruning.paramsBefore.toLocaleString() + ')' : '';
      return '<tr data-version="' + v.version + '"><td>v' + v.version + (v.champion ? ' ★' : '') + '</td>'
        + '<td class="status-' + v.status + '" title="' + escapeHtml(v.reason || '') + '">' + v.status
        + (v.live ? ' · live ' + fixed(v.live.accuracy) + ' (n=' + v.live.n + ')' : '') + '</td><td>' + escapeHtml(p.baseModel || '') + '</td>'
        + '<td>' + escapeHtml(p.strategy || '') + '</td><td>' + [p.trainSamples, p.validationSamples, p.testSamples].join(' / ')
        + '</td><td>' + fixed(x.accuracy) + '</td><td>' + fixed(x.macroF1) + '</td><td>'
        + (p.trainableParams ? p.trainableParams.toLocaleString() : '') + pruned + '</td><td>'
        + new Date(m.createdAt).toLocaleString() + '</td></tr>';
    }).join('');
    body.querySelectorAll('tr').forEach((row) => row.addEventListener('click', () =>
      detail(versions.find((v) => String(v.version) === row.dataset.version))));
    const selected = versions.find((v) => v.champion) || versions[versions.length - 1];
    if (selected && $('detail').hidden) detail(selected);
  } catch (e) {
    say('Could not load the models: ' + explain(e), 'error');
  }
}

function detail(v) {
  const m = v.manifest.metrics;
  document.querySelectorAll('#versions tr').forEach((r) => r.classList.toggle('selected', r.dataset.version === String(v.version)));
  $('detail').hidden = false;
  $('detail-title').textContent = 'v' + v.version + ': what it learned (' + (m ? m.samples + ' test samples' : 'no evaluation') + ')'
    + (v.status === 'WITHDRAWN' || v.status === 'RESTORED' ? ' · ' + v.status + ': ' + (v.reason || '') : '');
  gate(v.gate);
  if (!m) return;
  $('per-class').querySelector('tbody').innerHTML = m.perClass.map((c) => '<tr><td>' + escapeHtml(c.label) + '</td><td>'
    + fixed(c.precision) + '</td><td>' + fixed(c.recall) + '</td><td>' + fixed(c.f1) + '</td><td>' + c.support + '</td></tr>').join('');
  const labels = m.perClass.map((c) => c.label);
  let html = '<thead><tr><th></th>' + labels.map((l) => '<th>' + escapeHtml(l) + '</th>').join('') + '</tr></thead><tbody>';
  m.confusion.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0) || 1;
    html += '<tr><th>' + escapeHtml(labels[i]) + '</th>' + row.map((n, j) => {
      // Shade by the share of the true class: the diagonal is what it gets right, the rest is what it mixes up.
      const share = n / total;
      const hue = i === j ? '19, 121, 91' : '180, 35, 24';
      return '<td title="' + escapeHtml(labels[i]) + ' predicted as ' + escapeHtml(labels[j]) + ': ' + n + '" style="background: rgba('
        + hue + ', ' + (share * 0.9).toFixed(3) + '); color: ' + (share > 0.5 ? '#fff' : 'inherit') + '">' + n + '</td>';
    }).join('') + '</tr>';
  });
  $('confusion').innerHTML = html + '</tbody>';
}

// Every slice the gate judged: the reference data, each sensor, each class; targeted ones marked.
function gate(g) {
  $('gate').hidden = !g;
  if (!g) return;
  $('gate-decision').textContent = g.decision + ' (' + g.method + ')';
  $('gate-reason').textContent = g.reason;
  const pct = (x) => x === null || x === undefined ? '' : (100 * x).toFixed(1) + '%';
  const pts = (x) => x === null || x === undefined ? '' : (x >= 0 ? '+' : '') + (100 * x).toFixed(1);
  $('gate-slices').querySelector('tbody').innerHTML = g.slices.map((s) => '<tr class="verdict-'
    + escapeHtml(s.verdict.replace(/ /g, '-')) + '"><td>' + escapeHtml(s.name) + (s.targeted ? ' ◎' : '') + '</td><td>' + s.n
    + '</td><td>' + pct(s.champion) + '</td><td>' + pct(s.candidate) + '</td><td>' + pts(s.difference) + '</td><td>'
    + (s.lower === null || s.lower === undefined ? '' : '[' + pts(s.lower) + ', ' + pts(s.upper) + ']') + '</td><td>'
    + escapeHtml(s.verdict) + '</td></tr>').join('');
}

async function loadRun() {
  try {
    const runs = await api('GET', '/api/training-runs');
    const run = runs[0];
    $('run-none').hidden = !!run;
    $('run-now').hidden = !run;
    if (!run) return;
    let text = run.id + ' (' + run.trigger + '): ' + run.phase;
    if (run.epoch) text += ', epoch ' + run.epoch + ' of ' + run.maxEpochs;
    if (run.validationAccuracy != null) text += ', validation accuracy ' + fixed(run.validationAccuracy);
    if (run.etaSeconds != null && !['DONE', 'FAILED'].includes(run.phase)) text += ', about ' + Math.round(run.etaSeconds) + ' s left';
    if (run.result) text += ' → v' + run.result.version + ' ' + run.result.decision.status + ': ' + run.result.decision.reason;
    if (run.error) text += ' — ' + run.error;
    $('run-summary').textContent = text;
    const done = ['DONE', 'FAILED'].includes(run.phase);
    $('run-bar').style.width = (done ? 100 : run.epoch && run.maxEpochs ? Math.round(100 * run.epoch / run.maxEpochs) : 5) + '%';
  } catch (e) { /* shown by the next successful poll */ }
}

// ---------- wiring ----------

function switchTo(view) {
  state.view = view;
  say('');
  $('view-review').hidden = view !== 'review';
  $('view-models').hidden = view !== 'models';
  document.querySelectorAll('.tab').forEach((t) => t.classList.toggle('active', t.dataset.view === view));
  if (view === 'models') { loadModels(); loadRun(); }
}

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

function fixed(x) {
  return x == null ? '' : Number(x).toFixed(4);
}

document.addEventListener('keydown', (e) => {
  if (e.target.tagName === 'INPUT' || e.target.tagName === 'SELECT' || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key === 'r' || e.key === 'R') return switchTo('review');
  if (e.key === 'm' || e.key === 'M') return switchTo('models');
  if (state.view !== 'review') return;
  if (/^[1-9]$/.test(e.key)) {
    const item = state.items[0];
    const c = item && choicesFor(item)[Number(e.key) - 1];
    if (c) label(c);
  } else if (e.key === 's' || e.key === 'S') {
    skip();
  } else if (e.key === 'u' || e.key === 'U') {
    undo();
  } else if (e.key === '/') {
    e.preventDefault();
    $('class-name').focus();
  }
});

$('classes').addEventListener('click', (e) => {
  const button = e.target.closest('button[data-class]');
  if (button) label(button.dataset.class);
});
$('new-class').addEventListener('submit', (e) => {
  e.preventDefault();
  const name = $('class-name').value;
  $('class-name').blur();
  label(name);
});
// Bytes that arrived but are in a format browsers cannot draw (TIFF); loadImage reports those that did not arrive.
$('image').addEventListener('error', () => { $('image-missing').hidden = false; });
$('skip').addEventListener('click', skip);
$('undo').addEventListener('click', undo);
$('order').addEventListener('change', () => { state.items = []; loadQueue(); });
document.querySelectorAll('.tab').forEach((t) => t.addEventListener('click', () => switchTo(t.dataset.view)));
$('who').addEventListener('submit', (e) => {
  e.preventDefault();
  localStorage.setItem('argus.labeler', $('labeler').value.trim());
  localStorage.setItem('argus.key', $('api-key').value.trim());
  say('Saved: labels are given as "' + ($('labeler').value.trim() || 'the key\'s name') + '".', 'ok');
  // What a missing or wrong key could not load, loaded with this one now.
  state.items = [];
  loadQueue();
  loadStats();
  if (state.view === 'models') { loadModels(); loadRun(); }
});
$('labeler').value = credentials().labeler;
$('api-key').value = credentials().key;

loadQueue();
loadStats();
setInterval(() => { if (state.view === 'review') { loadQueue(); loadStats(); } }, POLL_QUEUE_MS);
setInterval(() => { if (state.view === 'models') { loadRun(); } }, POLL_RUN_MS);
