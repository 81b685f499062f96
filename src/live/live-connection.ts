import type { WebSocket } from 'ws';
import type { AuthenticatedActor } from '../auth/tokens.js';

/**
 * Close code for a subscriber that cannot keep up. 1013 ("try again later") is one the
 * graphql-ws client treats as retryable: it reconnects, and resumes with afterEventId.
 */
export const SLOW_CONSUMER_CLOSE_CODE = 1013;

/**
 * One WebSocket of an authenticated staff member. Updates are written straight to the socket;
 * what the peer has not yet taken waits in the socket's buffer, and a peer that lets more than
 * `maxBufferedBytes` pile up is disconnected rather than allowed to grow the server's memory or
 * hold back everyone else.
 */
export class LiveConnection {
  constructor(
    private readonly socket: WebSocket,
    readonly actor: AuthenticatedActor,
    readonly maxBufferedBytes: number,
  ) {}

  get open(): boolean {
    return this.socket.readyState === this.socket.OPEN;
  }

  /** Sends one text message; false when the connection is gone or was just closed as too slow. */
  send(message: Buffer): boolean {
    if (!this.open) return false;
    if (this.socket.bufferedAmount + message.length > this.maxBufferedBytes) {
      this.closeAsTooSlow(this.socket.bufferedAmount + message.length);
      return false;
    }
    this.socket.send(message, { binary: false });
    return true;
  }

  closeAsTooSlow(pendingBytes: number): void {
    // A close reason is at most 123 bytes, so it stays short and in English; clients map the code.
    this.socket.close(SLOW_CONSUMER_CLOSE_CODE, `Too slow: ${Math.ceil(pendingBytes / 1024)} KiB of updates unread; resume with afterEventId`.slice(0, 123));
  }
}
