import type { Language } from '../domain/language.js';
import { formatChinaTime } from '../chat/china-time.js';
import type { ErrorMessage } from '../domain/errors.js';
import { STATUS_LABEL } from '../domain/ticket-status.js';
import { HONEYPOT_FIELD, type SubmissionInput } from '../domain/website-submission.js';
import { TEXT_LIMITS } from '../domain/ticket-input.js';
import type { SubmittedTicket } from '../tickets/website-submission.js';
import { html, pageDocument, type Html } from './html.js';

/**
 * The customer portal's submission page (/support) and its answer: plain HTML that works without
 * any script, Chinese first with English a link away, laid out for a phone. The styles are one file
 * of the service's own (public/support/support.css).
 */


export const SUPPORT_PATH = '/support';
const STYLESHEET = `${SUPPORT_PATH}/assets/support.css`;

const TEXT = {
  zh: {
    title: '提交售后问题',
    intro: '请留下您的联系方式和遇到的问题，我们的售后团队会尽快与您联系。',
    other: { href: `${SUPPORT_PATH}?lang=en`, label: 'English', lang: 'en' },
    name: '姓名',
    phone: '手机号',
    phoneHint: '11 位大陆手机号，用于联系您和查找您的历史工单',
    company: '公司（可选）',
    product: '产品（可选）',
    productHint: '可从列表中选择，也可直接填写',
    problem: '问题描述',
    problemHint: '请尽量写明现象、出错提示和发生时间',
    honeypot: '网站（请留空）',
    submit: '提交',
    doneTitle: '工单已提交',
    number: '工单号',
    status: '状态',
    submittedAt: '提交时间',
    duplicate: '您几分钟前已提交过相同的问题，这是那张工单，无需重复提交。',
    keep: '请记下工单号，联系客服时提供它即可。',
    statusLink: '查看处理进度',
    another: '再提交一个问题',
    failed: '提交失败：',
  },
  en: {
    title: 'Report a problem',
    intro: 'Leave your contact details and the problem you ran into; our after-sales team will get back to you soon.',
    other: { href: SUPPORT_PATH, label: '中文', lang: 'zh-CN' },
    name: 'Name',
    phone: 'Mobile number',
    phoneHint: 'An 11-digit mainland number, to reach you and find your earlier tickets',
    company: 'Company (optional)',
    product: 'Product (optional)',
    productHint: 'Pick one from the list or type it in',
    problem: 'Problem',
    problemHint: 'What happens, any error message, and since when',
    honeypot: 'Website (leave empty)',
    submit: 'Submit',
    doneTitle: 'Ticket submitted',
    number: 'Ticket number',
    status: 'Status',
    submittedAt: 'Submitted',
    duplicate: 'You submitted the same problem a few minutes ago: this is that ticket, no need to submit it again.',
    keep: 'Please note the ticket number and quote it when you contact us.',
    statusLink: 'Follow its progress',
    another: 'Report another problem',
    failed: 'Not submitted: ',
  },
} as const;

export interface SupportForm {
  readonly lang: Language;
  readonly products: readonly string[];
  /** What was posted, shown again after a refusal. */
  readonly values?: SubmissionInput;
  readonly error?: { readonly code: string; readonly text: ErrorMessage; readonly field?: string };
}

const document = (lang: Language, title: string, body: Html, bodyClass: string, noindex: boolean): string =>
  pageDocument({ title, body, bodyClass, stylesheet: STYLESHEET, lang, noindex }).markup;

function field(props: { name: string; label: string; value: string | null | undefined; hint?: string; invalid: boolean; control: (attrs: Html) => Html }): Html {
  const hintId = `${props.name}-hint`;
  const attrs = html`id="${props.name}" name="${props.name}"${props.hint ? html` aria-describedby="${hintId}"` : ''}${props.invalid ? html` aria-invalid="true"` : ''}`;
  return html`<div class="field${props.invalid ? ' invalid' : ''}">
<label for="${props.name}">${props.label}</label>
${props.control(attrs)}
${props.hint ? html`<p class="hint" id="${hintId}">${props.hint}</p>` : ''}
</div>`;
}

