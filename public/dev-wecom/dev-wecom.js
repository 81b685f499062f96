// 本地企业微信: a WeCom-like chat window over the local WeCom (/dev/wecom/api). Development only.
// It shows the smart robot's conversations, the group robot webhook's messages in their group and the
// self-built app's private messages to the current identity. The bot's template cards are drawn as WeCom
// draws them, and their buttons click as the current identity (api/card-clicks).
// Everything shown is built with textContent / text nodes: no message text ever goes through innerHTML.

const IDENTITY_KEY = 'dev-wecom.identity';
const SELECTION_KEY = 'dev-wecom.selection';
/** The sidebar entry of the 1:1 chat; its conversation id is the current identity's userid. */
const SINGLE = 'single';
/** The sidebar entry of the self-built app's private messages to the current identity. */
const APP = 'app';
const WEBHOOK_NAME = '群机器人';
const ROLE_LABEL = { AGENT: '客服', LEAD: '主管', ADMIN: '管理员' };
const POLL_CONNECTED_MS = 10_000;
const POLL_OFFLINE_MS = 1_000;
const NEAR_BOTTOM_PX = 80;
const PREVIEW_CHARS = 28;
const QUOTE_PREVIEW_CHARS = 60;

const timeOfDay = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const fullTime = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

const $ = (selector) => document.querySelector(selector);

