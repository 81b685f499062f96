import { describe, expect, it } from 'vitest';
import { appErrorFrom } from '../support/app-error.js';
import { parseTicketId } from '../../src/domain/ids.js';
import { normalizePhone } from '../../src/domain/input-validation.js';
import { titleFromDescription, validateNewTicket } from '../../src/domain/ticket-input.js';


describe('phone numbers', () => {
  it.each([
    ['13800138000', '13800138000'],
    ['138 0013 8000', '13800138000'],
    ['138-0013-8000', '13800138000'],
    ['+8613800138000', '13800138000'],
    ['8613800138000', '13800138000'],
  ])('accepts %s', (raw, expected) => expect(normalizePhone(raw)).toBe(expected));

  it.each(['1380013800', '138001380001', '23800138000', '1380013800a', ''])('rejects %s', (raw) => expect(normalizePhone(raw)).toBeNull());
});

describe('a new ticket', () => {
  it('trims its text and takes the title from the description when none is given', () => {
    const ticket = validateNewTicket({ customerName: ' 张三 ', customerPhone: '138 0013 8000', description: '  服务器无法连接\n详细日志见附件  ' });
    expect(ticket).toMatchObject({ customerName: '张三', customerPhone: '13800138000', title: '服务器无法连接', description: '服务器无法连接\n详细日志见附件' });
  });

  it('shortens a long first line into a title', () => {
    expect(titleFromDescription('很'.repeat(60))).toBe(`${'很'.repeat(40)}…`);
  });

  it('needs a description', () => {
    const error = appErrorFrom(() => validateNewTicket({ customerName: '张三', description: '   ' }));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.text.zh).toBe('问题描述不能为空');
    expect(error.details).toEqual({ field: 'description' });
  });

  it('needs a customer name or phone', () => {
    expect(appErrorFrom(() => validateNewTicket({ description: '无法登录' })).text.zh).toBe('请提供客户姓名或手机号');
  });

  it('rejects a bad phone number, naming it', () => {
    const error = appErrorFrom(() => validateNewTicket({ customerName: '张三', customerPhone: '12345', description: '无法登录' }));
    expect(error.text.zh).toContain('手机号格式不正确：「12345」');
    expect(error.details).toEqual({ field: 'customerPhone' });
  });

  it('rejects oversize text', () => {
    const error = appErrorFrom(() => validateNewTicket({ customerName: '张三', description: 'x'.repeat(5001) }));
    expect(error.text.zh).toBe('问题描述不能超过 5000 个字');
  });
});

describe('ticket ids', () => {
  it('accepts 123 and #123', () => {
    expect(parseTicketId('123')).toBe(123);
    expect(parseTicketId('#123')).toBe(123);
  });

  it.each(['abc', '0', '-1', '1.5', '99999999999', ''])('rejects %s', (raw) => {
    expect(appErrorFrom(() => parseTicketId(raw)).code).toBe('BAD_USER_INPUT');
  });
});
