import { formatChinaTime } from '../chat/china-time.js';
import { CUSTOMER_STATUS_WORDS, type CustomerHistoryEntry, type CustomerTicketView } from '../domain/customer-view.js';
import type { Language } from '../domain/language.js';
import { html, pageDocument, type Html } from './html.js';

/**
 * The customer's status page (/support/status/<token>): where their ticket stands in plain words,
 * its public history, 仍未解决？补充说明 and, once resolved, a 1–5 rating. Chinese first, English
 * with ?lang=en. The forms work without JavaScript; a small script (assets/status.js) refreshes
 * the live part when the ticket changes. Times are China time.
 */

const T = {
  zh: {
    title: (id: number) => `工单 #${id} 处理进度`,
    status: '当前状态',
    progress: '处理进度',
    updated: '最后更新',
    problem: '您的问题',
    history: '处理记录',
    received: '已受理您的问题',
    assigned: '已安排客服处理',
    progressTo: (p: number) => `处理进度更新为 ${p}%`,
    reply: '客服回复',
    yourNote: '您的补充说明',
    yourRating: (s: number) => `您的评价：${'★'.repeat(s)}${'☆'.repeat(5 - s)}`,
    addNote: '仍未解决？补充说明',
    addNoteHint: '写下新的情况，客服会收到通知。',
    send: '提交',
    rate: '对这次处理满意吗？',
    rateHint: '1 分最不满意，5 分最满意。',
    comment: '评语（可选）',
    rateSend: '提交评价',
    thanksNote: '已收到您的补充说明，客服会尽快跟进。',
    thanksRating: '感谢您的评价！',
    other: 'English',
    otherLang: 'en',
    refused: { title: '链接无效', forged: '这个链接不正确或已损坏，请使用我们发给您的完整链接。', revoked: '这个链接已失效。如需查看进度，请联系客服获取新的链接。', gone: '找不到这个工单。', unavailable: '页面暂时无法打开，请稍后再试。' },
    score: (s: number) => `${s} 分`,
  },
  en: {
    title: (id: number) => `Ticket #${id}`,
    status: 'Status',
    progress: 'Progress',
    updated: 'Last update',
    problem: 'Your problem',
    history: 'History',
    received: 'We received your problem',
    assigned: 'An agent is on it',
    progressTo: (p: number) => `Progress: ${p}%`,
    reply: 'Reply from us',
    yourNote: 'You added',
    yourRating: (s: number) => `Your rating: ${'★'.repeat(s)}${'☆'.repeat(5 - s)}`,
    addNote: 'Still not solved? Tell us more',
    addNoteHint: 'Write what changed; the agent is told.',
    send: 'Send',
    rate: 'Were you satisfied?',
    rateHint: '1 is the least satisfied, 5 the most.',
    comment: 'Comment (optional)',
    rateSend: 'Send rating',
    thanksNote: 'Thank you, we received your note and will follow up.',
    thanksRating: 'Thank you for your rating!',
    other: '中文',
    otherLang: 'zh',
    refused: { title: 'Link not valid', forged: 'This link is not right or was cut short; use the whole link we sent you.', revoked: 'This link no longer works. Ask us for a new one to follow your ticket.', gone: 'There is no such ticket.', unavailable: 'The page cannot be shown right now; please try again later.' },
    score: (s: number) => `${s}`,
  },
} as const;

/** Why a status page is not shown: a link not ours, a revoked one, no such ticket, or a failure of ours. */
export type StatusPageRefusal = 'forged' | 'revoked' | 'gone' | 'unavailable';

export interface StatusPageOptions {
  readonly lang: Language;
  /** What the customer just did (after a form's redirect). */
  readonly done?: 'note' | 'rating';
  /** A refused form: its message, and what was typed (kept). */
  readonly error?: { readonly form: 'note' | 'rating'; readonly message: string; readonly note?: string; readonly comment?: string };
}

const time = (at: Date): Html => html`<time datetime="${at.toISOString()}">${formatChinaTime(at)}</time>`;

const document = (lang: Language, title: string, body: Html): string =>
  pageDocument({ lang, title, stylesheet: 'assets/status.css', script: 'assets/status.js', bodyClass: 'status-page', body }).markup;