function el(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

// ---- state ------------------------------------------------------------------------------------

let bot = { name: '工单助手', connected: false };
let groups = [];
let staff = [];
let staffById = new Map();
/** Everyone in the local WeCom's directory by userid (a second 李四 too), for names in mentions. */
let directoryById = new Map();
/** Whether the service sends through the local group webhook and app ({ webhook, app: { name } | null }). */
let channels = { webhook: false, app: null };
/** Conversation id → the latest Conversation the page has (groups by chatid, 1:1 chats by userid). */
const conversations = new Map();
/** Message id → the group robot webhook messages and the app's private messages. */
const webhookMessages = new Map();
const appMessages = new Map();
/** View key (see viewKeyOf) → how many messages of it the user has seen (for the unread badges). */
const seen = new Map();
let identity = localStorage.getItem(IDENTITY_KEY);
let selection = localStorage.getItem(SELECTION_KEY);
/** The message being quote-replied to: { text, label }. */
let quote = null;
let loaded = false;
let eventsOpen = false;
let sending = false;
/** Message key → { signature, element } of the selected conversation's rendered messages. */
let rendered = new Map();
let renderedConversation = null;

const isGroup = (entry) => groups.some((group) => group.chatId === entry);
/** What a sidebar entry shows for the current identity: a group by chatid, the 1:1 chat by userid, the app's messages by `app:<userid>`. */
const viewKeyOf = (entry) => (entry === SINGLE ? identity : entry === APP ? `app:${identity}` : entry);
const conversationIdOf = (entry) => (entry === SINGLE ? identity : entry === APP ? null : entry);
const selectedConversationId = () => conversationIdOf(selection);
const isGroupSelected = () => isGroup(selection);
/** The app's entry takes no messages: WeCom delivers what people send an app to its callback, which the local WeCom has not. */
const canWrite = () => selection !== APP;
const appName = () => channels.app?.name ?? '工单应用';
const botMention = () => `@${bot.name}`;

function nameOf(userId) {
  const member = staffById.get(userId);
  if (member) return member.name;
  const entry = directoryById.get(userId);
  if (!entry) return userId;
  // A namesake of someone else (the second 李四) goes by alias.
  const namesake = [...directoryById.values()].some((other) => other.userId !== userId && other.name === entry.name);
  return namesake && entry.alias ? entry.alias : entry.name;
}

const sidebarEntries = () => [...groups.map((group) => group.chatId), SINGLE, ...(channels.app ? [APP] : [])];

/** Grows with every change a conversation can go through (messages are appended, streams finish). */
function progressOf(conversation) {
  const finished = conversation.botMessages.filter((message) => message.finished).length;
  return 2 * (conversation.userMessages.length + conversation.botMessages.length) + finished;
}

/** Keeps the newer of what the page has and `conversation` (a snapshot may be older than an event). */
function accept(conversation) {
  const current = conversations.get(conversation.id);
  if (current && progressOf(conversation) < progressOf(current)) return false;
  conversations.set(conversation.id, conversation);
  return true;
}

/** Keeps the newer of what the page has and a webhook or app message (a card may be updated). */
function acceptMessage(store, message) {
  const current = store.get(message.id);
  if (current && Date.parse(message.updatedAt ?? message.at) < Date.parse(current.updatedAt ?? current.at)) return false;
  store.set(message.id, message);
  return true;
}

const messageCount = (key) => itemsOf(key).length;

// ---- server -----------------------------------------------------------------------------------

async function loadState() {
  const response = await fetch('api/state', { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const state = await response.json();
  bot = state.bot;
  channels = state.channels ?? channels;
  directoryById = new Map((state.directory ?? []).map((member) => [member.userId, member]));
  if (!loaded) setup(state);
  for (const conversation of state.conversations) accept(conversation);
  for (const message of state.webhookMessages ?? []) acceptMessage(webhookMessages, message);
  for (const message of state.appMessages ?? []) acceptMessage(appMessages, message);
  if (!loaded) {
    // What the first snapshot has counts as read (not what events brought meanwhile).
    const keys = new Set([
      ...state.conversations.map((conversation) => conversation.id),
      ...(state.webhookMessages ?? []).map((message) => message.chatId),
      ...(state.appMessages ?? []).map((message) => `app:${message.userId}`),
    ]);
    for (const key of keys) seen.set(key, messageCount(key));
  }
  loaded = true;
  showConnection();
  render();
}

let pollTimer;
function schedulePoll() {
  clearTimeout(pollTimer);
  pollTimer = setTimeout(async () => {
    try {
      await loadState();
    } catch (error) {
      console.warn('state', error);
    }
    schedulePoll();
  }, bot.connected && eventsOpen ? POLL_CONNECTED_MS : POLL_OFFLINE_MS);
}

function listen() {
  const events = new EventSource('api/events');
  events.addEventListener('open', () => {
    eventsOpen = true;
    // Whatever changed while the stream was down is in a fresh snapshot.
    loadState().catch((error) => console.warn('state', error));
    showConnection();
  });
  events.addEventListener('error', () => {
    eventsOpen = false;
    showConnection();
  });
  events.addEventListener('message', (event) => {
    let conversation;
    try {
      conversation = JSON.parse(event.data);
    } catch {
      return;
    }
    if (accept(conversation)) render();
  });
  for (const [type, store] of [['webhook', webhookMessages], ['app', appMessages]]) {
    events.addEventListener(type, (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      if (acceptMessage(store, message)) render();
    });
  }
}

async function send(text) {
  const body = { userId: identity, text };
  if (isGroupSelected()) body.chatId = selection;
  if (quote) body.quote = quote.text;
  await post('api/messages', body, '发送失败');
}

/** A click on a card's button, as the current identity, in the open conversation (WeCom echoes the card's task_id and the button's key). */
async function clickCard(taskId, eventKey) {
  const body = { userId: identity, taskId, eventKey };
  if (isGroupSelected()) body.chatId = selection;
  await post('api/card-clicks', body, '点击失败');
}

/** POSTs JSON; throws with the server's message (in Chinese) when refused, and notes a bot that is away. */
async function post(path, body, failure) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.ok) return;
  let message = `${failure}（HTTP ${response.status}）`;
  let code;
  try {
    const error = (await response.json()).errors?.[0];
    code = error?.extensions?.code;
    message = error?.extensions?.messageZh ?? error?.message ?? message;
  } catch {
    // not JSON: keep the status line
  }
  if (code === 'BOT_NOT_CONNECTED') {
    bot = { ...bot, connected: false };
    showConnection();
    schedulePoll();
  }
  throw new Error(message);
}

// ---- setup ------------------------------------------------------------------------------------

function setup(state) {
  groups = state.groups;
  staff = state.staff;
  staffById = new Map(staff.map((member) => [member.userId, member]));
  if (!staffById.has(identity)) identity = staff[0]?.userId ?? null;
  if (!sidebarEntries().includes(selection)) selection = groups[0]?.chatId ?? SINGLE;

  const select = $('#identity');
  select.replaceChildren(
    ...staff.map((member) => {
      const option = el('option', '', member.name);
      option.value = member.userId;
      return option;
    }),
  );
  select.value = identity;
  showIdentity();
  buildSidebar();
  buildQuickCommands();
}

function buildQuickCommands() {
  const commands = [
    { label: '创建工单', text: () => '/创建工单 @客户王五 手机:13800138000 问题:服务器无法连接' },
    { label: '查询工单', text: () => `/查询工单 ${lastTicketId() ? `#${lastTicketId()}` : '客户王五'}` },
    { label: '分配工单', text: () => `/分配工单 #${lastTicketId() ?? 1} @王五` },
    { label: '更新进度', text: () => `#${lastTicketId() ?? 1} 进度 50` },
    { label: '帮助', text: () => '/帮助' },
  ];
  $('#quick-commands').replaceChildren(
    ...commands.map((command) => {
      const button = el('button', 'quick-command', command.label);
      button.type = 'button';
      button.dataset.testid = 'quick-command';
      button.title = '填入示例命令';
      button.addEventListener('click', () => {
        const input = $('#message-input');
        input.value = command.text();
        input.focus();
        input.setSelectionRange(input.value.length, input.value.length);
      });
      return button;
    }),
  );
}

/** The newest ticket number the bot mentioned in the selected conversation, for the examples. */
function lastTicketId() {
  const conversation = conversations.get(selectedConversationId());
  for (const message of [...(conversation?.botMessages ?? [])].reverse()) {
    const match = /#(?:ID)?(\d+)/.exec(message.content);
    if (match) return match[1];
  }
  return undefined;
}

// ---- rendering: page --------------------------------------------------------------------------

function showConnection() {
  const indicator = $('[data-testid="connection"]');
  const state = !loaded ? 'connecting' : !eventsOpen ? 'reconnecting' : bot.connected ? 'connected' : 'botOffline';
  indicator.dataset.state = state;
  indicator.textContent = {
    connecting: '连接中…',
    reconnecting: '与本地服务的连接已断开，正在重连…',
    botOffline: `${bot.name}未连接，等待机器人连上本地企业微信…`,
    connected: `${bot.name}已连接`,
  }[state];
}

function showIdentity() {
  const member = staffById.get(identity);
  $('#identity-role').textContent = member ? (ROLE_LABEL[member.role] ?? member.role) : '';
}

function render() {
  if (!loaded) return;
  renderSidebar();
  renderChat();
}

function entryTitle(entry) {
  if (entry === SINGLE) return `与${bot.name}单聊`;
  if (entry === APP) return `${appName()}（私信）`;
  return groups.find((group) => group.chatId === entry)?.name ?? entry;
}

/** Sidebar entry → its elements, built once and updated in place (no focus lost to a re-render). */
const sidebarItems = new Map();

function buildSidebar() {
  const entries = sidebarEntries();
  $('#conversation-list').replaceChildren(
    ...entries.map((entry) => {
      const item = el('li');
      const button = el('button', 'conversation');
      button.type = 'button';
      button.dataset.testid = 'conversation';
      button.dataset.conversation = entry;
      const avatar = el('span', `avatar ${entry === SINGLE ? 'avatar-bot' : entry === APP ? 'avatar-app' : 'avatar-group'}`, entry === SINGLE ? '助' : entry === APP ? '应' : '群');
      avatar.setAttribute('aria-hidden', 'true');
      const text = el('span', 'conversation-text');
      const top = el('span', 'conversation-top');
      const name = el('span', 'conversation-name');
      name.dataset.testid = 'conversation-name';
      const time = el('time', 'conversation-time');
      top.append(name, time);
      const preview = el('span', 'conversation-preview');
      text.append(top, preview);
      const badge = el('span', 'unread');
      badge.dataset.testid = 'unread';
      badge.hidden = true;
      button.append(avatar, text, badge);
      button.addEventListener('click', () => select(entry));
      item.append(button);
      sidebarItems.set(entry, { button, name, time, preview, badge });
      return item;
    }),
  );
}

function renderSidebar() {
  for (const [entry, parts] of sidebarItems) {
    const key = viewKeyOf(entry);
    const last = itemsOf(key).at(-1);
    const unread = entry === selection ? 0 : messageCount(key) - (seen.get(key) ?? 0);
    parts.button.classList.toggle('selected', entry === selection);
    if (entry === selection) parts.button.setAttribute('aria-current', 'true');
    else parts.button.removeAttribute('aria-current');
    parts.name.textContent = entryTitle(entry);
    parts.time.textContent = last ? timeOfDay.format(last.at) : '';
    parts.preview.textContent = last ? previewOf(last) : entry === SINGLE ? '私聊机器人，无需 @' : entry === APP ? `${appName()}发给你的通知` : '暂无消息';
    parts.badge.hidden = unread <= 0;
    parts.badge.textContent = unread > 99 ? '99+' : String(unread);
    parts.badge.setAttribute('aria-label', `${unread} 条新消息`);
  }
}

function select(entry) {
  if (entry === selection) return;
  selection = entry;
  localStorage.setItem(SELECTION_KEY, entry);
  clearQuote();
  hideError();
  render();
  $('#message-input').focus();
}

function renderChat() {
  const key = viewKeyOf(selection);
  const group = isGroupSelected();
  const app = selection === APP;
  $('#chat-title').textContent = entryTitle(selection);
  $('#chat-members').textContent = group
    ? `成员：${staff.map((member) => member.name).join('、')}、${bot.name}（机器人）${channels.webhook && selection === groups[0]?.chatId ? `、${WEBHOOK_NAME}` : ''}`
    : app
      ? `${appName()}发给 ${nameOf(identity)} 的私信（分配、升级等通知）`
      : `当前身份 ${nameOf(identity)} 与机器人的私聊`;
  $('#send-hint').textContent = group
    ? `群聊中机器人只接收 @它 的消息：发送时会自动在开头加上「${botMention()}」。Enter 发送 · Shift+Enter 换行`
    : app
      ? `${appName()}只发送通知：在群里或与${bot.name}单聊中回复。`
      : '单聊中机器人接收每条消息，无需 @。Enter 发送 · Shift+Enter 换行';
  const input = $('#message-input');
  input.placeholder = group ? `在「${entryTitle(selection)}」中以 ${nameOf(identity)} 的身份发言…` : app ? `不能给${appName()}发消息` : `以 ${nameOf(identity)} 的身份给${bot.name}发消息…`;
  input.disabled = !canWrite();
  $('#send-button').disabled = !canWrite() || sending;
  for (const button of document.querySelectorAll('.quick-command')) button.disabled = !canWrite();

  const list = $('#messages');
  const switched = renderedConversation !== `${key}|${identity}`;
  if (switched) {
    rendered = new Map();
    renderedConversation = `${key}|${identity}`;
  }
  const stickToBottom = switched || list.scrollHeight - list.scrollTop - list.clientHeight < NEAR_BOTTOM_PX;
  const conversation = conversations.get(selectedConversationId());
  const items = itemsOf(key);
  seen.set(key, messageCount(key));

  if (items.length === 0) {
    rendered = new Map();
    const empty = el('li', 'empty');
    empty.dataset.testid = 'empty';
    empty.append(
      el('p', '', '还没有消息。'),
      el('p', '', group ? '机器人只能向有人 @过它的群推送消息（企业微信的规则），先发一条 /帮助 试试吧。' : app ? `工单分配给 ${nameOf(identity)} 时，${appName()}会在这里私信通知。` : '发送 /帮助 看看机器人能做什么。'),
    );
    list.replaceChildren(empty);
    return;
  }

  const next = new Map();
  const elements = items.map((item) => {
    const signature = signatureOf(item);
    const previous = rendered.get(item.key);
    const element = previous && previous.signature === signature ? previous.element : messageElement(item, conversation);
    next.set(item.key, { signature, element });
    return element;
  });
  rendered = next;
  const current = [...list.children];
  if (current.length !== elements.length || current.some((child, index) => child !== elements[index])) list.replaceChildren(...elements);
  if (stickToBottom) list.scrollTop = list.scrollHeight;
}

// ---- rendering: messages ----------------------------------------------------------------------

/**
 * What a view key shows, oldest first: a group's or 1:1 chat's user and bot messages (and a group's
 * webhook messages), or the app's private messages to one person (`app:<userid>`).
 */
function itemsOf(key) {
  if (key === null || key === undefined) return [];
  if (key.startsWith('app:')) {
    const userId = key.slice('app:'.length);
    return [...appMessages.values()]
      .filter((message) => message.userId === userId)
      .map((message, index) => ({ key: message.id, kind: 'app', at: Date.parse(message.at), order: 2, index, message }))
      .sort(byTime);
  }
  const conversation = conversations.get(key);
  const items = [
    ...(conversation?.userMessages ?? []).map((message, index) => ({ key: `u:${message.msgid}`, kind: 'user', at: Date.parse(message.at), order: 0, index, message })),
    ...(conversation?.botMessages ?? []).map((message, index) => ({
      key: message.streamId ? `s:${message.streamId}` : `b:${index}`,
      kind: message.kind === 'push' ? 'push' : 'reply',
      at: Date.parse(message.at),
      order: 1,
      index,
      message,
    })),
    ...[...webhookMessages.values()]
      .filter((message) => message.chatId === key)
      .map((message, index) => ({ key: message.id, kind: 'webhook', at: Date.parse(message.at), order: 2, index, message })),
  ];
  return items.sort(byTime);
}

const byTime = (a, b) => a.at - b.at || a.order - b.order || a.index - b.index;

const signatureOf = (item) => JSON.stringify([item.message.content, item.message.finished, item.message.quote]);

const senderNameOf = (item) => (item.kind === 'user' ? nameOf(item.message.userid) : item.kind === 'webhook' ? WEBHOOK_NAME : item.kind === 'app' ? appName() : bot.name);

function previewOf(item) {
  const sender = senderNameOf(item);
  const text = readableText(item.message, item.kind === 'user')
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line !== '');
  const line = text ?? '';
  return `${sender}：${line.length > PREVIEW_CHARS ? `${line.slice(0, PREVIEW_CHARS)}…` : line}`;
}

/** The message as plain text: markdown marks and mentions resolved, a card as its titles. */
function readableText(message, isUser) {
  if (isUser) return message.content;
  if (message.msgtype === 'template_card') return cardText(parseCard(message.content));
  if (!isTextual(message.msgtype)) return `[${mediaLabel(message.msgtype)}]`;
  return message.content
    .replace(/<@([^<>\s]+)>/g, (_match, userId) => `@${nameOf(userId)}`)
    .replace(/<font[^>]*>(.*?)<\/font>/g, '$1')
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/\[([^\]\n]+)\]\([^)\s]+\)/g, '$1')
    .replace(/^>\s?/gm, '');
}

