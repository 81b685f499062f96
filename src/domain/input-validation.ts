import { z } from 'zod';
import { badInput, type AppError } from './errors.js';

/** Chinese names of the fields users type, for error messages. */
const FIELD_LABEL: Readonly<Record<string, string>> = {
  customerName: '客户姓名',
  customerPhone: '手机号',
  company: '公司',
  title: '标题',
  description: '问题描述',
  product: '产品/项目',
  note: '备注',
  name: '姓名',
  phone: '手机号',
  problem: '问题描述',
  userId: '企业微信 UserID',
  aliases: '别名',
  search: '搜索内容',
  text: '搜索内容',
  first: '每页数量',
};

function toAppError(issue: z.core.$ZodIssue): AppError {
  const field = issue.path.join('.') || 'input';
  const label = FIELD_LABEL[String(issue.path[0])] ?? field;
  const details = { field };
  switch (issue.code) {
    case 'too_small':
      return issue.minimum === 1 && issue.origin === 'string'
        ? badInput(`${label}不能为空`, `${field} must not be empty`, details)
        : badInput(`${label}不能小于 ${issue.minimum}`, `${field} must be at least ${issue.minimum}`, details);
    case 'too_big':
      return issue.origin === 'string'
        ? badInput(`${label}不能超过 ${issue.maximum} 个字`, `${field} must be at most ${issue.maximum} characters`, details)
        : badInput(`${label}不能大于 ${issue.maximum}`, `${field} must be at most ${issue.maximum}`, details);
    case 'invalid_format':
      return badInput(`${label}格式不正确`, `${field} has an invalid format`, details);
    case 'custom':
      return badInput(issue.message, String(issue.params?.['en'] ?? issue.message), details);
    default:
      return badInput(`${label}无效`, `${field} is invalid: ${issue.message}`, details);
  }
}

/** Parses untrusted input once, at the use-case boundary; the first problem becomes a bilingual error. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw toAppError(result.error.issues[0]!);
}

/** A trimmed string; blank becomes undefined so optional fields stay optional. */
export const optionalText = (max: number) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().trim().max(max).optional());

export const requiredText = (max: number) => z.string().trim().min(1).max(max);

/** A WeCom userid (成员UserID): 1–64 letters, digits and _ . @ - (protocol reference 6). */
export const wecomUserId = z.string().trim().regex(/^[A-Za-z0-9_.@-]{1,64}$/);

const PHONE = /^1\d{10}$/;

/** Mainland mobile numbers: 11 digits starting with 1; spaces, dashes and a +86 prefix are tolerated. */
export function normalizePhone(raw: string): string | null {
  const compact = raw.replace(/[\s-]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '');
  return PHONE.test(compact) ? compact : null;
}

/** What is wrong with a phone number that normalizePhone refused, in both languages. */
export const invalidPhoneText = (raw: string): { zh: string; en: string } => ({
  zh: `手机号格式不正确：「${raw}」，应为 11 位大陆手机号（1 开头）`,
  en: `Invalid phone number "${raw}": expected an 11-digit mainland mobile number starting with 1`,
});

export const phoneNumber = z.string().transform((raw, ctx) => {
  const phone = normalizePhone(raw);
  if (phone === null) {
    const text = invalidPhoneText(raw);
    ctx.addIssue({ code: 'custom', message: text.zh, params: { en: text.en } });
    return z.NEVER;
  }
  return phone;
});

export const optionalPhone = z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), phoneNumber.optional());
