import { describe, expect, it } from 'vitest';
import {
  cardKey,
  claimedLine,
  fitChars,
  parseCardKey,
  renderTicketCardNotice,
  renderTicketTemplateCard,
  resolvedLine,
  stateLine,
  type TicketTemplateCard,
} from '../../src/chat/ticket-card-template.js';
import type { CardSubject } from '../../src/chat/ticket-cards.js';
import { Priority } from '../../src/domain/priority.js';
import { TicketStatus } from '../../src/domain/ticket-status.js';
import { cardTaskId } from '../../src/wecom/smart-robot.js';

// 2026-02-02 15:30 in China.
const DEADLINE = new Date('2026-02-02T07:30:00Z');

const subject = (ticket: Partial<CardSubject['ticket']> = {}, customer: Partial<CardSubject['customer']> = {}): CardSubject => ({
  ticket: {
    id: 123, title: '服务器无法连接', description: '服务器无法连接，重启后仍然不行', product: null, status: TicketStatus.PENDING, priority: Priority.NORMAL,
    progress: 0, assignedTo: null, assignedToName: null, deadline: DEADLINE, createdAt: new Date('2026-02-01T07:30:00Z'), ...ticket,
  },
  customer: { name: '张三', phone: '13800138000', company: 'XX科技', ...customer },
});

const chars = (text: string | undefined) => [...(text ?? '')].length;

/** Reference 1.11's limits, as the renderer must keep them. */
function expectWithinLimits(card: TicketTemplateCard): void {
  expect(card.card_type).toBe('button_interaction');
  expect(chars(card.source.desc)).toBeLessThanOrEqual(13);
  expect(chars(card.main_title.title)).toBeLessThanOrEqual(26);
  expect(chars(card.main_title.desc)).toBeLessThanOrEqual(30);
  expect(chars(card.sub_title_text)).toBeLessThanOrEqual(112);
  expect(card.horizontal_content_list?.length ?? 0).toBeLessThanOrEqual(6);
  for (const row of card.horizontal_content_list ?? []) {
    expect(chars(row.keyname)).toBeLessThanOrEqual(5);
    expect(chars(row.value)).toBeLessThanOrEqual(26);
  }
  expect(card.jump_list?.length ?? 0).toBeLessThanOrEqual(3);
  expect(card.button_list.length).toBeGreaterThanOrEqual(1);
  expect(card.button_list.length).toBeLessThanOrEqual(6);
  for (const button of card.button_list) expect(chars(button.text)).toBeLessThanOrEqual(10);
  expect(new Set(card.button_list.map((b) => b.key)).size).toBe(card.button_list.length);
}