function entryText(entry: CustomerHistoryEntry, lang: Language): Html {
  const t = T[lang];
  switch (entry.kind) {
    case 'received':
      return html`${t.received}`;
    case 'assigned':
      return html`${t.assigned}`;
    case 'status':
      return html`${CUSTOMER_STATUS_WORDS[entry.status][lang]}`;
    case 'progress':
      return html`${t.progressTo(entry.progress)}`;
    case 'reply':
      return html`<strong>${t.reply}</strong><p class="body">${entry.body}</p>`;
    case 'customerNote':
      return html`<strong>${t.yourNote}</strong><p class="body">${entry.body}</p>`;
    case 'rating':
      return html`${t.yourRating(entry.score)}${entry.comment ? html`<p class="body">${entry.comment}</p>` : null}`;
  }
}

function ratingForm(options: StatusPageOptions, action: string): Html {
  const t = T[options.lang];
  const error = options.error?.form === 'rating' ? options.error : undefined;
  return html`<form class="card" method="post" action="${action}" data-testid="rating-form">
<h2>${t.rate}</h2>
<p class="hint">${t.rateHint}</p>
${error ? html`<p class="error" role="alert">${error.message}</p>` : null}
<fieldset class="stars">${[1, 2, 3, 4, 5].map((s) => html`<label><input type="radio" name="score" value="${s}" required> ${t.score(s)}</label>`)}</fieldset>
<label class="field">${t.comment}<textarea name="comment" maxlength="2000" rows="2">${error?.comment ?? ''}</textarea></label>
<input type="hidden" name="lang" value="${options.lang}">
<button type="submit">${t.rateSend}</button>
</form>`;
}

function noteForm(options: StatusPageOptions, action: string): Html {
  const t = T[options.lang];
  const error = options.error?.form === 'note' ? options.error : undefined;
  return html`<form class="card" method="post" action="${action}" data-testid="note-form">
<h2>${t.addNote}</h2>
<p class="hint">${t.addNoteHint}</p>
${error ? html`<p class="error" role="alert">${error.message}</p>` : null}
<textarea name="note" required maxlength="2000" rows="4" aria-label="${t.addNote}">${error?.note ?? ''}</textarea>
<input type="hidden" name="lang" value="${options.lang}">
<button type="submit">${t.send}</button>
</form>`;
}

/** The page for a ticket's view; `token` is the link's last segment (forms post next to it). */
export function renderStatusPage(view: CustomerTicketView, token: string, options: StatusPageOptions): string {
  const t = T[options.lang];
  const thanks = options.done === 'note' ? t.thanksNote : options.done === 'rating' ? t.thanksRating : null;
  // A refusal shows in its form; when that form is no longer offered (rated already), on its own.
  const formShown = options.error?.form === 'rating' ? view.canRate : view.canAddNote;
  const orphanError = options.error && !formShown ? options.error.message : null;
  const body = html`<main>
<header><h1>${t.title(view.id)}</h1><a class="lang" href="?lang=${t.otherLang}">${t.other}</a></header>
${thanks ? html`<p class="thanks" role="status">${thanks}</p>` : null}
${orphanError ? html`<p class="card error" role="alert">${orphanError}</p>` : null}
<section id="live" class="card" data-updated="${view.lastUpdatedAt.toISOString()}" data-testid="live">
<p class="status status-${view.status.toLowerCase()}"><span>${t.status}</span> <strong data-testid="status">${CUSTOMER_STATUS_WORDS[view.status][options.lang]}</strong></p>
<p><span>${t.progress}</span> <progress max="100" value="${view.progress}">${view.progress}%</progress> <span data-testid="progress">${view.progress}%</span></p>
<p><span>${t.updated}</span> ${time(view.lastUpdatedAt)}</p>
<h2>${t.history}</h2>
<ol class="history">${view.history.map((entry) => html`<li class="entry entry-${entry.kind}">${time(entry.at)}<div>${entryText(entry, options.lang)}</div></li>`)}</ol>
${view.canRate ? ratingForm(options, `${token}/rating`) : null}
</section>
<section class="card"><h2>${t.problem}</h2><p class="body">${view.description}</p></section>
${view.canAddNote ? noteForm(options, `${token}/notes`) : null}
</main>`;
  return document(options.lang, t.title(view.id), body);
}

/** Why a link opens nothing, as a page in the customer's language. */
export function renderStatusRefusal(reason: StatusPageRefusal, lang: Language): string {
  const t = T[lang];
  return document(lang, t.refused.title, html`<main><h1>${t.refused.title}</h1><p class="card">${t.refused[reason]}</p></main>`);
}