export function renderSupportForm(form: SupportForm): string {
  const t = TEXT[form.lang];
  const v = form.values ?? {};
  const bad = (name: string) => form.error?.field === name;
  const message = form.error ? form.error.text[form.lang] : undefined;
  const body = html`<main class="page">
<header class="head">
<div class="head-line"><h1>${t.title}</h1><a class="lang" href="${t.other.href}" lang="${t.other.lang}" hreflang="${t.other.lang}">${t.other.label}</a></div>
<p>${t.intro}</p>
</header>
${message ? html`<p class="alert" role="alert" data-testid="error" data-code="${form.error!.code}"><strong>${t.failed}</strong>${message}</p>` : ''}
<form class="card" method="post" action="${SUPPORT_PATH}" accept-charset="utf-8">
<input type="hidden" name="lang" value="${form.lang}">
${field({ name: 'name', label: t.name, value: v.name, invalid: bad('name'), control: (a) => html`<input ${a} type="text" required maxlength="${TEXT_LIMITS.customerName}" autocomplete="name" value="${v.name ?? ''}">` })}
${field({ name: 'phone', label: t.phone, value: v.phone, hint: t.phoneHint, invalid: bad('phone'), control: (a) => html`<input ${a} type="tel" required maxlength="20" inputmode="tel" autocomplete="tel" value="${v.phone ?? ''}">` })}
${field({ name: 'company', label: t.company, value: v.company, invalid: bad('company'), control: (a) => html`<input ${a} type="text" maxlength="${TEXT_LIMITS.company}" autocomplete="organization" value="${v.company ?? ''}">` })}
${field({
  name: 'product',
  label: t.product,
  value: v.product,
  hint: form.products.length > 0 ? t.productHint : undefined,
  invalid: bad('product'),
  control: (a) => html`<input ${a} type="text" maxlength="${TEXT_LIMITS.product}" list="products" autocomplete="off" value="${v.product ?? ''}">
<datalist id="products">${form.products.map((p) => html`<option value="${p}"></option>`)}</datalist>`,
})}
${field({ name: 'problem', label: t.problem, value: v.problem, hint: t.problemHint, invalid: bad('problem'), control: (a) => html`<textarea ${a} required maxlength="${TEXT_LIMITS.description}" rows="6">${v.problem ?? ''}</textarea>` })}
<div class="trap" aria-hidden="true"><label for="${HONEYPOT_FIELD}">${t.honeypot}</label><input id="${HONEYPOT_FIELD}" name="${HONEYPOT_FIELD}" type="text" tabindex="-1" autocomplete="off" value=""></div>
<button type="submit">${t.submit}</button>
</form>
</main>`;
  return document(form.lang, t.title, body, 'support-page', false);
}

export function renderSubmitted(lang: Language, ticket: SubmittedTicket, statusLink?: string): string {
  const t = TEXT[lang];
  const status = lang === 'zh' ? STATUS_LABEL[ticket.status] : ticket.status;
  const body = html`<main class="page">
<section class="card done" data-testid="submitted">
<h1>${t.doneTitle}</h1>
<p class="number">${t.number} <strong data-testid="ticket-number">#${ticket.id}</strong></p>
<dl>
<dt>${t.status}</dt><dd>${status}</dd>
<dt>${t.submittedAt}</dt><dd><time datetime="${ticket.createdAt.toISOString()}">${formatChinaTime(ticket.createdAt)}</time></dd>
</dl>
${ticket.duplicate ? html`<p class="note" data-testid="duplicate">${t.duplicate}</p>` : ''}
${statusLink ? html`<p><a class="status-link" data-testid="status-link" href="${statusLink}">${t.statusLink}</a></p>` : ''}
<p>${t.keep}</p>
<p><a href="${lang === 'en' ? `${SUPPORT_PATH}?lang=en` : SUPPORT_PATH}">${t.another}</a></p>
</section>
</main>`;
  return document(lang, `${t.doneTitle} #${ticket.id}`, body, 'support-page', true);
}
