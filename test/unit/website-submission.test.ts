import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/domain/errors.js';
import { TEXT_LIMITS } from '../../src/domain/ticket-input.js';
import { DUPLICATE_WINDOW_MS, findDuplicate, isNearDuplicate, submissionFromForm, validateSubmission } from '../../src/domain/website-submission.js';
import { appErrorFrom } from '../support/app-error.js';

const valid = { name: ' 张三 ', phone: '138 0013 8000', company: '', product: 'OA办公系统', problem: '登录后页面空白' };

describe('a website submission', () => {
  it('is trimmed, the phone normalized, blank optional fields left out', () => {
    expect(validateSubmission(valid)).toEqual({ name: '张三', phone: '13800138000', product: 'OA办公系统', problem: '登录后页面空白' });
  });

  it.each([
    [{ ...valid, name: '  ' }, 'name', '姓名不能为空'],
    [{ ...valid, phone: '' }, 'phone', '手机号不能为空'],
    [{ ...valid, phone: '12345' }, 'phone', '手机号格式不正确'],
    [{ ...valid, problem: undefined }, 'problem', '问题描述不能为空'],
    [{ ...valid, problem: 'x'.repeat(TEXT_LIMITS.description + 1) }, 'problem', `问题描述不能超过 ${TEXT_LIMITS.description} 个字`],
    [{ ...valid, company: 'x'.repeat(TEXT_LIMITS.company + 1) }, 'company', '公司不能超过'],
  ])('refuses bad input with a coded, bilingual message (%#)', (input, field, zh) => {
    const error = appErrorFrom(() => validateSubmission(input));
    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(error.details['field']).toBe(field);
    expect(error.text.zh).toContain(zh);
    expect(error.text.en).not.toBe('');
  });

  it('refuses a filled honeypot before anything else', () => {
    const error = appErrorFrom(() => validateSubmission({ ...valid, name: '', website: 'http://spam.example' }));
    expect(error.code).toBe(ErrorCode.SUBMISSION_REFUSED);
    expect(error.text.zh).toContain('提交未被受理');
  });

  it('takes only string fields from a posted form', () => {
    expect(submissionFromForm({ name: ['a', 'b'], phone: '13800138000', problem: { x: 1 }, website: '' })).toEqual({
      name: undefined,
      phone: '13800138000',
      company: undefined,
      product: undefined,
      problem: undefined,
      website: '',
    });
    expect(submissionFromForm(undefined)).toEqual(submissionFromForm({}));
  });
});

describe('duplicate detection', () => {
  it.each([
    ['服务器无法连接', '服务器无法连接！'],
    ['VPN 连不上，错误 E731', 'vpn连不上 错误E731'],
    ['打印机卡纸，无法打印', '无法打印。打印机卡纸'],
  ])('%s ≈ %s', (a, b) => expect(isNearDuplicate(a, b)).toBe(true));

  it.each([
    ['服务器无法连接', '发票开错了，需要重开'],
    ['VPN 连不上，错误 E731', 'VPN 连不上，错误 E732'],
    ['打印机卡纸', '打印机卡纸，另外扫描仪也坏了，网络也很慢'],
  ])('%s ≠ %s', (a, b) => expect(isNearDuplicate(a, b)).toBe(false));

  it('texts without terms are alike only when equal', () => {
    expect(isNearDuplicate('？？', '？？')).toBe(true);
    expect(isNearDuplicate('？？', '！！')).toBe(false);
  });

  it('finds the earliest near-duplicate within the window', () => {
    const now = new Date('2026-12-05T10:00:00Z');
    const ago = (ms: number) => new Date(now.getTime() - ms);
    const recent = [
      { id: 3, description: '服务器无法连接', createdAt: ago(60_000) },
      { id: 2, description: '服务器 无法连接', createdAt: ago(5 * 60_000) },
      { id: 1, description: '服务器无法连接', createdAt: ago(DUPLICATE_WINDOW_MS + 1) },
      { id: 4, description: '发票开错了', createdAt: ago(30_000) },
    ];
    expect(findDuplicate('服务器无法连接。', recent, now)?.id).toBe(2);
    expect(findDuplicate('打印机卡纸', recent, now)).toBeUndefined();
  });
});