const isTextual = (msgtype) => ['stream', 'markdown', 'markdown_v2', 'text'].includes(msgtype);
const mediaLabel = (msgtype) => ({ image: '图片', file: '文件', voice: '语音', video: '视频' })[msgtype] ?? msgtype;

/** What a push looks like: the ticket card, a status line, a reminder… (by its first line). */
function pushStyle(content) {
  const first = content.split('\n', 1)[0] ?? '';
  if (first.includes('【新工单提醒】')) return 'new-ticket';
  if (first.startsWith('📌')) return 'status';
  if (first.includes('【工单超时提醒】') || first.startsWith('🚨')) return 'overdue';
  if (first.includes('【工单已升级】') || first.startsWith('⬆️')) return 'escalated';
  if (first.startsWith('📋')) return 'assigned';
  if (first.includes('【工单即将超时】') || first.startsWith('⏰')) return 'warning';
  return /^\S*\s*【.+】/.test(first) ? 'notice' : 'plain';
}

/** How the senders that are not people look: avatar text and class, tag. */
const SENDER_LOOK = {
  bot: { avatar: '助', avatarClass: 'avatar-bot', tag: '机器人' },
  webhook: { avatar: '群', avatarClass: 'avatar-webhook', tag: '机器人' },
  app: { avatar: '应', avatarClass: 'avatar-app', tag: '应用' },
};

