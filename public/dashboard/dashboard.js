import { createClient } from './vendor/graphql-ws/client.js';

// Display order. Open = somebody still owes the customer work (deadlines apply).
const STATUS_LABEL = { PENDING: '待分配', ASSIGNED: '已分配', PROCESSING: '处理中', ESCALATED: '已升级', RESOLVED: '已解决', CLOSED: '已关闭', CANCELLED: '已取消' };
const OPEN_STATUSES = ['PENDING', 'ASSIGNED', 'PROCESSING', 'ESCALATED'];
const PRIORITY_LABEL = { URGENT: '🚨 紧急', HIGH: '⬆️ 高', NORMAL: '➡️ 普通', LOW: '⬇️ 低' };
const CONNECTION_TEXT = { connecting: '连接中…', connected: '已连接', reconnecting: '已断开，正在重连…', signedOut: '未连接' };
const AUTH_CLOSE = { 4401: '未提供访问令牌，请输入令牌', 4403: '令牌无效或已过期，请重新输入' };
const TOKEN_KEY = 'ticket-dashboard.token';
const FEED_SIZE = 50;
const OVERDUE_PAGE = 50;
const RESYNC_DELAY_MS = 5_000;

const TICKET_FIELDS = 'id title status priority deadline assignedTo assignedToName version';
const TEAM_FIGURES = 'openTickets overdueNow resolvedLate slaBreachRate remindersSent ratings averageRating timeToResolve { tickets meanSeconds p90Seconds }';
const SNAPSHOT_QUERY = `query DashboardSnapshot {
  ticketStats { overdue byStatus { status count } byPriority { priority count } }
  overdueTickets: tickets(filter: { overdue: true }, first: ${OVERDUE_PAGE}) { edges { node { ${TICKET_FIELDS} } } }
  serviceStats {
    period { from to days }
    overall { ${TEAM_FIGURES} }
    unassigned { ${TEAM_FIGURES} }
    byAssignee { userId name ${TEAM_FIGURES} }
  }
}`;
const UPDATES_SUBSCRIPTION = `subscription DashboardUpdates($afterEventId: ID) {
  ticketUpdated(afterEventId: $afterEventId) {
    event { id type from to actorId actorName createdAt }
    ticket { ${TICKET_FIELDS} }
  }
}`;

const timeOfDay = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const dayAndTime = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

let token = localStorage.getItem(TOKEN_KEY);
let client; // the graphql-ws client of the current token
/** From ticketStats, then kept up to date by events; null while no snapshot is in place. */
let counts = null;
let countedAt = 0;
let syncGeneration = 0;
let lastEventId = null;
/** Tickets the page has seen, open ones only: id → { ticket, overdue (as counted in counts.overdue) }. */
const known = new Map();
let renderedMinute = 0;

const isOpen = (status) => OPEN_STATUSES.includes(status);
const isOverdue = (ticket, at) => isOpen(ticket.status) && Date.parse(ticket.deadline) < at;
const $ = (selector) => document.querySelector(selector);

function el(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

class AuthRejected extends Error {}

async function query(document) {
  const response = await fetch(new URL('/graphql', location.origin), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: document }),
  });
  if (response.status === 401) throw new AuthRejected();
  const { data, errors } = await response.json();
  if (errors?.length || !data) throw new Error(errors?.[0]?.message ?? `HTTP ${response.status}`);
  return data;
}

// ---- connection -------------------------------------------------------------------------------