describe('the new-ticket template card', () => {
  it('names the ticket and its problem, lists customer, contact, priority, status, owner and deadline in China time, and offers 认领 and 已解决', () => {
    const card = renderTicketTemplateCard(subject());
    expect(card).toEqual({
      card_type: 'button_interaction',
      source: { desc: '工单系统', desc_color: 0 },
      main_title: { title: '【新工单提醒】#ID123', desc: '售后工单 - 服务器无法连接' },
      sub_title_text: '问题描述：服务器无法连接，重启后仍然不行',
      horizontal_content_list: [
        { keyname: '客户', value: '张三（XX科技）' },
        { keyname: '联系', value: '13800138000' },
        { keyname: '优先级', value: '➡️ 普通' },
        { keyname: '状态', value: '待分配 · 0%' },
        { keyname: '负责人', value: '待分配' },
        { keyname: '期限', value: '⏰ 2026-02-02 15:30' },
      ],
      button_list: [
        { text: '认领', style: 1, key: 'claim:123' },
        { text: '已解决', style: 2, key: 'resolve:123' },
      ],
    });
    expectWithinLimits(card);
  });

  it('links 查看详情 when there is a link, and shows an urgent ticket in red', () => {
    const card = renderTicketTemplateCard(subject({ priority: Priority.URGENT }), { detailUrl: 'https://tickets.example.com/t/123?sig=x' });
    expect(card.jump_list).toEqual([{ type: 1, title: '查看详情', url: 'https://tickets.example.com/t/123?sig=x' }]);
    expect(card.source.desc_color).toBe(2);
    expect(card.horizontal_content_list).toContainEqual({ keyname: '优先级', value: '🚨 紧急' });
  });

  it('cuts long texts to the card\'s lengths instead of letting WeCom refuse it', () => {
    const long = '非常'.repeat(100);
    const card = renderTicketTemplateCard(subject({ id: 123456789, title: long, description: long, product: '云服务器'.repeat(10) }, { name: '欧阳'.repeat(20), company: '有限公司'.repeat(10), phone: null }));
    expectWithinLimits(card);
    expect(card.main_title.desc).toMatch(/…$/);
    expect(card.sub_title_text).toMatch(/^问题描述：非常.*…$/);
    expect(card.horizontal_content_list).toContainEqual({ keyname: '联系', value: '未提供' });
  });

  it('after a claim: says who claimed it where the problem stood, links the owner, and keeps only 已解决 to act on', () => {
    const claimed = subject({ status: TicketStatus.ASSIGNED, assignedTo: 'lisi', assignedToName: '李四' });
    const card = renderTicketTemplateCard(claimed, { line: claimedLine('李四') });
    expect(card.main_title).toEqual({ title: '【新工单提醒】#ID123', desc: '已被李四认领' });
    expect(card.horizontal_content_list).toContainEqual({ keyname: '负责人', value: '李四', type: 3, userid: 'lisi' });
    expect(card.horizontal_content_list).toContainEqual({ keyname: '状态', value: '已分配 · 0%' });
    expect(card.button_list).toEqual([
      { text: '已认领', style: 2, key: 'view:123' },
      { text: '已解决', style: 1, key: 'resolve:123' },
    ]);
    expectWithinLimits(card);
  });

  it('after 已解决: says who resolved it and offers nothing more to do', () => {
    const resolved = subject({ status: TicketStatus.RESOLVED, progress: 100, assignedTo: 'lisi', assignedToName: '李四' });
    const card = renderTicketTemplateCard(resolved, { line: resolvedLine('李四') });
    expect(card.main_title.desc).toBe('已由李四标记解决');
    expect(card.button_list).toEqual([{ text: '已解决', style: 2, key: 'view:123' }]);
    expectWithinLimits(card);
  });

  it('while a click is still worked on: a short card with a refresh', () => {
    const card = renderTicketCardNotice(123, '处理中…');
    expect(card).toMatchObject({ main_title: { title: '【新工单提醒】#ID123', desc: '处理中…' }, button_list: [{ text: '刷新', key: 'view:123' }] });
    expectWithinLimits(card);
  });
});

describe('what a card says of its ticket after a click', () => {
  it('names the owner, the resolver, or the final state; nothing while it waits for an owner', () => {
    expect(stateLine({ status: TicketStatus.PENDING, assignedTo: null, assignedToName: null })).toBeUndefined();
    expect(stateLine({ status: TicketStatus.ASSIGNED, assignedTo: 'lisi', assignedToName: '李四' })).toBe('已被李四认领');
    expect(stateLine({ status: TicketStatus.PROCESSING, assignedTo: 'lisi', assignedToName: null })).toBe('已被lisi认领');
    expect(stateLine({ status: TicketStatus.RESOLVED, assignedTo: 'lisi', assignedToName: '李四' }, '王五')).toBe('已由王五标记解决');
    expect(stateLine({ status: TicketStatus.RESOLVED, assignedTo: null, assignedToName: null })).toBe('工单已解决');
    expect(stateLine({ status: TicketStatus.CLOSED, assignedTo: 'lisi', assignedToName: '李四' })).toBe('工单已关闭');
  });
});

describe('button keys', () => {
  it('round-trip, and a key that is not ours is no action', () => {
    for (const action of [{ kind: 'claim', ticketId: 1 }, { kind: 'resolve', ticketId: 123 }, { kind: 'view', ticketId: 999999999 }] as const) {
      expect(parseCardKey(cardKey(action))).toEqual(action);
    }
    for (const key of ['noop', 'claim:', 'claim:0', 'claim:12a', 'delete:1', 'claim:1:2', 'claim:1234567890']) expect(parseCardKey(key)).toBeUndefined();
  });
});

describe('task ids', () => {
  it('are made of the allowed characters, within 128 bytes, and differ for every push of the same message', () => {
    const ids = Array.from({ length: 1000 }, () => cardTaskId(123, '45678'));
    for (const id of ids) {
      expect(id).toMatch(/^t123_45678_[0-9a-f]{12}$/);
      expect(Buffer.byteLength(id)).toBeLessThanOrEqual(128);
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(cardTaskId(null, '9', 'abc')).toBe('t0_9_abc');
  });
});

describe('fitChars', () => {
  it('counts characters, keeps emoji whole, and marks a cut', () => {
    expect(fitChars('短', 5)).toBe('短');
    expect(fitChars('一二三四五六', 5)).toBe('一二三四…');
    expect(fitChars('⏰⏰⏰⏰⏰⏰', 3)).toBe('⏰⏰…');
  });
});