function messageElement(item, conversation) {
  const { message, kind } = item;
  const fromBot = kind !== 'user';
  const mine = !fromBot && message.userid === identity;
  const senderKind = kind === 'webhook' || kind === 'app' ? kind : 'bot';
  const pushed = kind === 'push' || kind === 'webhook' || kind === 'app';
  const style = pushed && isTextual(message.msgtype) ? pushStyle(message.content) : undefined;
  const mentions = kind === 'webhook' ? webhookMentions(message) : [];

  const li = el('li', `message ${fromBot ? 'from-bot' : mine ? 'from-me' : 'from-other'} kind-${kind}`);
  li.dataset.testid = 'message';
  li.dataset.kind = kind;
  li.dataset.sender = fromBot ? senderKind : message.userid;
  li.dataset.finished = String(message.finished ?? true);
  if (style) li.dataset.style = style;
  if (!fromBot) li.dataset.msgid = message.msgid;
  if (kind === 'webhook' && (message.mentionsAll || message.mentionedUserIds.includes(identity))) li.dataset.mentionsMe = 'true';

  const look = SENDER_LOOK[senderKind];
  const senderName = senderNameOf(item);
  const avatar = el('span', `avatar ${fromBot ? look.avatarClass : `avatar-staff avatar-${colorOf(message.userid)}`}`, fromBot ? look.avatar : senderName.slice(-2));
  avatar.setAttribute('aria-hidden', 'true');

  const body = el('div', 'message-body');
  const meta = el('div', 'meta');
  const sender = el('span', 'sender', senderName);
  sender.dataset.testid = 'message-sender';
  meta.append(sender);
  if (fromBot) meta.append(el('span', `bot-tag${kind === 'app' ? ' app-tag' : ''}`, look.tag));
  const time = el('time', 'time', timeOfDay.format(item.at));
  time.dateTime = new Date(item.at).toISOString();
  time.title = `${fullTime.format(item.at)}（北京时间）`;
  meta.append(time);
  if (kind === 'reply' && message.inReplyTo) {
    const asked = conversation?.userMessages.find((candidate) => candidate.msgid === message.inReplyTo);
    if (asked) meta.append(el('span', 'reply-to', `回复 ${nameOf(asked.userid)}`));
  }

  const isCard = style !== undefined && style !== 'plain' && style !== 'status';
  const bubble = el('div', `bubble${isCard ? ` card card-${style}` : ''}${style === 'status' ? ' status-line' : ''}`);
  bubble.dataset.testid = 'message-content';
  if (!fromBot) renderPlainText(message.content, bubble);
  else if (message.msgtype === 'template_card') renderTemplateCard(parseCard(message.content), bubble, kind === 'push' || kind === 'reply' ? 'bot' : kind);
  else if (!isTextual(message.msgtype)) bubble.append(el('span', 'media', `[${mediaLabel(message.msgtype)}] ${message.content}`));
  else if (isCard) renderCard(message.content, bubble);
  else if (kind === 'webhook' && message.msgtype === 'text') renderPlainText(message.content, bubble);
  else renderMarkdown(message.content, bubble);
  if (mentions.length > 0) {
    // A text message's mentioned_list: WeCom shows the @-mentions after the text.
    const row = el('div', 'mentions');
    row.dataset.testid = 'message-mentions';
    for (const mention of mentions) row.append(mentionChip(mention.text, mention.userId));
    (bubble.querySelector('.card-body') ?? bubble).append(row);
  }

  body.append(meta, bubble);
  if (!fromBot && message.quote !== undefined) {
    const quoted = el('div', 'quoted');
    quoted.dataset.testid = 'message-quote';
    quoted.textContent = `引用：${oneLine(readableText({ msgtype: 'markdown', content: message.quote }, false), QUOTE_PREVIEW_CHARS)}`;
    quoted.title = message.quote;
    body.append(quoted);
  }

  if (fromBot && message.finished === false) {
    const typing = el('span', 'typing', '输入中');
    typing.dataset.testid = 'typing';
    typing.setAttribute('role', 'status');
    meta.append(typing);
  }
  if (kind !== 'app') {
    const quoteButton = el('button', 'quote-button', '引用');
    quoteButton.type = 'button';
    quoteButton.dataset.testid = 'quote-button';
    quoteButton.title = '引用这条消息回复';
    quoteButton.setAttribute('aria-label', `引用 ${senderName} 的这条消息`);
    quoteButton.addEventListener('click', () => setQuote(fromBot ? readableQuote(message) : message.content, senderName));
    meta.append(quoteButton);
  }

  li.append(avatar, body);
  return li;
}