function connect() {
  const request = { query: UPDATES_SUBSCRIPTION, variables: { afterEventId: null } };
  let socket;
  let pongTimeout;
  const self = createClient({
    url: new URL('/graphql', location.origin).href.replace(/^http/, 'ws'),
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: Infinity,
    // graphql-ws retries only close events by default; a refused connection reports an error event first.
    shouldRetry: (errorOrClose) => !(errorOrClose?.code in AUTH_CLOSE),
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 1_000 * 2 ** retries) * (0.5 + Math.random() / 2))),
    // A connection that died silently (sleep, NAT timeout) would otherwise look connected forever.
    keepAlive: 10_000,
    on: {
      connecting: (retrying) => client === self && showConnection(retrying ? 'reconnecting' : 'connecting'),
      connected: (connectedSocket) => {
        socket = connectedSocket;
        // graphql-ws re-sends this same request object on every reconnect, right after this
        // listener: updating it here resumes the stream after the last event received. Replaying
        // the missed events keeps the counts exact, whereas a new ticketStats would already include
        // them and count them twice. Without an event to resume after, only a new snapshot is exact.
        if (counts && lastEventId !== null) {
          request.variables.afterEventId = lastEventId;
          showConnection('connected');
        } else {
          request.variables.afterEventId = null;
          sync(self);
        }
      },
      closed: () => {
        clearTimeout(pongTimeout);
        if (client === self) showConnection('reconnecting');
      },
      ping: (received) => {
        if (!received) pongTimeout = setTimeout(() => socket?.readyState === WebSocket.OPEN && socket.close(4408, 'Pong timeout'), 5_000);
      },
      pong: (received) => received && clearTimeout(pongTimeout),
    },
  });
  client = self;
  const subscribe = () =>
    self.subscribe(request, {
      next: ({ data, errors }) => (data?.ticketUpdated ? receive(data.ticketUpdated) : console.error('ticketUpdated', errors)),
      error: (error) => {
        if (client !== self) return;
        if (error?.code in AUTH_CLOSE) return signOut(AUTH_CLOSE[error.code]);
        console.error('ticketUpdated stopped', error);
        restartLater();
      },
      complete: () => client === self && restartLater(),
    });
  // The server refused or ended the stream: start afresh from a new snapshot.
  const restartLater = () => {
    counts = null;
    lastEventId = null;
    showConnection('reconnecting');
    setTimeout(() => client === self && subscribe(), RESYNC_DELAY_MS);
  };
  subscribe();
}

/**
 * Takes counts and the overdue list from a snapshot. Events that arrived before its answer are
 * taken to be in it; later ones are counted on top of it.
 */
async function sync(self) {
  const generation = ++syncGeneration;
  try {
    const { ticketStats, overdueTickets, serviceStats } = await query(SNAPSHOT_QUERY);
    if (generation !== syncGeneration || client !== self) return;
    renderTeam(serviceStats);
    countedAt = Date.now();
    for (const { node } of overdueTickets.edges) remember(node);
    for (const entry of known.values()) entry.overdue = isOverdue(entry.ticket, countedAt);
    counts = {
      byStatus: Object.fromEntries(ticketStats.byStatus.map(({ status, count }) => [status, count])),
      byPriority: Object.fromEntries(ticketStats.byPriority.map(({ priority, count }) => [priority, count])),
      overdue: ticketStats.overdue,
    };
    render();
    showConnection('connected');
  } catch (error) {
    if (generation !== syncGeneration || client !== self) return;
    if (error instanceof AuthRejected) return signOut(AUTH_CLOSE[4403]);
    console.error('snapshot failed', error);
    setTimeout(() => generation === syncGeneration && client === self && sync(self), RESYNC_DELAY_MS);
  }
}

// ---- incremental updates ----------------------------------------------------------------------

function receive({ event, ticket }) {
  lastEventId = event.id;
  if (counts) countEvent(event, ticket);
  remember(ticket, event);
  prependToFeed(event, ticket);
  render();
}

const isStatusMove = (event) => (event.type === 'STATUS_CHANGED' || event.type === 'ESCALATED') && event.from in STATUS_LABEL && event.to in STATUS_LABEL;

function countEvent(event, ticket) {
  if (event.type === 'CREATED') moveCount(null, ticket.status, ticket.priority);
  else if (isStatusMove(event)) moveCount(event.from, event.to, ticket.priority);
}

function moveCount(from, to, priority) {
  if (from) counts.byStatus[from] -= 1;
  counts.byStatus[to] += 1;
  counts.byPriority[priority] += Number(isOpen(to)) - Number(from !== null && isOpen(from));
}

/** Notes the ticket's latest state; `event` is the change that produced it (none for snapshot rows). */
function remember(ticket, event) {
  let entry = known.get(ticket.id);
  if (!entry) {
    // New to the page: the snapshot counted it as overdue if it was, in its status before this event.
    const earlierStatus = event && isStatusMove(event) ? event.from : ticket.status;
    const counted = event?.type !== 'CREATED' && isOverdue({ ...ticket, status: earlierStatus }, countedAt);
    entry = { ticket, overdue: counted };
    known.set(ticket.id, entry);
  }
  if (ticket.version >= entry.ticket.version) entry.ticket = ticket;
  reconcileOverdue(entry, Date.now());
}

/** Moves the ticket in or out of the overdue count; true when it moved. */
function reconcileOverdue(entry, now) {
  const overdue = isOverdue(entry.ticket, now);
  const moved = overdue !== entry.overdue;
  if (moved && counts) counts.overdue += overdue ? 1 : -1;
  entry.overdue = overdue;
  if (!isOpen(entry.ticket.status)) known.delete(entry.ticket.id); // only a new event can reopen it
  return moved;
}

