import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { detailLinkSecretFor } from '../../src/detail-link-secret.js';
import { createLogger } from '../../src/logger.js';
import { DetailLinkSigner, detailLinkUrl, signDetailLink, verifyDetailLink, type DetailLinkParts } from '../../src/domain/detail-link.js';
import { html } from '../../src/http/html.js';
import { renderRefusalPage } from '../../src/http/ticket-page.js';

const SECRET = 'detail-link-test-secret-0123456789abcdef';
const NOW = new Date('2026-02-01T07:30:00Z');
const HOUR = 3_600_000;
const IN_3_DAYS = new Date(NOW.getTime() + 72 * HOUR);

/** The parts of a link as the page's route receives them. */
function partsOf(url: string): DetailLinkParts {
  const parsed = new URL(url);
  return { id: parsed.pathname.split('/').at(-1), exp: parsed.searchParams.get('exp') ?? undefined, sig: parsed.searchParams.get('sig') ?? undefined };
}

const link = (ticketId = 123, expiresAt = IN_3_DAYS) => partsOf(detailLinkUrl('https://tickets.example.com', SECRET, ticketId, expiresAt));

describe('signed detail links', () => {
  it('are APP_DOMAIN/t/<id>?exp=<unix seconds>&sig=<base64url HMAC-SHA256>', () => {
    const url = detailLinkUrl('https://tickets.example.com/', SECRET, 123, IN_3_DAYS);
    expect(url).toMatch(/^https:\/\/tickets\.example\.com\/t\/123\?exp=1770190200&sig=[A-Za-z0-9_-]{43}$/);
    expect(signDetailLink(SECRET, 123, IN_3_DAYS)).toBe(new URL(url).search.slice(1));
  });

  it('verify round trip, until the second they expire', () => {
    expect(verifyDetailLink(SECRET, link(), NOW)).toEqual({ ok: true, ticketId: 123, expiresAt: IN_3_DAYS });
    expect(verifyDetailLink(SECRET, link(), new Date(IN_3_DAYS.getTime() - 1)).ok).toBe(true);
    // An expiry between seconds is rounded up, never down.
    expect(verifyDetailLink(SECRET, link(123, new Date(NOW.getTime() + 1500)), new Date(NOW.getTime() + 1999)).ok).toBe(true);
  });

  it('refuse an altered ticket id as forged', () => {
    const original = link(123);
    expect(verifyDetailLink(SECRET, { ...original, id: '124' }, NOW)).toEqual({ ok: false, reason: 'forged' });
    expect(verifyDetailLink(SECRET, { ...link(124), sig: original.sig }, NOW)).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuse an altered expiry as forged, even one already past', () => {
    const original = link();
    expect(verifyDetailLink(SECRET, { ...original, exp: String(Number(original.exp) + 3600) }, NOW)).toEqual({ ok: false, reason: 'forged' });
    expect(verifyDetailLink(SECRET, { ...original, exp: String(Math.floor(NOW.getTime() / 1000) - 10) }, NOW)).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuse any other signature: another key, one character changed anywhere, another spelling of the same bytes', () => {
    const original = link();
    const sig = original.sig as string;
    expect(verifyDetailLink('another-secret-of-at-least-32-characters!', original, NOW)).toEqual({ ok: false, reason: 'forged' });
    for (let i = 0; i < sig.length; i++) {
      const changed = sig.slice(0, i) + (sig[i] === 'A' ? 'B' : 'A') + sig.slice(i + 1);
      expect(verifyDetailLink(SECRET, { ...original, sig: changed }, NOW), `position ${i}`).toEqual({ ok: false, reason: 'forged' });
    }
  });

  it('call a truncated or padded signature malformed', () => {
    const original = link();
    const sig = original.sig as string;
    expect(verifyDetailLink(SECRET, { ...original, sig: sig.slice(0, -1) }, NOW)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyDetailLink(SECRET, { ...original, sig: sig.slice(0, 20) }, NOW)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyDetailLink(SECRET, { ...original, sig: `${sig}=` }, NOW)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyDetailLink(SECRET, { ...original, sig: '' }, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('say a genuine link past its expiry is expired, and which ticket it was for', () => {
    expect(verifyDetailLink(SECRET, link(), IN_3_DAYS)).toEqual({ ok: false, reason: 'expired', ticketId: 123 });
    expect(verifyDetailLink(SECRET, link(123, new Date(NOW.getTime() - HOUR)), NOW)).toEqual({ ok: false, reason: 'expired', ticketId: 123 });
  });

  it('call garbage malformed, whatever its shape', () => {
    const { sig, exp } = link();
    const garbage: DetailLinkParts[] = [
      { id: undefined, exp: undefined, sig: undefined },
      { id: 'abc', exp, sig },
      { id: '0123', exp, sig },
      { id: '-1', exp, sig },
      { id: '99999999999', exp, sig },
      { id: '123', exp: '1e10', sig },
      { id: '123', exp: ['1770190200', '1770190200'], sig },
      { id: '123', exp, sig: [sig, sig] },
      { id: '123', exp: ' 1770190200', sig },
      { id: '123', exp, sig: `${(sig as string).slice(0, 42)}+` },
      { id: '123', exp, sig: '<script>alert(1)</script>' },
    ];
    for (const parts of garbage) expect(verifyDetailLink(SECRET, parts, NOW), JSON.stringify(parts)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('will not sign or check with a short key', () => {
    expect(() => signDetailLink('short', 1, IN_3_DAYS)).toThrow(/at least 32 characters/);
    expect(() => new DetailLinkSigner({ secret: 'short', baseUrl: 'http://x', ttlMs: HOUR }, () => NOW)).toThrow(/at least 32 characters/);
  });

  it('a signer gives links valid for its lifetime from its clock, and links between pages that expire with the page', () => {
    let now = NOW;
    const signer = new DetailLinkSigner({ secret: SECRET, baseUrl: 'https://tickets.example.com', ttlMs: 72 * HOUR }, () => now);
    const url = signer.urlFor(123);
    expect(url).toBe(detailLinkUrl('https://tickets.example.com', SECRET, 123, IN_3_DAYS));
    expect(signer.verify(partsOf(url))).toMatchObject({ ok: true, ticketId: 123 });
    expect(signer.relativeFor(456, IN_3_DAYS)).toBe(`456?${signDetailLink(SECRET, 456, IN_3_DAYS)}`);
    now = IN_3_DAYS;
    expect(signer.verify(partsOf(url))).toEqual({ ok: false, reason: 'expired', ticketId: 123 });
  });
});

describe('the detail-link settings', () => {
  it('keep links for 72 hours by default, or as configured', () => {
    expect(loadConfig({}).detailLinks).toEqual({ secret: undefined, ttlMs: 72 * HOUR });
    expect(loadConfig({ DETAIL_LINK_SECRET: SECRET, DETAIL_LINK_TTL_HOURS: '0.5' }).detailLinks).toEqual({ secret: SECRET, ttlMs: HOUR / 2 });
  });

  it('refuse a short key without echoing it, a lifetime out of range, and the JWT secret as the key', () => {
    try {
      loadConfig({ DETAIL_LINK_SECRET: 'too-short', DETAIL_LINK_TTL_HOURS: '0' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const { problems } = error as ConfigError;
      expect(problems.map((p) => p.split(':')[0])).toEqual(['DETAIL_LINK_SECRET', 'DETAIL_LINK_TTL_HOURS']);
      expect(problems.join('\n')).not.toContain('too-short');
    }
    expect(() => loadConfig({ JWT_SECRET_KEY: SECRET, DETAIL_LINK_SECRET: SECRET })).toThrow(/DETAIL_LINK_SECRET: must differ from JWT_SECRET_KEY/);
  });
});

describe('the detail-link key', () => {
  const logger = createLogger('silent');
  const JWT = 'jwt-secret-that-is-long-enough-0123456789';

  it('is generated once in development and kept under DATA_DIR, readable only by the service', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'detail-link-'));
    try {
      const config = loadConfig({ DATA_DIR: dataDir });
      const first = await detailLinkSecretFor(config, logger, JWT);
      expect(first).toMatch(/^[A-Za-z0-9_-]{64}$/);
      expect(await detailLinkSecretFor(config, logger, JWT)).toBe(first);
      const file = path.join(dataDir, 'detail-link-secret');
      expect((await readFile(file, 'utf8')).trim()).toBe(first);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      // The two generated secrets are different files, and a copied one is refused.
      await writeFile(file, `${JWT}\n`);
      await expect(detailLinkSecretFor(config, logger, JWT)).rejects.toThrow(/must differ from JWT_SECRET_KEY/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('is DETAIL_LINK_SECRET when set (production requires it); in tests one in memory', async () => {
    expect(await detailLinkSecretFor(loadConfig({ DETAIL_LINK_SECRET: SECRET }), logger, JWT)).toBe(SECRET);
    const inTests = loadConfig({ NODE_ENV: 'test', DATA_DIR: '/nonexistent/never-written' });
    expect(await detailLinkSecretFor(inTests, logger, JWT)).not.toBe(await detailLinkSecretFor(inTests, logger, JWT));
    expect(await detailLinkSecretFor(loadConfig({ NODE_ENV: 'production', JWT_SECRET_KEY: JWT, DETAIL_LINK_SECRET: SECRET }), logger, JWT)).toBe(SECRET);
  });
});

describe('the pages', () => {
  it('escape everything put into them', () => {
    const text = `<script>alert("x")</script> & 'quoted'`;
    expect(html`<p title="${text}">${text}</p>`.markup).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;</p>',
    );
    expect(html`<ul>${['<a>', html`<li>ok</li>`, null, false, 3]}</ul>`.markup).toBe('<ul>&lt;a&gt;<li>ok</li>3</ul>');
  });

  it('refuse in Chinese, saying what to do', () => {
    const refusal = (...args: Parameters<typeof renderRefusalPage>) => renderRefusalPage(...args).replace(/<[^>]*>/g, '');
    expect(refusal({ reason: 'forged', ttlMs: 72 * HOUR })).toContain('链接无效：签名不正确，请从工单卡片重新打开');
    expect(refusal({ reason: 'malformed', ttlMs: 72 * HOUR })).toContain('链接无效：签名不正确，请从工单卡片重新打开');
    expect(refusal({ reason: 'expired', ticketId: 123, ttlMs: 72 * HOUR })).toContain('链接已过期（有效期 72 小时），请在群里发送 /查询工单 #123 获取最新信息');
    expect(refusal({ reason: 'expired', ticketId: 7, ttlMs: HOUR / 2 })).toContain('（有效期 0.5 小时）');
    expect(refusal({ reason: 'gone', ticketId: 123 })).toContain('工单 #123 不存在');
  });
});