/** The @-mentions of a webhook message that its text does not show inline (`<@userid>`, "@所有人"). */
function webhookMentions(message) {
  const inline = new Set([...message.content.matchAll(/<@([^<>\s]+)>/g)].map((match) => match[1].toLowerCase()));
  const mentions = message.mentionedUserIds.filter((userId) => !inline.has(userId)).map((userId) => ({ text: `@${nameOf(userId)}`, userId }));
  if (message.mentionsAll && !message.content.includes('@所有人')) mentions.push({ text: '@所有人' });
  return mentions;
}

/** What a quote-reply carries: the text as sent (markdown included), a template card's title and description (a ticket card's title names its #ID). */
function readableQuote(message) {
  if (message.msgtype !== 'template_card') return message.content;
  const card = parseCard(message.content);
  return [str(card.main_title?.title), str(card.main_title?.desc)].filter(Boolean).join('\n') || cardText(card);
}

const colorOf = (userId) => [...userId].reduce((sum, char) => sum + char.charCodeAt(0), 0) % 5;

const oneLine = (text, max) => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
};

// ---- rendering: text and WeCom markdown (DOM nodes only, never innerHTML) ----------------------

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** "@李四", "@工单助手", "@所有人" as typed by people (longest names first). */
function typedMentions() {
  const names = [bot.name, ...staff.map((member) => member.name), '所有人'].filter(Boolean).sort((a, b) => b.length - a.length);
  return new RegExp(`@(?:${names.map(escapeRegExp).join('|')})`, 'g');
}

