import got from 'got';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';

export interface AppCredentials {
  readonly corpId: string;
  readonly secret: string;
  readonly agentId: number;
  /** https://qyapi.weixin.qq.com unless the tests' or a private deployment's. */
  readonly apiBase: string;
}

/** An answer WeCom gave with a non-zero errcode. */
export class WeComApiError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
    readonly path: string,
  ) {
    super(`WeCom ${path} answered ${errcode} ${errmsg}`);
    this.name = 'WeComApiError';
  }
}

interface Answer {
  readonly errcode?: number;
  readonly errmsg?: string;
}

/** Reference 5.1: the token is invalid, expired or missing — fetch a new one once and replay. */
const TOKEN_ERRORS = new Set([40001, 40014, 42001, 41001]);
/** Refreshed this long before WeCom says it expires (reference 5.1: mature SDKs use 60–200 s). */
const REFRESH_EARLY_MS = 120_000;
const REQUEST_TIMEOUT_MS = 10_000;

export interface DirectoryEntry {
  readonly userid: string;
  readonly name: string;
  readonly alias?: string;
}

/**
 * The self-built app's HTTP API (reference 5): one access token per app, cached until shortly before
 * it expires, fetched by one caller at a time however many wait (single flight), and replaced once
 * when WeCom calls it invalid or expired before its time.
 */
export class WeComAppClient {
  private token: { readonly value: string; readonly refreshAt: number } | undefined;
  private fetching: Promise<string> | undefined;

  constructor(
    private readonly credentials: AppCredentials,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  get agentId(): number {
    return this.credentials.agentId;
  }

  /** GET or POST `path` with the token; a token WeCom refuses is replaced and the call made once more. */
  async call<T extends Answer>(path: string, options: { body?: unknown; query?: Record<string, string>; signal?: AbortSignal } = {}): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const token = await this.accessToken();
      const answer = await this.request<T>(path, { ...options, query: { ...options.query, access_token: token } });
      const code = answer.errcode ?? 0;
      if (code === 0) return answer;
      if (TOKEN_ERRORS.has(code) && attempt === 1) {
        this.logger.info({ path, errcode: code }, 'WeCom refused the access token; fetching a new one');
        this.forget(token);
        continue;
      }
      throw new WeComApiError(code, answer.errmsg ?? '', path);
    }
  }

  /** Every member the app can see, with names and aliases (reference 6: user/list of the root department, with its children). */
  async directory(): Promise<DirectoryEntry[]> {
    const answer = await this.call<Answer & { userlist?: DirectoryEntry[] }>('/cgi-bin/user/list', { query: { department_id: '1', fetch_child: '1' } });
    return answer.userlist ?? [];
  }

  /**
   * The plain userids of encrypted open_userids (reference 6: a smart robot may report a sender
   * so). Ids WeCom cannot translate (plain userids among them) are left out of the map.
   */
  async userIdsOfOpenIds(openIds: readonly string[]): Promise<Map<string, string>> {
    const answer = await this.call<Answer & { userid_list?: { open_userid: string; userid: string }[] }>('/cgi-bin/batch/openuserid_to_userid', { body: { open_userid_list: openIds } });
    return new Map((answer.userid_list ?? []).map((entry) => [entry.open_userid, entry.userid]));
  }

  private async accessToken(): Promise<string> {
    if (this.token && this.clock.now().getTime() < this.token.refreshAt) return this.token.value;
    this.fetching ??= this.fetchToken().finally(() => (this.fetching = undefined));
    return this.fetching;
  }

  private async fetchToken(): Promise<string> {
    const { corpId, secret } = this.credentials;
    const answer = await this.request<Answer & { access_token?: string; expires_in?: number }>('/cgi-bin/gettoken', { query: { corpid: corpId, corpsecret: secret } });
    if ((answer.errcode ?? 0) !== 0 || !answer.access_token) throw new WeComApiError(answer.errcode ?? -1, answer.errmsg ?? 'no access_token', '/cgi-bin/gettoken');
    const lifetimeMs = (answer.expires_in ?? 7200) * 1000;
    this.token = { value: answer.access_token, refreshAt: this.clock.now().getTime() + Math.max(lifetimeMs - REFRESH_EARLY_MS, lifetimeMs / 2) };
    return answer.access_token;
  }

  private forget(token: string): void {
    if (this.token?.value === token) this.token = undefined;
  }

  private request<T>(path: string, options: { body?: unknown; query?: Record<string, string>; signal?: AbortSignal }): Promise<T> {
    const url = new URL(path, this.credentials.apiBase);
    for (const [name, value] of Object.entries(options.query ?? {})) url.searchParams.set(name, value);
    const common = { signal: options.signal, retry: { limit: 0 }, timeout: { request: REQUEST_TIMEOUT_MS }, throwHttpErrors: true } as const;
    const sent = options.body === undefined ? got.get(url, common) : got.post(url, { ...common, json: options.body });
    return sent.json<T>();
  }
}
