import { badInput, invalidTransition } from './errors.js';

export enum TicketStatus {
  PENDING = 'PENDING',
  ASSIGNED = 'ASSIGNED',
  PROCESSING = 'PROCESSING',
  RESOLVED = 'RESOLVED',
  CLOSED = 'CLOSED',
  ESCALATED = 'ESCALATED',
  CANCELLED = 'CANCELLED',
}

export const STATUS_LABEL: Readonly<Record<TicketStatus, string>> = {
  [TicketStatus.PENDING]: '待分配',
  [TicketStatus.ASSIGNED]: '已分配',
  [TicketStatus.PROCESSING]: '处理中',
  [TicketStatus.RESOLVED]: '已解决',
  [TicketStatus.CLOSED]: '已关闭',
  [TicketStatus.ESCALATED]: '已升级',
  [TicketStatus.CANCELLED]: '已取消',
};

/** Statuses in which somebody still owes the customer work: deadlines and reminders apply. */
export const OPEN_STATUSES: readonly TicketStatus[] = [
  TicketStatus.PENDING,
  TicketStatus.ASSIGNED,
  TicketStatus.PROCESSING,
  TicketStatus.ESCALATED,
];

/** Nothing leaves these. A resolved ticket is not final: it can still be closed or reopened. */
export const FINAL_STATUSES: readonly TicketStatus[] = [TicketStatus.CLOSED, TicketStatus.CANCELLED];

export const isOpen = (status: TicketStatus): boolean => OPEN_STATUSES.includes(status);
export const isFinal = (status: TicketStatus): boolean => FINAL_STATUSES.includes(status);

const S = TicketStatus;

/**
 * Forward jumps are allowed on purpose: in chat "#123 已解决" works from any open state and
 * "#123 已处理" from pending or assigned. Escalation can happen from any open state and an
 * escalated ticket goes back into work; a resolved ticket can be closed or reopened.
 */
const TRANSITIONS: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  [S.PENDING]: [S.ASSIGNED, S.PROCESSING, S.RESOLVED, S.ESCALATED, S.CANCELLED],
  [S.ASSIGNED]: [S.PROCESSING, S.RESOLVED, S.ESCALATED, S.CANCELLED],
  [S.PROCESSING]: [S.RESOLVED, S.ESCALATED, S.CANCELLED],
  [S.ESCALATED]: [S.ASSIGNED, S.PROCESSING, S.RESOLVED, S.CANCELLED],
  [S.RESOLVED]: [S.CLOSED, S.PROCESSING],
  [S.CLOSED]: [],
  [S.CANCELLED]: [],
};

export const allowedTransitions = (from: TicketStatus): readonly TicketStatus[] => TRANSITIONS[from];

/**
 * Where a resolved ticket goes when it is reopened (back into work). It can be resolved again
 * only after one of these moves, so a resolution is its ticket's first exactly when no reopening
 * came before it: the team figures find first resolutions that way (see ServiceReportRepository).
 */
export const REOPEN_STATUSES: readonly TicketStatus[] = TRANSITIONS[S.RESOLVED].filter((to) => OPEN_STATUSES.includes(to));

export const canTransition = (from: TicketStatus, to: TicketStatus): boolean => TRANSITIONS[from].includes(to);

/** The part of a ticket the status machine reads and writes. */
export interface TicketProgressState {
  readonly status: TicketStatus;
  readonly progress: number;
  readonly assignedTo: string | null;
  readonly resolvedAt: Date | null;
  readonly closedAt: Date | null;
}

export const PROGRESS_ON_CREATE = 0;
/** "#123 已处理": the assignee reports the work done, pending confirmation. */
export const PROGRESS_REPORTED_DONE = 80;
export const PROGRESS_COMPLETE = 100;

export function validateProgress(progress: number): number {
  if (!Number.isInteger(progress) || progress < 0 || progress > 100) {
    throw badInput(`处理进度必须是 0 到 100 之间的整数，收到 ${progress}`, `Progress must be an integer from 0 to 100, got ${progress}`, {
      field: 'progress',
    });
  }
  return progress;
}

const label = (status: TicketStatus): string => `${STATUS_LABEL[status]} (${status})`;

function rejectTransition(from: TicketStatus, to: TicketStatus): never {
  const allowed = TRANSITIONS[from];
  const hint = allowed.length === 0 ? '，该状态不可再变更' : `，可变更为：${allowed.map((s) => STATUS_LABEL[s]).join('、')}`;
  const hintEn = allowed.length === 0 ? '; it is final' : `; allowed: ${allowed.join(', ')}`;
  throw invalidTransition(
    `工单状态不能从「${STATUS_LABEL[from]}」变更为「${STATUS_LABEL[to]}」${hint}`,
    `Cannot move a ticket from ${label(from)} to ${label(to)}${hintEn}`,
    { from, to, allowed },
  );
}

function progressFor(to: TicketStatus, current: number, explicit: number | undefined): number {
  if (to === S.RESOLVED || to === S.CLOSED) {
    if (explicit !== undefined && explicit !== PROGRESS_COMPLETE) {
      throw badInput(`「${STATUS_LABEL[to]}」的工单进度必须为 100%`, `A ${to} ticket is 100% done; got progress ${explicit}`, {
        field: 'progress',
      });
    }
    return PROGRESS_COMPLETE;
  }
  if (explicit !== undefined) return explicit;
  if (to === S.PROCESSING) return PROGRESS_REPORTED_DONE;
  return current;
}

/**
 * The state after moving to `to`. A move to the current status is a progress update,
 * allowed only while the ticket is open and only with an explicit progress.
 */
export function planStatusChange(
  current: TicketProgressState,
  to: TicketStatus,
  options: { progress?: number; now: Date },
): TicketProgressState {
  const explicit = options.progress === undefined ? undefined : validateProgress(options.progress);
  const state: TicketProgressState = {
    status: current.status,
    progress: current.progress,
    assignedTo: current.assignedTo,
    resolvedAt: current.resolvedAt,
    closedAt: current.closedAt,
  };
  if (to === current.status) {
    if (explicit === undefined || !isOpen(to)) {
      throw invalidTransition(`工单已经是「${STATUS_LABEL[to]}」状态`, `The ticket is already ${label(to)}`, { from: to, to });
    }
    return { ...state, progress: explicit };
  }
  if (!canTransition(current.status, to)) rejectTransition(current.status, to);
  if (to === S.ASSIGNED && current.assignedTo === null) {
    throw invalidTransition('工单还没有负责人，请先分配工单', 'The ticket has no assignee yet; assign it first', { from: current.status, to });
  }
  return {
    ...state,
    status: to,
    progress: progressFor(to, current.progress, explicit),
    resolvedAt: to === S.RESOLVED ? options.now : to === S.PROCESSING ? null : current.resolvedAt,
    closedAt: to === S.CLOSED ? options.now : current.closedAt,
  };
}

/** Assigning takes a pending ticket into ASSIGNED; any other open ticket just changes hands. */
export function statusAfterAssignment(status: TicketStatus): TicketStatus {
  if (!isOpen(status)) {
    throw invalidTransition(`工单已是「${STATUS_LABEL[status]}」状态，不能再分配`, `A ${label(status)} ticket cannot be assigned`, {
      from: status,
      to: S.ASSIGNED,
    });
  }
  return status === S.PENDING ? S.ASSIGNED : status;
}
