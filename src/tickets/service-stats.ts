import type { EntityManager } from '@mikro-orm/postgresql';
import { ServiceReportRepository } from '../db/repositories/service-report.repository.js';
import { reportPeriod, type ReportPeriodInput } from '../domain/report-period.js';
import { assembleServiceStats, type ServiceStats } from '../domain/service-report.js';

/**
 * The team figures: open tickets now, and the resolutions and reminders of the period (China
 * days), overall, per assignee and unassigned. Four index-backed reads, side by side.
 */
export async function serviceStats(em: EntityManager, period: ReportPeriodInput, now: Date): Promise<ServiceStats> {
  const span = reportPeriod(period, now);
  const reports = new ServiceReportRepository(em);
  const [open, resolutions, reminders, ratings] = await Promise.all([reports.openTickets(now), reports.resolutions(span), reports.reminders(span), reports.ratings(span)]);
  return assembleServiceStats(span, { open, resolutions, reminders, ratings });
}
