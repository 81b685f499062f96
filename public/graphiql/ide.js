// GraphiQL for this service, offline: every script is served by the service from its npm packages.
// Queries and mutations go over HTTP, subscriptions over graphql-ws, both with the token entered above.
import { createClient } from '/graphiql/vendor/graphql-ws/client.js';

const TOKEN_KEY = 'ticket-graphiql.token';
const endpoint = new URL('/graphql', location.href);
const wsEndpoint = new URL(endpoint);
wsEndpoint.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';

const tokenInput = document.getElementById('token');
const tokenState = document.getElementById('token-state');
let token = localStorage.getItem(TOKEN_KEY) ?? '';
tokenInput.value = token;

function showTokenState() {
  tokenState.textContent = token ? '已设置令牌 · token set' : '未设置令牌：请求会被拒绝（401） · no token: requests are refused (401)';
}
showTokenState();

let ws;
function wsClient() {
  ws ??= createClient({ url: wsEndpoint.href, lazy: true, connectionParams: () => ({ authorization: `Bearer ${token}` }) });
  return ws;
}

document.getElementById('token-bar').addEventListener('submit', (event) => {
  event.preventDefault();
  token = tokenInput.value.trim().replace(/^Bearer\s+/i, '');
  localStorage.setItem(TOKEN_KEY, token);
  // A new token needs a new connection: connection_init carries it.
  ws?.dispose();
  ws = undefined;
  showTokenState();
  render();
});

const withoutComments = (query) => query.replace(/#[^\n]*/g, '');
const definesOperation = (text, name, kinds = 'query|mutation|subscription') => new RegExp(`\\b(${kinds})\\s+${name}\\b`).test(text);

/**
 * GraphiQL updates the operation name a moment after an edit, so a quick ▶ can send the name of
 * an operation just deleted; a name the document does not define is left out.
 */
function current(params) {
  const { operationName, ...rest } = params;
  return operationName && definesOperation(withoutComments(params.query), operationName) ? params : rest;
}

/** Whether the operation that will run is a subscription (the named one, or the only one). */
function isSubscription({ query, operationName }) {
  const text = withoutComments(query);
  return operationName ? definesOperation(text, operationName, 'subscription') : /^\s*subscription\b/.test(text);
}

async function overHttp(params, headers) {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify(params),
  });
  return response.json();
}

function fetcher(sent, options) {
  const params = current(sent);
  if (isSubscription(params)) return wsClient().iterate(params);
  return overHttp(params, options?.headers ?? {});
}

const DEFAULT_QUERY = `# 在上方填入令牌，然后点 ▶ 运行
# Enter a token above, then press ▶
# 左侧“Docs”浏览 schema · Docs (left) browse the schema

query Me {
  me { userId name role }
  ticketStats { total open overdue }
}
`;

const root = ReactDOM.createRoot(document.getElementById('graphiql'));
/** (Re)mounts GraphiQL; a new token remounts it, so the schema is fetched again with it (the editors keep their text). */
function render() {
  root.render(React.createElement(GraphiQL, { key: token, fetcher, defaultQuery: DEFAULT_QUERY, defaultEditorToolsVisibility: false, shouldPersistHeaders: false }));
}
render();
