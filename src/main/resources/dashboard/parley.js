// Parley's dashboard: plain JavaScript against Parley's own API (/api/calls, /api/live...), served by Parley on
// its one port, to logged-in operators only (/login is the way in). No build step.
'use strict';

const $ = (selector) => document.querySelector(selector);
const views = ['live', 'history', 'campaigns', 'instance'];

function show(view) {
  views.forEach((name) => { $('#' + name).hidden = name !== view; });
  document.querySelectorAll('nav a').forEach((a) => a.classList.toggle('current', a.dataset.view === view));
}

function toLogin() {
  stopLive();
  location.replace('/login/');
}

function element(tag, attributes, ...children) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([name, value]) => {
    if (name === 'class') node.className = value; else node.setAttribute(name, value);
  });
  children.flat().forEach((child) => node.append(child instanceof Node ? child : String(child ?? '')));
  return node;
}

async function api(path, options) {
  const answer = await fetch(path, Object.assign({ credentials: 'same-origin' }, options));
  if (answer.status === 401) {
    toLogin();
    throw new Error('not logged in');
  }
  return answer;
}

// --- logging out ------------------------------------------------------------------------------------------

$('#logout').addEventListener('click', async () => {
  await fetch('/api/logout', { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' } });
  toLogin();
});

// --- live calls --------------------------------------------------------------------------------------------

const liveCalls = new Map();
let feed = null;

function stopLive() {
  if (feed) { feed.close(); feed = null; }
}

function startLive() {
  if (feed) return;
  feed = new EventSource('/api/live');
  feed.onmessage = (message) => onLiveEvent(JSON.parse(message.data));
  feed.onerror = async () => {
    // EventSource reconnects by itself; a refusal means the session is over.
    const check = await fetch('/api/calls?limit=1', { credentials: 'same-origin' });
    if (check.status === 401) toLogin();
  };
}

function liveCall(sid, instance) {
  if (!liveCalls.has(sid)) {
    const state = element('span', { class: 'state' }, 'connecting');
    const lines = element('div', { class: 'lines' });
    const gap = element('span', { class: 'gap' });
    const title = element('h3', {}, element('span', { class: 'sid' }, sid), state, gap,
      element('span', { class: 'hint' }, instance || ''));
    const card = element('div', { class: 'live-call', id: 'live-' + sid, 'data-sid': sid }, title, lines);
    $('#live-calls').prepend(card);
    liveCalls.set(sid, { card, state, lines, gap, title, seen: new Set() });
  }
  return liveCalls.get(sid);
}

function setState(call, state) {
  call.state.textContent = state;
  call.state.className = 'state ' + state;
}

// An event can come twice when the page opens mid-call (with the calls under way, and live): kept once.
function seenBefore(call, event) {
  const key = [event.type, event.speaker, event.startMs, event.number, event.kind, event.atMs].join('|');
  if (call.seen.has(key)) return true;
  call.seen.add(key);
  return false;
}

function onLiveEvent(event) {
  const call = liveCall(event.callSid, event.instance);
  if (seenBefore(call, event)) return;
  switch (event.type) {
    case 'started':
      call.title.insertBefore(element('span', {}, `${event.direction} ${event.from || ''}` +
        (event.to ? ` → ${event.to}` : '')),
        call.state);
      setState(call, 'speaking');
      break;
    case 'line': {
      const line = element('p', { class: 'line ' + event.speaker + (event.interrupted ? ' cut' : '') },
        element('span', { class: 'who' }, event.speaker));
      if (event.interrupted && event.said.startsWith(event.heard)) {
        line.append(event.heard, element('span', { class: 'unheard' }, event.said.slice(event.heard.length)));
      } else {
        line.append(event.interrupted ? event.heard : event.said);
      }
      call.lines.append(line);
      setState(call, event.speaker === 'caller' ? 'thinking' : 'listening');
      break;
    }
    case 'withdrawn':
      call.lines.append(element('p', { class: 'event' }, 'the caller went on: their turn is taken back'));
      setState(call, 'listening');
      break;
    case 'turn':
      call.gap.textContent = event.firstAudioMs == null ? '' : `gap ${event.firstAudioMs} ms`;
      setState(call, 'speaking');
      break;
    case 'event':
      call.lines.append(element('p', { class: 'event' }, `${event.kind}: ${event.detail || ''}`));
      break;
    case 'ended':
      setState(call, 'ended');
      call.card.classList.add('ended');
      call.lines.append(element('p', { class: 'event' }, `ended: ${event.reason}` +
        (event.outcome ? `, outcome ${event.outcome}` : '')));
      setTimeout(() => { call.card.remove(); liveCalls.delete(event.callSid); updateCount(); }, 60000);
      break;
    default:
      break;
  }
  updateCount();
}

function updateCount() {
  $('#live-count').textContent = [...liveCalls.values()].filter((call) => !call.card.classList.contains('ended')).length;
}

// --- history -----------------------------------------------------------------------------------------------

$('#filters').addEventListener('submit', (submitted) => { submitted.preventDefault(); loadHistory(); });

async function loadHistory() {
  const query = new URLSearchParams();
  new FormData($('#filters')).forEach((value, name) => {
    if (!value) return;
    query.set(name, name === 'from' || name === 'to' ? new Date(value).toISOString() : value);
  });
  const answer = await api('/api/calls?' + query);
  const body = $('#calls tbody');
  body.replaceChildren();
  if (!answer.ok) {
    body.append(element('tr', {}, element('td', { colspan: 7, class: 'error' }, (await answer.json()).error)));
    return;
  }
  (await answer.json()).forEach((call) => {
    const row = element('tr', { 'data-sid': call.call_sid },
      element('td', {}, call.started_at ? new Date(call.started_at).toLocaleString() : ''),
      element('td', {}, call.call_sid), element('td', {}, call.direction),
      element('td', {}, call.direction === 'inbound' ? call.from_number : call.to_number),
      element('td', {}, call.length_ms == null ? '' : (call.length_ms / 1000).toFixed(1) + ' s'),
      element('td', {}, call.outcome || ''), element('td', {}, call.campaign_ref || ''));
    row.addEventListener('click', () => openCall(call.call_sid));
    body.append(row);
  });
}

// The parts of the gap the caller heard, each from the step before it: they add up to the first audio.
const PARTS = [
  ['stop_detected_ms', 'hearing', 'the silence seen'],
  ['final_received_ms', 'recognizer', 'final words'],
  ['decided_ms', 'deciding', 'turn decided'],
  ['first_token_ms', 'model', 'first model token'],
  ['first_voice_byte_ms', 'voice', 'first voice audio'],
  ['first_audio_ms', 'playback', 'first audio to Twilio'],
];

function waterfall(turn) {
  const total = turn.first_audio_ms;
  if (total == null || total <= 0) return element('p', { class: 'hint' }, 'not answered');
  const bar = element('div', { class: 'waterfall', title: `${total} ms from the caller's last word to the answer` });
  const legend = [];
  let from = 0;
  PARTS.forEach(([field, name, label]) => {
    const at = turn[field];
    if (at == null || at < from) return;
    const width = at - from;
    bar.append(element('span', {
      class: 'step-' + name, style: `left:${(100 * from) / total}%;width:${(100 * width) / total}%`,
      title: `${name}: ${width} ms (to ${label})`,
    }, `${name} ${width}`));
    legend.push(`${name} ${width} ms`);
    from = at;
  });
  return element('div', {}, element('p', { class: 'gap' }, `gap ${total} ms = ` + legend.join(' + ')), bar);
}

async function openCall(sid) {
  const answer = await api('/api/calls/' + encodeURIComponent(sid));
  const call = await answer.json();
  const article = $('#call');
  article.hidden = false;
  article.replaceChildren(
    element('h3', {}, `${call.call_sid} · ${call.direction} · ${call.outcome || 'no outcome'}`),
    element('p', {}, call.summary || ''),
    call.recording ? element('audio', { controls: '', preload: 'metadata', id: 'recording',
      src: `/api/calls/${encodeURIComponent(sid)}/recording` }) : element('p', { class: 'hint' }, 'not recorded'),
    element('h4', {}, 'Turns'),
    ...call.turns.map((turn) => element('div', { class: 'turn' },
      element('p', {}, `${turn.turn_number}. “${turn.said}” → ${turn.answered_by}` +
        (turn.model ? ` (${turn.model})` : '') + (turn.reason ? `: ${turn.reason}` : '')),
      waterfall(turn))),
    element('h4', {}, 'What was said'),
    ...call.lines.map((line) => element('p', { class: 'line ' + (line.interrupted ? 'cut' : '') },
      element('span', { class: 'who' }, line.speaker),
      line.interrupted ? `${line.heard} (cut; meant: ${line.said})` : line.said)),
    element('h4', {}, 'Events'),
    ...call.events.map((event) => element('p', { class: 'event' },
      `${(event.at_ms / 1000).toFixed(1)} s ${event.kind}: ${event.detail || ''}`)));
  article.scrollIntoView();
}

// --- campaigns and the instance ----------------------------------------------------------------------------

function fill(table, rows) {
  const body = $(table + ' tbody');
  body.replaceChildren(...rows.map((cells) => element('tr', {}, ...cells.map((cell) => element('td', {}, cell)))));
}

async function loadCampaigns() {
  const campaigns = await (await api('/api/campaigns')).json();
  fill('#campaign-table', campaigns.map((c) => [c.campaign, c.requests, c.queued, c.dialing, c.answered, c.voicemail,
    c.not_reached, c.not_dialed, c.next_attempt_at ? new Date(c.next_attempt_at).toLocaleString() : '',
    Object.entries(c.outcomes || {}).map(([outcome, calls]) => `${outcome} ${calls}`).join(', ')]));
}

async function loadInstance() {
  const instance = await (await api('/api/instance')).json();
  $('#instance-name').textContent = instance.instance;
  $('#calls-live').textContent = instance.calls_live;
  const order = ['stop_detected', 'finalize_sent', 'final_words', 'verdict', 'decided', 'first_token',
    'first_voice_byte', 'first_audio'];
  fill('#steps', Object.entries(instance.turn_steps_ms).sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
    .map(([step, f]) => [step, f.count, f.p50, f.p95, f.p99]));
  fill('#events', Object.entries(instance.call_events).sort());
  fill('#health', Object.entries(instance.health));
}

// --- start -------------------------------------------------------------------------------------------------

function route() {
  const view = views.includes(location.hash.slice(1)) ? location.hash.slice(1) : 'live';
  show(view);
  startLive();
  if (view === 'history') loadHistory();
  if (view === 'campaigns') loadCampaigns();
  if (view === 'instance') loadInstance();
}

window.addEventListener('hashchange', route);
route();