// Deadlines pass without any event: re-check the tickets the page knows, locally.
setInterval(() => {
  const now = Date.now();
  let moved = false;
  for (const entry of known.values()) moved = reconcileOverdue(entry, now) || moved;
  if (moved || Math.floor(now / 60_000) !== renderedMinute) render();
}, 1_000);

// ---- rendering --------------------------------------------------------------------------------

function buildTiles(container, labels, kind) {
  for (const [key, label] of Object.entries(labels)) {
    const tile = el('div', `tile ${kind}-${key.toLowerCase()}${kind === 'status' && !isOpen(key) ? ' done' : ''}`);
    const count = el('span', 'count', '–');
    count.dataset.testid = `${kind}-count-${key}`;
    tile.append(el('span', 'label', label), count);
    container.append(tile);
  }
}

function render() {
  renderedMinute = Math.floor(Date.now() / 60_000);
  const show = (testId, value) => ($(`[data-testid="${testId}"]`).textContent = counts ? String(value) : '–');
  const byStatus = counts?.byStatus ?? {};
  const sum = (statuses) => statuses.reduce((total, status) => total + (byStatus[status] ?? 0), 0);
  show('total-count', sum(Object.keys(STATUS_LABEL)));
  show('open-count', sum(OPEN_STATUSES));
  show('overdue-count', counts?.overdue);
  for (const status of Object.keys(STATUS_LABEL)) show(`status-count-${status}`, byStatus[status] ?? 0);
  for (const priority of Object.keys(PRIORITY_LABEL)) show(`priority-count-${priority}`, counts?.byPriority[priority] ?? 0);
  renderOverdue();
}

function renderOverdue() {
  const now = Date.now();
  const overdue = [...known.values()]
    .filter((entry) => entry.overdue)
    .map((entry) => entry.ticket)
    .sort((a, b) => Date.parse(a.deadline) - Date.parse(b.deadline));
  $('#overdue-list').replaceChildren(
    ...overdue.map((ticket) => {
      const item = el('li', `priority-${ticket.priority.toLowerCase()}`);
      item.dataset.testid = 'overdue-item';
      item.dataset.ticketId = ticket.id;
      item.append(
        el('span', 'ticket', `#${ticket.id} ${ticket.title}`),
        el('span', 'meta', `${PRIORITY_LABEL[ticket.priority]} · ${STATUS_LABEL[ticket.status]} · ${ticket.assignedToName ?? ticket.assignedTo ?? '未分配'}`),
        el('span', 'late', `${overdueFor(Date.parse(ticket.deadline), now)}（截止 ${dayAndTime.format(Date.parse(ticket.deadline))}）`),
      );
      return item;
    }),
  );
  $('#overdue-empty').hidden = overdue.length > 0;
  $('#overdue-note').textContent = counts && counts.overdue > overdue.length ? `（共 ${counts.overdue} 张，显示 ${overdue.length} 张）` : '';
}

function overdueFor(deadline, now) {
  const minutes = Math.floor((now - deadline) / 60_000);
  if (minutes < 1) return '刚刚超时';
  const hours = Math.floor(minutes / 60);
  if (hours === 0) return `超时 ${minutes} 分钟`;
  return hours < 24 ? `超时 ${hours} 小时 ${minutes % 60} 分` : `超时 ${Math.floor(hours / 24)} 天 ${hours % 24} 小时`;
}

function describe(event, ticket) {
  switch (event.type) {
    case 'CREATED':
      return `新建工单 ${PRIORITY_LABEL[ticket.priority]}`;
    case 'ASSIGNED': {
      const name = event.to === ticket.assignedTo ? (ticket.assignedToName ?? event.to) : event.to;
      return event.from ? `转交给 ${name}` : `分配给 ${name}`;
    }
    case 'STATUS_CHANGED':
    case 'ESCALATED':
      return `状态 ${STATUS_LABEL[event.from] ?? event.from} → ${STATUS_LABEL[event.to] ?? event.to}`;
    case 'PROGRESS_CHANGED':
      return `进度 ${event.from}% → ${event.to}%`;
    case 'REMINDED':
      return `第 ${event.to} 次超时提醒`;
    case 'DEADLINE_PASSED':
      return '已超过处理期限';
    case 'DEADLINE_CHANGED':
      return `处理期限改为 ${dayAndTime.format(Date.parse(event.to))}`;
    default:
      return event.type;
  }
}