function mentionChip(text, userId) {
  const chip = el('span', `mention${userId === identity ? ' mention-me' : ''}`, text);
  chip.dataset.testid = 'mention';
  if (userId) chip.dataset.userid = userId;
  return chip;
}

/** A person's text message: as typed, newlines kept, @-mentions highlighted. */
function renderPlainText(text, container) {
  const wrapper = el('div', 'plain-text');
  const pattern = typedMentions();
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    wrapper.append(document.createTextNode(text.slice(last, match.index)));
    const name = match[0].slice(1);
    const member = staff.find((candidate) => candidate.name === name);
    wrapper.append(mentionChip(match[0], member?.userId));
    last = match.index + match[0].length;
  }
  wrapper.append(document.createTextNode(text.slice(last)));
  container.append(wrapper);
}

const INLINE = /\*\*(.+?)\*\*|\[([^\]\n]+)\]\(([^)\s]+)\)|<@([^<>\s]+)>|<font\s+color=["']?(info|comment|warning)["']?\s*>(.*?)<\/font>|`([^`\n]+)`|@所有人/g;

/** One line of WeCom markdown: **bold**, [links](url), <@userid>, @所有人, <font color>, `code`. */
function renderInline(text, container, depth = 0) {
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    if (match.index > last) container.append(document.createTextNode(text.slice(last, match.index)));
    last = match.index + match[0].length;
    const [whole, bold, linkText, linkUrl, userId, color, colored, code] = match;
    if (bold !== undefined) {
      const strong = el('strong');
      if (depth < 3) renderInline(bold, strong, depth + 1);
      else strong.textContent = bold;
      container.append(strong);
    } else if (linkText !== undefined) {
      container.append(linkElement(linkText, linkUrl));
    } else if (userId !== undefined) {
      container.append(mentionChip(`@${nameOf(userId)}`, userId));
    } else if (color !== undefined) {
      const span = el('span', `font-${color}`);
      if (depth < 3) renderInline(colored, span, depth + 1);
      else span.textContent = colored;
      container.append(span);
    } else if (code !== undefined) {
      container.append(el('code', '', code));
    } else {
      container.append(mentionChip(whole));
    }
  }
  if (last < text.length) container.append(document.createTextNode(text.slice(last)));
}

function linkElement(text, url) {
  const href = safeUrl(url);
  return href ? externalLink(text, href) : document.createTextNode(`[${text}](${url})`);
}

