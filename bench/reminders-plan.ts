/** The load of `npm run bench:reminders`, the same for the service and the bare Agenda. */
export interface DeadlinePlan {
  /** Deadlines scheduled in all. */
  readonly scheduled: number;
  /** Of which this many come due evenly over `steadySeconds`, starting at `t0`. */
  readonly steady: number;
  readonly steadySeconds: number;
  /** And this many at one instant, `burstGapSeconds` after the steady ones. */
  readonly burst: number;
  readonly burstGapSeconds: number;
  /** When the first steady deadline is due (epoch ms). */
  readonly t0: number;
}

export const burstAt = (plan: DeadlinePlan): number => plan.t0 + (plan.steadySeconds + plan.burstGapSeconds) * 1000;

/**
 * The due time of deadline `n` (1-based) as a SQL expression over the column `n`: the steady
 * ones first, then the burst, then the rest days ahead (they only have to be there).
 */
export function dueAtSql(plan: DeadlinePlan, n = 'n'): string {
  const spacingMs = (plan.steadySeconds * 1000) / plan.steady;
  return `case when ${n} <= ${plan.steady} then to_timestamp((${plan.t0} + (${n} - 1) * ${spacingMs}) / 1000.0)
               when ${n} <= ${plan.steady + plan.burst} then to_timestamp(${burstAt(plan)} / 1000.0)
               else to_timestamp(${plan.t0} / 1000.0) + interval '1 day' + ${n} * interval '1 second' end`;
}