function prependToFeed(event, ticket) {
  const item = el('li', `event-${event.type.toLowerCase()}`);
  item.dataset.testid = 'feed-item';
  item.dataset.eventId = event.id;
  item.append(
    el('time', 'time', timeOfDay.format(Date.parse(event.createdAt))),
    el('span', 'text', `#${ticket.id} ${ticket.title} ${describe(event, ticket)} (${event.actorName ?? event.actorId})`),
  );
  const feed = $('#feed');
  feed.prepend(item);
  while (feed.children.length > FEED_SIZE) feed.lastElementChild.remove();
}

// ---- team figures (serviceStats of the last 30 days, read with each snapshot) ------------------

/** "4 小时 30 分钟", "36 分钟", "1 天 2 小时": the two largest units, to the minute (as the chat's reports). */
function span(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  const minutes = Math.floor(seconds / 60);
  if (minutes === 0) return '不到 1 分钟';
  const units = [[Math.floor(minutes / 1440), '天'], [Math.floor(minutes / 60) % 24, '小时'], [minutes % 60, '分钟']];
  const first = units.findIndex(([value]) => value > 0);
  return units.slice(first, first + 2).filter(([value]) => value > 0).map(([value, unit]) => `${value} ${unit}`).join(' ');
}

const rate = (value) => (value === null ? '–' : `${(value * 100).toFixed(1)}%`);
/** 4.5 (2): the mean score of the customers' ratings and how many there were. */
const satisfaction = (figures) => (figures.averageRating === null ? '–' : `${figures.averageRating.toFixed(1)}（${figures.ratings}）`);

function teamRow(label, figures, userId) {
  const row = el('tr');
  row.dataset.testid = 'team-row';
  row.dataset.userId = userId ?? '';
  const cells = [label, figures.openTickets, figures.overdueNow, figures.timeToResolve.tickets, span(figures.timeToResolve.meanSeconds), span(figures.timeToResolve.p90Seconds), rate(figures.slaBreachRate), figures.remindersSent, satisfaction(figures)];
  row.append(...cells.map((value) => el('td', '', String(value))));
  return row;
}

function renderTeam({ period, overall, unassigned, byAssignee }) {
  $('[data-testid="team-period"]').textContent = `（近 ${period.days} 天：${period.from} 至 ${period.to}）`;
  $('[data-testid="team-resolved"]').textContent = String(overall.timeToResolve.tickets);
  $('[data-testid="team-mean"]').textContent = span(overall.timeToResolve.meanSeconds);
  $('[data-testid="team-p90"]').textContent = span(overall.timeToResolve.p90Seconds);
  $('[data-testid="team-breach"]').textContent = rate(overall.slaBreachRate);
  $('[data-testid="team-reminders"]').textContent = String(overall.remindersSent);
  $('[data-testid="team-satisfaction"]').textContent = satisfaction(overall);
  $('#team-rows').replaceChildren(...byAssignee.map((a) => teamRow(a.name ?? a.userId, a, a.userId)), teamRow('未分配', unassigned, null));
}

function showConnection(state) {
  const indicator = $('[data-testid="connection"]');
  indicator.dataset.state = state;
  indicator.textContent = CONNECTION_TEXT[state];
}

// ---- token ------------------------------------------------------------------------------------

function signOut(message) {
  client?.dispose();
  client = undefined;
  token = null;
  localStorage.removeItem(TOKEN_KEY);
  counts = null;
  lastEventId = null;
  known.clear();
  $('#feed').replaceChildren();
  $('#team-rows').replaceChildren();
  render();
  showConnection('signedOut');
  $('#board').hidden = true;
  $('#change-token').hidden = true;
  $('#token-form').hidden = false;
  const error = $('[data-testid="token-error"]');
  error.textContent = message ?? '';
  error.hidden = !message;
  $('#token-input').focus();
}

function start() {
  $('#token-form').hidden = true;
  $('#board').hidden = false;
  $('#change-token').hidden = false;
  showConnection('connecting');
  connect();
}

$('#token-form').addEventListener('submit', (submit) => {
  submit.preventDefault();
  token = $('#token-input').value.trim();
  if (!token) return;
  localStorage.setItem(TOKEN_KEY, token);
  $('#token-input').value = '';
  start();
});
$('#change-token').addEventListener('click', () => signOut());

buildTiles($('#status-tiles'), STATUS_LABEL, 'status');
buildTiles($('#priority-tiles'), PRIORITY_LABEL, 'priority');
if (token) start();
else signOut();
