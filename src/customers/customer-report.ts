import type { EntityManager } from '@mikro-orm/postgresql';
import { ServiceReportRepository } from '../db/repositories/service-report.repository.js';
import { reportPeriod, type ReportPeriodInput } from '../domain/report-period.js';
import { assembleCustomerReport, type CustomerReport } from '../domain/service-report.js';
import { getCustomerRecord } from './customer-queries.js';

/**
 * The customer service report: the customer's tickets created in the period (China days), and
 * how they were handled, from their events. Two reads: the customer, then the tickets with their
 * event facts (tickets_customer_created_idx).
 */
export async function customerReport(em: EntityManager, customerId: number, period: ReportPeriodInput, now: Date): Promise<CustomerReport> {
  const span = reportPeriod(period, now);
  const customer = await getCustomerRecord(em, customerId);
  return assembleCustomerReport(customer, span, await new ServiceReportRepository(em).customerTickets(customerId, span));
}
