/**
 * How both publishers pace their changes: the service's writer (commits through TicketService)
 * and the bare server's in-process publisher. Each change reports its event ids and t0, the
 * moment it counts as committed; latency is measured from there.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { clock, type BurstPlan, type Published, type SteadyPlan } from './live-ipc.js';

export interface Committed {
  readonly eventIds: readonly number[];
  readonly t0: number;
}

/** One change by writer number `worker` (writers never touch the same ticket at once). */
export type Change = (worker: number) => Promise<Committed> | Committed;

class PublishLog {
  readonly eventIds: number[] = [];
  readonly t0: number[] = [];
  readonly startedAt = clock();

  add({ eventIds, t0 }: Committed): void {
    for (const id of eventIds) {
      this.eventIds.push(id);
      this.t0.push(t0);
    }
  }

  published(maxLateMs: number): Published {
    return { eventIds: this.eventIds, t0: this.t0, startedAt: this.startedAt, finishedAt: clock(), maxLateMs };
  }
}

/** `count` changes, one every 1/rate s on a fixed schedule (a late one does not shift the rest). */
export async function publishSteadily(plan: SteadyPlan, change: Change): Promise<Published> {
  const record = new PublishLog();
  let maxLateMs = 0;
  for (let k = 0; k < plan.count; k++) {
    const due = record.startedAt + (k * 1000) / plan.rate;
    const wait = due - clock();
    if (wait > 0) await sleep(wait);
    maxLateMs = Math.max(maxLateMs, clock() - due);
    record.add(await change(0));
  }
  return record.published(maxLateMs);
}

/** `count` changes as fast as `concurrency` writers go, each waiting for its previous change. */
export async function publishBurst(plan: BurstPlan, change: Change): Promise<Published> {
  const record = new PublishLog();
  let started = 0;
  const writer = async (worker: number) => {
    while (started < plan.count) {
      started++;
      record.add(await change(worker));
    }
  };
  await Promise.all(Array.from({ length: plan.concurrency }, (_, worker) => writer(worker)));
  return record.published(0);
}
