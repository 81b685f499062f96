import type { Logger } from '../logger.js';
import type { CommitListener } from '../tickets/ticket-service.js';

/** The PostgreSQL channel on which instances wake each other when ticket events commit. */
export const TICKET_EVENTS_CHANNEL = 'ticket_events';

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
const MAX_PAYLOAD = 7900;

/**
 * Wakes the event-log followers of every instance after a commit, with NOTIFY carrying only
 * event ids (followers read the events from the log). It is sent after the commit, never inside
 * the writing transaction: a NOTIFY there takes a global lock at commit and serialises all
 * writers. While one NOTIFY is on its way, the ids of later commits gather into the next one.
 * A lost NOTIFY delays an update, never loses it: followers also read the log now and then.
 */
export class ChangeNotifier implements CommitListener {
  private pending: string[] = [];
  private sending = false;

  constructor(
    private readonly notify: (channel: string, payload: string) => Promise<unknown>,
    private readonly wakeLocal: () => void,
    private readonly logger: Logger,
    /** Marks this instance's notifications, so that its own listener passes them over (it woke locally already). */
    private readonly origin: string,
  ) {}

  committed(eventIds: readonly string[]): void {
    if (eventIds.length === 0) return;
    this.pending.push(...eventIds);
    this.wakeLocal();
    if (!this.sending) void this.send();
  }

  private async send(): Promise<void> {
    this.sending = true;
    try {
      while (this.pending.length > 0) {
        const payload = this.takePayload();
        await this.notify(TICKET_EVENTS_CHANNEL, payload).catch((error: unknown) => {
          this.logger.warn({ err: error }, 'could not notify other instances of committed ticket events; they will read them on their next poll');
        });
      }
    } finally {
      this.sending = false;
    }
  }

  /** `<origin>:<id>,<id>,…` */
  private takePayload(): string {
    let length = this.origin.length + 1;
    let count = 0;
    while (count < this.pending.length && length + this.pending[count]!.length + 1 <= MAX_PAYLOAD) length += this.pending[count++]!.length + 1;
    return `${this.origin}:${this.pending.splice(0, count).join(',')}`;
  }
}
