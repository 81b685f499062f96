// 本地企业微信: a WeCom-like chat window over the local WeCom (/dev/wecom/api). Development only.
// Everything shown is built with textContent / text nodes: no message text ever goes through innerHTML.

const IDENTITY_KEY = 'dev-wecom.identity';
const SELECTION_KEY = 'dev-wecom.selection';
/** The sidebar entry of the 1:1 chat; its conversation id is the current identity's userid. */
const SINGLE = 'single';
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
/** Conversation id → the latest Conversation the page has (groups by chatid, 1:1 chats by userid). */
const conversations = new Map();
/** Conversation id → how many messages of it the user has seen (for the unread badges). */
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

const conversationIdOf = (entry) => (entry === SINGLE ? identity : entry);
const selectedConversationId = () => conversationIdOf(selection);
const isGroupSelected = () => selection !== SINGLE;
const nameOf = (userId) => staffById.get(userId)?.name ?? userId;
const botMention = () => `@${bot.name}`;

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

const messageCount = (id) => {
  const conversation = conversations.get(id);
  return conversation ? conversation.userMessages.length + conversation.botMessages.length : 0;
};

// ---- server -----------------------------------------------------------------------------------

async function loadState() {
  const response = await fetch('api/state', { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const state = await response.json();
  bot = state.bot;
  if (!loaded) setup(state);
  for (const conversation of state.conversations) {
    accept(conversation);
    if (!loaded) seen.set(conversation.id, messageCount(conversation.id));
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
}

async function send(text) {
  const body = { userId: identity, text };
  if (isGroupSelected()) body.chatId = selection;
  if (quote) body.quote = quote.text;
  const response = await fetch('api/messages', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.ok) return;
  let message = `发送失败（HTTP ${response.status}）`;
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
  const entries = [...groups.map((group) => group.chatId), SINGLE];
  if (!entries.includes(selection)) selection = groups[0]?.chatId ?? SINGLE;

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
    { label: '分配工单', text: () => `/分配工单 #${lastTicketId() ?? 1} @李四` },
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
  return entry === SINGLE ? `与${bot.name}单聊` : (groups.find((group) => group.chatId === entry)?.name ?? entry);
}

/** Sidebar entry → its elements, built once and updated in place (no focus lost to a re-render). */
const sidebarItems = new Map();

function buildSidebar() {
  const entries = [...groups.map((group) => group.chatId), SINGLE];
  $('#conversation-list').replaceChildren(
    ...entries.map((entry) => {
      const item = el('li');
      const button = el('button', 'conversation');
      button.type = 'button';
      button.dataset.testid = 'conversation';
      button.dataset.conversation = entry;
      const avatar = el('span', `avatar ${entry === SINGLE ? 'avatar-bot' : 'avatar-group'}`, entry === SINGLE ? '助' : '群');
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
    const id = conversationIdOf(entry);
    const conversation = conversations.get(id);
    const last = conversation ? timeline(conversation).at(-1) : undefined;
    const unread = entry === selection ? 0 : messageCount(id) - (seen.get(id) ?? 0);
    parts.button.classList.toggle('selected', entry === selection);
    if (entry === selection) parts.button.setAttribute('aria-current', 'true');
    else parts.button.removeAttribute('aria-current');
    parts.name.textContent = entryTitle(entry);
    parts.time.textContent = last ? timeOfDay.format(last.at) : '';
    parts.preview.textContent = last ? previewOf(last) : entry === SINGLE ? '私聊机器人，无需 @' : '暂无消息';
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
  const id = selectedConversationId();
  const group = isGroupSelected();
  $('#chat-title').textContent = entryTitle(selection);
  $('#chat-members').textContent = group
    ? `成员：${staff.map((member) => member.name).join('、')}、${bot.name}（机器人）`
    : `当前身份 ${nameOf(identity)} 与机器人的私聊`;
  $('#send-hint').textContent = group
    ? `群聊中机器人只接收 @它 的消息：发送时会自动在开头加上「${botMention()}」。Enter 发送 · Shift+Enter 换行`
    : '单聊中机器人接收每条消息，无需 @。Enter 发送 · Shift+Enter 换行';
  $('#message-input').placeholder = group ? `在「${entryTitle(selection)}」中以 ${nameOf(identity)} 的身份发言…` : `以 ${nameOf(identity)} 的身份给${bot.name}发消息…`;

  const list = $('#messages');
  const switched = renderedConversation !== `${id}|${identity}`;
  if (switched) {
    rendered = new Map();
    renderedConversation = `${id}|${identity}`;
  }
  const stickToBottom = switched || list.scrollHeight - list.scrollTop - list.clientHeight < NEAR_BOTTOM_PX;
  const conversation = conversations.get(id);
  const items = conversation ? timeline(conversation) : [];
  seen.set(id, messageCount(id));

  if (items.length === 0) {
    rendered = new Map();
    const empty = el('li', 'empty');
    empty.dataset.testid = 'empty';
    empty.append(
      el('p', '', '还没有消息。'),
      el('p', '', group ? '机器人只能向有人 @过它的群推送消息（企业微信的规则），先发一条 /帮助 试试吧。' : '发送 /帮助 看看机器人能做什么。'),
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

/** User messages and bot messages of a conversation in one list, oldest first. */
function timeline(conversation) {
  const items = [
    ...conversation.userMessages.map((message, index) => ({ key: `u:${message.msgid}`, kind: 'user', at: Date.parse(message.at), order: 0, index, message })),
    ...conversation.botMessages.map((message, index) => ({
      key: message.streamId ? `s:${message.streamId}` : `b:${index}`,
      kind: message.kind === 'push' ? 'push' : 'reply',
      at: Date.parse(message.at),
      order: 1,
      index,
      message,
    })),
  ];
  return items.sort((a, b) => a.at - b.at || a.order - b.order || a.index - b.index);
}

const signatureOf = (item) => JSON.stringify([item.message.content, item.message.finished, item.message.quote]);

function previewOf(item) {
  const sender = item.kind === 'user' ? nameOf(item.message.userid) : bot.name;
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

const isTextual = (msgtype) => ['stream', 'markdown', 'text'].includes(msgtype);
const mediaLabel = (msgtype) => ({ image: '图片', file: '文件', voice: '语音', video: '视频' })[msgtype] ?? msgtype;

/** What a push looks like: the ticket card, a status line, a reminder… (by its first line). */
function pushStyle(content) {
  const first = content.split('\n', 1)[0] ?? '';
  if (first.includes('【新工单提醒】')) return 'new-ticket';
  if (first.startsWith('📌')) return 'status';
  if (first.includes('【工单超时提醒】') || first.startsWith('🚨')) return 'overdue';
  if (first.includes('【工单已升级】')) return 'escalated';
  if (first.includes('【工单即将超时】') || first.startsWith('⏰')) return 'warning';
  return /^\S*\s*【.+】/.test(first) ? 'notice' : 'plain';
}

function messageElement(item, conversation) {
  const { message, kind } = item;
  const fromBot = kind !== 'user';
  const mine = !fromBot && message.userid === identity;
  const style = kind === 'push' && isTextual(message.msgtype) ? pushStyle(message.content) : undefined;

  const li = el('li', `message ${fromBot ? 'from-bot' : mine ? 'from-me' : 'from-other'} kind-${kind}`);
  li.dataset.testid = 'message';
  li.dataset.kind = kind;
  li.dataset.sender = fromBot ? 'bot' : message.userid;
  li.dataset.finished = String(message.finished ?? true);
  if (style) li.dataset.style = style;
  if (!fromBot) li.dataset.msgid = message.msgid;

  const senderName = fromBot ? bot.name : nameOf(message.userid);
  const avatar = el('span', `avatar ${fromBot ? 'avatar-bot' : `avatar-staff avatar-${colorOf(message.userid)}`}`, fromBot ? '助' : senderName.slice(-2));
  avatar.setAttribute('aria-hidden', 'true');

  const body = el('div', 'message-body');
  const meta = el('div', 'meta');
  const sender = el('span', 'sender', senderName);
  sender.dataset.testid = 'message-sender';
  meta.append(sender);
  if (fromBot) meta.append(el('span', 'bot-tag', '机器人'));
  const time = el('time', 'time', timeOfDay.format(item.at));
  time.dateTime = new Date(item.at).toISOString();
  time.title = `${fullTime.format(item.at)}（北京时间）`;
  meta.append(time);
  if (kind === 'reply' && message.inReplyTo) {
    const asked = conversation.userMessages.find((candidate) => candidate.msgid === message.inReplyTo);
    if (asked) meta.append(el('span', 'reply-to', `回复 ${nameOf(asked.userid)}`));
  }

  const isCard = style !== undefined && style !== 'plain' && style !== 'status';
  const bubble = el('div', `bubble${isCard ? ` card card-${style}` : ''}${style === 'status' ? ' status-line' : ''}`);
  bubble.dataset.testid = 'message-content';
  if (!fromBot) renderPlainText(message.content, bubble);
  else if (message.msgtype === 'template_card') renderTemplateCard(parseCard(message.content), bubble);
  else if (!isTextual(message.msgtype)) bubble.append(el('span', 'media', `[${mediaLabel(message.msgtype)}] ${message.content}`));
  else if (isCard) renderCard(message.content, bubble);
  else renderMarkdown(message.content, bubble);

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
  const quoteButton = el('button', 'quote-button', '引用');
  quoteButton.type = 'button';
  quoteButton.dataset.testid = 'quote-button';
  quoteButton.title = '引用这条消息回复';
  quoteButton.setAttribute('aria-label', `引用 ${senderName} 的这条消息`);
  quoteButton.addEventListener('click', () => setQuote(fromBot ? readableQuote(message) : message.content, senderName));
  meta.append(quoteButton);

  li.append(avatar, body);
  return li;
}

/** What a quote-reply carries: the text as sent (markdown included; a ticket card names its #ID). */
function readableQuote(message) {
  if (message.msgtype === 'template_card') return cardText(parseCard(message.content));
  return message.content;
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
  let target;
  try {
    target = new URL(url, location.href);
  } catch {
    target = undefined;
  }
  if (!target || !['http:', 'https:'].includes(target.protocol)) return document.createTextNode(`[${text}](${url})`);
  const link = el('a', 'link', text);
  link.href = target.href;
  link.target = '_blank';
  link.rel = 'noopener noreferrer';
  return link;
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

function renderTemplateCard(card, container) {
  container.classList.add('card', 'card-template');
  const title = el('div', 'card-title', str(card.main_title?.title) || '[卡片消息]');
  const body = el('div', 'card-body');
  if (str(card.main_title?.desc)) body.append(el('div', 'md-line card-desc', card.main_title.desc));
  if (str(card.sub_title_text)) body.append(el('div', 'md-line', card.sub_title_text));
  for (const row of Array.isArray(card.horizontal_content_list) ? card.horizontal_content_list : []) {
    const line = el('div', 'md-line card-row');
    line.append(el('span', 'card-key', `${str(row?.keyname)}：`), document.createTextNode(str(row?.value)));
    body.append(line);
  }
  const buttons = Array.isArray(card.button_list) ? card.button_list : [];
  if (buttons.length > 0) {
    const row = el('div', 'card-buttons');
    for (const button of buttons) {
      const shown = el('button', 'card-button', str(button?.text) || '按钮');
      shown.type = 'button';
      shown.disabled = true;
      shown.title = '本地企业微信暂不支持点击卡片按钮';
      row.append(shown);
    }
    body.append(row);
  }
  container.append(title, body);
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
  if (!text || sending || !identity) return;
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
    $('#send-button').disabled = false;
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
