import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface CloseInfo {
  readonly code: number;
  readonly reason: string;
}

/** The WebSocket URL of a test app's GraphQL endpoint. */
export const liveUrl = (httpUrl: string): string => `${httpUrl.replace(/^http/, 'ws')}/graphql`;

/**
 * One graphql-ws client subscribed to one operation, recording what arrives: a real WebSocket
 * client, as dashboards and apps use. It does not reconnect, so a close is visible.
 */
export class LiveSubscription<T = unknown> {
  readonly received: T[] = [];
  readonly errors: unknown[] = [];
  completed = false;
  closed: CloseInfo | undefined;
  private readonly client: Client;
  private readonly unsubscribe: () => void;

  constructor(httpUrl: string, token: string | undefined, query: string, variables: Record<string, unknown> = {}) {
    this.client = createClient({
      url: liveUrl(httpUrl),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      connectionParams: token === undefined ? {} : { authorization: `Bearer ${token}` },
      on: {
        closed: (event) => {
          const { code, reason } = event as { code: number; reason: string };
          this.closed = { code, reason: String(reason) };
        },
      },
      onNonLazyError: () => undefined,
    });
    this.unsubscribe = this.client.subscribe<T>(
      { query, variables },
      {
        next: (value) => {
          if (value.errors) this.errors.push(...value.errors);
          else this.received.push(value.data as T);
        },
        error: (error) => this.errors.push(error),
        complete: () => (this.completed = true),
      },
    );
  }

  async dispose(): Promise<void> {
    this.unsubscribe();
    await this.client.dispose();
  }
}