/** Block structure: lines starting with "> " form a quote block, --- a rule, # a heading; every line kept. */
function renderMarkdown(content, container) {
  const root = el('div', 'markdown');
  let block = null;
  for (const line of content.split('\n')) {
    const quoted = /^>\s?(.*)$/.exec(line);
    if (quoted) {
      if (!block) {
        block = el('div', 'md-quote');
        root.append(block);
      }
      const row = el('div', 'md-line');
      renderInline(quoted[1], row);
      block.append(row);
      continue;
    }
    block = null;
    if (/^\s*(?:-{3,}|\*{3,}|_{3,})\s*$/.test(line)) {
      root.append(el('hr', 'md-rule'));
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const row = el('div', heading ? `md-line md-heading md-h${heading[1].length}` : line.trim() === '' ? 'md-line md-blank' : 'md-line');
    renderInline(heading ? heading[2] : line, row);
    root.append(row);
  }
  container.append(root);
}

/** A pushed notice: its first line as the card's title bar, the rest as markdown. */
function renderCard(content, container) {
  const [first, ...rest] = content.split('\n');
  const title = el('div', 'card-title');
  renderInline(first ?? '', title);
  const body = el('div', 'card-body');
  while (rest.length > 0 && rest[0].trim() === '') rest.shift();
  renderMarkdown(rest.join('\n'), body);
  container.append(title, body);
}

// ---- template cards (msgtype template_card: content is the card's JSON) ----------------------

function parseCard(content) {
  try {
    const card = JSON.parse(content);
    return card && typeof card === 'object' ? card : {};
  } catch {
    return {};
  }
}

const str = (value) => (typeof value === 'string' ? value : '');

function cardText(card) {
  const lines = [str(card.main_title?.title), str(card.main_title?.desc), str(card.sub_title_text)];
  for (const row of Array.isArray(card.horizontal_content_list) ? card.horizontal_content_list : []) lines.push(`${str(row?.keyname)}：${str(row?.value)}`);
  return lines.filter(Boolean).join('\n') || '[卡片]';
}

/** Whose clicks the local WeCom delivers: the bot's cards (over its long connection), not the webhook's or the app's (they have no callback here). */
const UNCLICKABLE = {
  webhook: '群机器人的卡片没有回调：本地企业微信不会把点击发给服务',
  app: '本地企业微信不会把应用卡片的点击发到应用的回调地址',
};
const BUTTON_STYLES = new Set([1, 2, 3, 4]);
/** WeCom answers a click within 5 s or not at all (reference 1.9): after that the buttons work again. */
const CLICK_PENDING_MS = 6_000;

/**
 * A template card as WeCom shows it: a white card with its source, the bold main title and its
 * description, the sub-title, the key/value rows (members as @-mentions, links as links), the jump
 * links and the buttons. `from` is who sent it: only the bot's buttons click (as the current identity).
 */
function renderTemplateCard(card, container, from) {
  container.classList.add('template-card');
  container.dataset.cardType = str(card.card_type) || 'unknown';
  const cardUrl = card.card_action?.type === 1 ? safeUrl(card.card_action.url) : undefined;

  if (str(card.source?.desc)) {
    const source = el('div', 'tc-source', card.source.desc);
    source.dataset.testid = 'card-source';
    source.dataset.color = String([0, 1, 2, 3].includes(card.source.desc_color) ? card.source.desc_color : 0);
    container.append(source);
  }
  const title = el('div', 'tc-title');
  title.dataset.testid = 'card-title';
  const titleText = str(card.main_title?.title) || '[卡片消息]';
  title.append(cardUrl ? externalLink(titleText, cardUrl, 'tc-title-link') : document.createTextNode(titleText));
  container.append(title);
  if (str(card.main_title?.desc)) container.append(testEl('div', 'tc-desc', card.main_title.desc, 'card-desc'));
  if (str(card.emphasis_content?.title)) {
    const emphasis = el('div', 'tc-emphasis');
    emphasis.append(el('div', 'tc-emphasis-title', card.emphasis_content.title), el('div', 'tc-emphasis-desc', str(card.emphasis_content.desc)));
    container.append(emphasis);
  }
  if (str(card.quote_area?.quote_text) || str(card.quote_area?.title)) {
    const quoteArea = el('div', 'tc-quote');
    if (str(card.quote_area.title)) quoteArea.append(el('div', 'tc-quote-title', card.quote_area.title));
    if (str(card.quote_area.quote_text)) quoteArea.append(el('div', 'tc-quote-text', card.quote_area.quote_text));
    container.append(quoteArea);
  }
  if (str(card.sub_title_text)) container.append(testEl('div', 'tc-subtitle', card.sub_title_text, 'card-subtitle'));

  const rows = listOf(card.horizontal_content_list);
  if (rows.length > 0) {
    const list = el('dl', 'tc-rows');
    for (const row of rows) {
      const item = el('div', 'tc-row');
      item.dataset.testid = 'card-row';
      const value = el('dd', 'tc-value');
      if (row.type === 3 && str(row.userid)) value.append(mentionChip(`@${str(row.value) || nameOf(row.userid)}`, row.userid));
      else if (row.type === 1 && safeUrl(row.url)) value.append(externalLink(str(row.value) || row.url, safeUrl(row.url)));
      else value.textContent = str(row.value);
      item.append(el('dt', 'tc-key', str(row.keyname)), value);
      list.append(item);
    }
    container.append(list);
  }

  const jumps = listOf(card.jump_list).filter((jump) => str(jump.title));
  if (jumps.length > 0) {
    const list = el('div', 'tc-jumps');
    for (const jump of jumps) {
      const url = jump.type === 1 ? safeUrl(jump.url) : undefined;
      const shown = url ? externalLink(jump.title, url, 'tc-jump') : el('span', 'tc-jump tc-jump-off', jump.title);
      shown.dataset.testid = 'card-link';
      if (!url) shown.title = '本地企业微信只打开 http/https 链接';
      list.append(shown);
    }
    container.append(list);
  }

  const buttons = listOf(card.button_list);
  if (buttons.length > 0) {
    const row = el('div', 'tc-buttons');
    const taskId = str(card.task_id);
    const clickable = from === 'bot' && taskId !== '';
    for (const button of buttons) {
      const style = BUTTON_STYLES.has(button.style) ? button.style : 1;
      const shown = el('button', `tc-button tc-button-${style}`, str(button.text) || '按钮');
      shown.type = 'button';
      shown.dataset.testid = 'card-button';
      shown.dataset.key = str(button.key);
      if (clickable && str(button.key)) shown.addEventListener('click', () => pressCardButton(row, shown, taskId, button.key));
      else {
        shown.disabled = true;
        shown.title = UNCLICKABLE[from] ?? '这张卡片不能点击';
      }
      row.append(shown);
    }
    container.append(row);
  }
}

/** Sends the click, the card's buttons disabled until the card changes (the page then builds it anew) or WeCom's window is over. */
async function pressCardButton(row, button, taskId, key) {
  const all = [...row.querySelectorAll('.tc-button')];
  if (all.some((candidate) => candidate.disabled)) return;
  const setPending = (pending) => {
    for (const candidate of all) candidate.disabled = pending;
    button.classList.toggle('tc-button-pending', pending);
    if (pending) button.setAttribute('aria-busy', 'true');
    else button.removeAttribute('aria-busy');
  };
  setPending(true);
  hideError();
  try {
    await clickCard(taskId, key);
    setTimeout(() => setPending(false), CLICK_PENDING_MS);
  } catch (error) {
    setPending(false);
    showError(error instanceof TypeError ? '点击失败：连不上本地服务，请确认服务仍在运行' : error.message);
  }
}

const listOf = (value) => (Array.isArray(value) ? value.filter((item) => item && typeof item === 'object') : []);

function testEl(tag, className, text, testid) {
  const element = el(tag, className, text);
  element.dataset.testid = testid;
  return element;
}

/** An absolute http(s) URL, or undefined (javascript:, data: and the like are never links). */
function safeUrl(url) {
  if (typeof url !== 'string') return undefined;
  try {
    const target = new URL(url, location.href);
    return ['http:', 'https:'].includes(target.protocol) ? target.href : undefined;
  } catch {
    return undefined;
  }
}

/** A link that opens in a new tab and gives the page nothing of this one. */
function externalLink(text, href, className = 'link') {
  const link = el('a', className, text);
  link.href = href;
  link.target = '_blank';
  link.rel = 'noopener noreferrer';
  return link;
}

// ---- composer ---------------------------------------------------------------------------------

function setQuote(text, sender) {
  quote = { text, label: `${sender}：${oneLine(readableText({ msgtype: 'markdown', content: text }, false), QUOTE_PREVIEW_CHARS)}` };
  $('#quote-preview-text').textContent = `引用：${quote.label}`;
  $('#quote-preview-text').title = text;
  $('#quote-preview').hidden = false;
  $('#message-input').focus();
}

function clearQuote() {
  quote = null;
  $('#quote-preview').hidden = true;
  $('#quote-preview-text').textContent = '';
}

function showError(message) {
  const error = $('#send-error');
  error.textContent = message;
  error.hidden = false;
}

function hideError() {
  $('#send-error').hidden = true;
}

/** In a group the bot hears only messages that @ it: add the mention unless the text has it. */
function outgoingText(text) {
  if (!isGroupSelected()) return text;
  return new RegExp(`${escapeRegExp(botMention())}(?=\\s|$|[/#])`).test(text) ? text : `${botMention()} ${text}`;
}

$('#composer').addEventListener('submit', async (submit) => {
  submit.preventDefault();
  const input = $('#message-input');
  const text = input.value.trim();
  if (!text || sending || !identity || !canWrite()) return;
  sending = true;
  $('#send-button').disabled = true;
  hideError();
  try {
    await send(outgoingText(text));
    input.value = '';
    clearQuote();
    const list = $('#messages');
    list.scrollTop = list.scrollHeight;
  } catch (error) {
    showError(error instanceof TypeError ? '发送失败：连不上本地服务，请确认服务仍在运行' : error.message);
  } finally {
    sending = false;
    $('#send-button').disabled = !canWrite();
    input.focus();
  }
});

$('#message-input').addEventListener('keydown', (key) => {
  // isComposing: Enter that picks a candidate in a Chinese input method must not send.
  if (key.key === 'Enter' && !key.shiftKey && !key.isComposing && key.keyCode !== 229) {
    key.preventDefault();
    $('#composer').requestSubmit();
  } else if (key.key === 'Escape' && quote) {
    clearQuote();
  }
});

$('#quote-clear').addEventListener('click', () => {
  clearQuote();
  $('#message-input').focus();
});

$('#identity').addEventListener('change', (change) => {
  identity = change.target.value;
  localStorage.setItem(IDENTITY_KEY, identity);
  showIdentity();
  render();
});

// ---- start ------------------------------------------------------------------------------------

showConnection();
listen();
loadState()
  .catch((error) => console.warn('state', error))
  .finally(schedulePoll);
