import { describe, expect, it } from 'vitest';
import { TicketStatus } from '../../src/domain/ticket-status.js';
import { renderSubmitted } from '../../src/http/support-page.js';

describe('the /support answer', () => {
  const ticket = { id: 42, status: TicketStatus.PENDING, createdAt: new Date('2026-12-05T02:30:00Z'), duplicate: false };

  it('shows the number, status and China time, and the private status link when the service gives one', () => {
    const page = renderSubmitted('zh', ticket, 'https://tickets.example.com/s/42?sig=a&b');
    expect(page).toContain('data-testid="ticket-number">#42<');
    expect(page).toContain('待分配');
    expect(page).toContain('2026-12-05 10:30');
    expect(page).toContain('href="https://tickets.example.com/s/42?sig=a&amp;b">查看处理进度</a>');
    expect(page).toContain('noindex');
  });

  it('has no status link without one, and says when it is an earlier ticket', () => {
    const page = renderSubmitted('en', { ...ticket, duplicate: true });
    expect(page).not.toContain('status-link');
    expect(page).toContain('data-testid="duplicate"');
    expect(page).toContain('<html lang="en">');
  });
});
