import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decrypt, encrypt, getSignature } from '@wecom/crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppCallbackPoster, parseFlatXml, textMessageXml } from '../../src/local-wecom/callback-poster.js';
import { DEFAULT_DIRECTORY, membersNamed } from '../../src/local-wecom/directory-fixture.js';
import { FakeWeComHttpApi, type FakeApiChange, type FakeWeComHttpApiOptions } from '../../src/local-wecom/http-api-server.js';

const CORP_ID = 'ww1234567890abcdef';
const AGENT_ID = 1000002;
const SECRET = 'app-secret-1000002';
const OTHER_AGENT_ID = 1000003;
const OTHER_SECRET = 'app-secret-1000003';
const HOOK = 'hook-key-after-sales';
const OTHER_HOOK = 'hook-key-ops';

type Answer = { status: number; body: Record<string, unknown> };

describe('fake WeCom HTTP API over real HTTP', () => {
  let fake: FakeWeComHttpApi;
  let clock: Date;

  const options = (overrides: Partial<FakeWeComHttpApiOptions> = {}): FakeWeComHttpApiOptions => ({
    corpId: CORP_ID,
    apps: [
      { agentId: AGENT_ID, secret: SECRET },
      { agentId: OTHER_AGENT_ID, secret: OTHER_SECRET, visibleUserIds: ['zhangsan', 'LiSi'], callbackConfigured: false },
    ],
    webhookKeys: [HOOK, OTHER_HOOK],
    now: () => clock,
    ...overrides,
  });

  const restart = async (overrides: Partial<FakeWeComHttpApiOptions> = {}) => {
    await fake.close();
    fake = await FakeWeComHttpApi.start(options(overrides));
  };

  const advance = (ms: number) => {
    clock = new Date(clock.getTime() + ms);
  };

  const answer = async (response: Response): Promise<Answer> => {
    const text = await response.text();
    return { status: response.status, body: JSON.parse(text) as Record<string, unknown> };
  };

  const get = async (path: string, query: Record<string, string>): Promise<Answer> => answer(await fetch(`${fake.url}${path}?${new URLSearchParams(query)}`));

  const post = async (path: string, query: Record<string, string>, body: unknown): Promise<Answer> =>
    answer(
      await fetch(`${fake.url}${path}?${new URLSearchParams(query)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    );

  const gettoken = (corpsecret = SECRET, corpid = CORP_ID) => get('/cgi-bin/gettoken', { corpid, corpsecret });

  const token = async (secret = SECRET): Promise<string> => {
    const { body } = await gettoken(secret);
    expect(body.errcode).toBe(0);
    return String(body.access_token);
  };

  const send = async (message: Record<string, unknown>, accessToken?: string) =>
    post('/cgi-bin/message/send', { access_token: accessToken ?? (await token()) }, { agentid: AGENT_ID, ...message });

  const markdown = (touser: string, content: string, extra: Record<string, unknown> = {}) => ({ touser, msgtype: 'markdown', markdown: { content }, ...extra });

  const hook = (body: unknown, key = HOOK) => post('/cgi-bin/webhook/send', { key }, body);

  const claimCard = (taskId: string) => ({
    card_type: 'button_interaction',
    main_title: { title: '新工单 #123 待认领' },
    task_id: taskId,
    button_list: [{ text: '我来处理', style: 1, key: 'claim:123' }],
  });

  beforeEach(async () => {
    clock = new Date('2026-12-04T09:00:00+08:00');
    fake = await FakeWeComHttpApi.start(options());
  });

  afterEach(async () => {
    await fake.close();
  });

  describe('access token (§5.1)', () => {
    it('issues a token, returns the same one within its validity and counts every call', async () => {
      const first = await gettoken();
      expect(first).toEqual({ status: 200, body: { errcode: 0, errmsg: 'ok', access_token: expect.any(String), expires_in: 7200 } });
      advance(1_000_000);
      const second = await gettoken();
      expect(second.body).toMatchObject({ errcode: 0, access_token: first.body.access_token, expires_in: 6200 });
      await gettoken(OTHER_SECRET);
      expect(fake.gettokenCalls).toBe(3);
      expect(fake.gettokenCallsFor(AGENT_ID)).toBe(2);
      expect(fake.gettokenCallsFor(OTHER_AGENT_ID)).toBe(1);
    });

    it('refuses a bad secret with 40091 (or 40001), a wrong corpid with 40013 and missing parameters', async () => {
      expect((await gettoken('wrong')).body).toEqual({ errcode: 40091, errmsg: 'secret is invalid' });
      expect((await gettoken(SECRET, 'wwOtherCorp')).body).toMatchObject({ errcode: 40013 });
      expect((await get('/cgi-bin/gettoken', { corpsecret: SECRET })).body).toMatchObject({ errcode: 41002 });
      expect((await get('/cgi-bin/gettoken', { corpid: CORP_ID })).body).toMatchObject({ errcode: 41004 });
      expect(fake.gettokenCalls).toBe(4);
      await restart({ invalidSecretErrcode: 40001 });
      expect((await gettoken('wrong')).body).toMatchObject({ errcode: 40001 });
    });

    it('expires tokens by the clock with 42001 and issues a fresh one afterwards', async () => {
      await restart({ tokenExpiresInSeconds: 600 });
      const old = await token();
      expect((await send(markdown('lisi', 'hi'), old)).body.errcode).toBe(0);
      advance(600_000);
      expect((await send(markdown('lisi', 'hi'), old)).body).toEqual({ errcode: 42001, errmsg: 'access_token expired' });
      const fresh = await token();
      expect(fresh).not.toBe(old);
      expect((await send(markdown('lisi', 'hi again'), fresh)).body.errcode).toBe(0);
    });

    it('revokeTokens makes issued tokens answer 40014; missing token is 41001', async () => {
      const old = await token();
      fake.revokeTokens();
      expect((await send(markdown('lisi', 'hi'), old)).body).toEqual({ errcode: 40014, errmsg: 'invalid access_token' });
      expect((await post('/cgi-bin/message/send', {}, markdown('lisi', 'hi'))).body).toMatchObject({ errcode: 41001 });
      expect((await post('/cgi-bin/message/send', { access_token: 'garbage' }, markdown('lisi', 'hi'))).body).toMatchObject({ errcode: 40014 });
      const fresh = await token();
      expect(fresh).not.toBe(old);
      expect((await send(markdown('lisi', 'hi'), fresh)).body.errcode).toBe(0);
    });

    it('checks that agentid is the token’s own app: 301002 for another app, 40056 for none', async () => {
      const accessToken = await token();
      expect((await send({ ...markdown('lisi', 'x'), agentid: OTHER_AGENT_ID }, accessToken)).body).toMatchObject({ errcode: 301002 });
      expect((await send({ ...markdown('lisi', 'x'), agentid: 42 }, accessToken)).body).toMatchObject({ errcode: 40056 });
      expect((await send({ ...markdown('lisi', 'x'), agentid: undefined }, accessToken)).body).toMatchObject({ errcode: 40056 });
    });
  });

  describe('message/send (§5.2)', () => {
    it('delivers to each recipient and records the message per member', async () => {
      const { body } = await send(markdown('lisi|WangWu', '**工单 #123** 已分配给你', { safe: 0 }));
      expect(body).toEqual({ errcode: 0, errmsg: 'ok', msgid: expect.any(String) });
      expect(fake.appMessages('lisi')).toEqual([
        {
          msgid: body.msgid,
          agentId: AGENT_ID,
          userId: 'lisi',
          msgtype: 'markdown',
          content: '**工单 #123** 已分配给你',
          payload: { content: '**工单 #123** 已分配给你' },
          safe: false,
          enableIdTrans: false,
          recalled: false,
          at: clock,
        },
      ]);
      expect(fake.appMessages('wangwu')).toHaveLength(1);
      expect(fake.appMessages()).toHaveLength(2);
    });

    it('reports unknown recipients in invaliduser (lower-cased) and refuses all-invalid with 81013', async () => {
      const partly = await send(markdown('lisi|Ghost|nobody', 'hi'));
      expect(partly.body).toMatchObject({ errcode: 0, invaliduser: 'ghost|nobody', msgid: expect.any(String) });
      expect(fake.appMessages('lisi')).toHaveLength(1);
      const none = await send(markdown('ghost', 'hi'));
      expect(none.body).toMatchObject({ errcode: 81013, invaliduser: 'ghost' });
      expect((await send(markdown('', 'hi'))).body).toMatchObject({ errcode: 81013 });
    });

    it('sends @all to the app’s visible members and respects visibility per app', async () => {
      await send(markdown('@all', '全员通知'));
      expect(new Set(fake.appMessages().map((message) => message.userId))).toEqual(new Set(DEFAULT_DIRECTORY.map((member) => member.userid)));
      const other = await post('/cgi-bin/message/send', { access_token: await token(OTHER_SECRET) }, { agentid: OTHER_AGENT_ID, ...markdown('zhangsan|wangwu', 'hi') });
      expect(other.body).toMatchObject({ errcode: 0, invaliduser: 'wangwu' });
      await send({ toparty: '3', msgtype: 'text', text: { content: '运维部通知' } });
      expect(fake.appMessages().filter((message) => message.content === '运维部通知').map((message) => message.userId).sort()).toEqual(['lisi2', 'wangwu', 'zhaozhuguan']);
    });

    it('enforces msgtype, content bytes (2 048), empty content and JSON syntax', async () => {
      const accessToken = await token();
      expect((await send({ touser: 'lisi', msgtype: 'text', text: { content: '字'.repeat(682) + 'ab' } }, accessToken)).body.errcode).toBe(0); // 2 048 bytes
      expect((await send({ touser: 'lisi', msgtype: 'text', text: { content: '字'.repeat(683) } }, accessToken)).body).toMatchObject({ errcode: 45002 }); // 2 049 bytes
      expect((await send({ touser: 'lisi', msgtype: 'text', text: { content: '' } }, accessToken)).body).toMatchObject({ errcode: 44004 });
      expect((await send({ touser: 'lisi', msgtype: 'sticker', sticker: {} }, accessToken)).body).toMatchObject({ errcode: 40008 });
      expect((await send({ touser: 'lisi', msgtype: 'textcard', textcard: { title: '工单 #123', description: '<div class="gray">今天</div>' } }, accessToken)).body).toMatchObject({ errcode: 40058 });
      const malformed = await post('/cgi-bin/message/send', { access_token: accessToken }, '{"touser": "lisi",');
      expect(malformed).toEqual({ status: 200, body: { errcode: 47001, errmsg: expect.stringContaining('data format error') } });
      const wrongMethod = await get('/cgi-bin/message/send', { access_token: accessToken });
      expect(wrongMethod.body).toMatchObject({ errcode: 43002 });
    });

    it('suppresses a repeated message within duplicate_check_interval, and delivers it again after', async () => {
      const accessToken = await token();
      const message = markdown('lisi', '工单 #123 即将超时', { enable_duplicate_check: 1, duplicate_check_interval: 600 });
      const first = await send(message, accessToken);
      advance(599_000);
      const second = await send(message, accessToken);
      expect(second.body).toEqual({ errcode: 0, errmsg: 'ok', msgid: first.body.msgid });
      expect(fake.appMessages('lisi')).toHaveLength(1);
      expect(fake.droppedAppMessages()).toEqual([expect.objectContaining({ reason: 'duplicate', userId: 'lisi', duplicateOf: first.body.msgid })]);
      advance(2_000);
      const third = await send(message, accessToken);
      expect(third.body.msgid).not.toBe(first.body.msgid);
      // Another recipient set is no duplicate; without the flag nothing is checked.
      expect((await send({ ...message, touser: 'lisi|wangwu' }, accessToken)).body.msgid).not.toBe(third.body.msgid);
      expect((await send(markdown('lisi', '工单 #123 即将超时'), accessToken)).body.msgid).not.toBe(third.body.msgid);
      expect(fake.appMessages('lisi')).toHaveLength(4);
    });

    it('silently drops what exceeds 30 messages a minute to one member (errcode 0)', async () => {
      const accessToken = await token();
      for (let i = 0; i < 31; i += 1) expect((await send(markdown('lisi', `提醒 ${i}`), accessToken)).body.errcode).toBe(0);
      expect(fake.appMessages('lisi')).toHaveLength(30);
      expect(fake.droppedAppMessages()).toEqual([expect.objectContaining({ reason: 'member-limit', userId: 'lisi' })]);
      advance(60_000);
      await send(markdown('lisi', '下一分钟'), accessToken);
      expect(fake.appMessages('lisi')).toHaveLength(31);
    });

    it('recalls a message within 24 h', async () => {
      const accessToken = await token();
      const { body } = await send(markdown('lisi', 'oops'), accessToken);
      expect((await post('/cgi-bin/message/recall', { access_token: accessToken }, { msgid: body.msgid })).body.errcode).toBe(0);
      expect(fake.appMessages('lisi')[0]?.recalled).toBe(true);
      const later = await send(markdown('lisi', 'old'), accessToken);
      advance(24 * 3_600_000 + 1);
      expect((await post('/cgi-bin/message/recall', { access_token: await token() }, { msgid: later.body.msgid })).body.errcode).toBe(40058);
    });
  });

  describe('template cards (§5.3)', () => {
    it('returns a one-shot response_code that update_template_card accepts once', async () => {
      const accessToken = await token();
      const sent = await send({ touser: 'lisi|lisi2', msgtype: 'template_card', template_card: claimCard('t123_v1_a') }, accessToken);
      expect(sent.body).toMatchObject({ errcode: 0, msgid: expect.any(String), response_code: expect.any(String) });
      expect(fake.appMessages('lisi')[0]).toMatchObject({ msgtype: 'template_card', content: '新工单 #123 待认领', responseCode: sent.body.response_code });

      const update = { agentid: AGENT_ID, response_code: sent.body.response_code, userids: ['lisi', 'ghost'], button: { replace_name: '已被李四认领' } };
      const updated = await post('/cgi-bin/message/update_template_card', { access_token: accessToken }, update);
      expect(updated.body).toEqual({ errcode: 0, errmsg: 'ok', invaliduser: ['ghost'] });
      expect(fake.appMessages('lisi')[0]).toMatchObject({ replaceName: '已被李四认领', updatedAt: clock });
      expect(fake.appMessages('lisi2')[0]?.replaceName).toBeUndefined();

      const again = await post('/cgi-bin/message/update_template_card', { access_token: accessToken }, update);
      expect(again.body).toEqual({ errcode: 40058, errmsg: 'response_code already used' });

      // A click yields a fresh code (as in the click callback), which can replace the whole card for everyone.
      const clickCode = fake.cardClickResponseCode(String(sent.body.msgid));
      const replaced = { ...claimCard('t123_v1_a'), main_title: { title: '工单 #123 已认领' }, button_list: [{ text: '已认领', style: 2, key: 'done' }] };
      const viaClick = await post('/cgi-bin/message/update_template_card', { access_token: accessToken }, { agentid: AGENT_ID, response_code: clickCode, atall: 1, template_card: replaced });
      expect(viaClick.body.errcode).toBe(0);
      expect(fake.appMessages().map((message) => message.content)).toEqual(['工单 #123 已认领', '工单 #123 已认领']);
    });

    it('refuses a response_code older than 72 h, reused task_ids, and interactive cards from an app without callback', async () => {
      const accessToken = await token();
      const sent = await send({ touser: 'lisi', msgtype: 'template_card', template_card: claimCard('t124_v1_b') }, accessToken);
      expect((await send({ touser: 'lisi', msgtype: 'template_card', template_card: claimCard('t124_v1_b') }, accessToken)).body).toMatchObject({ errcode: 40058, errmsg: expect.stringContaining('task_id already used') });
      advance(72 * 3_600_000 + 1_000);
      const late = await post('/cgi-bin/message/update_template_card', { access_token: await token() }, { agentid: AGENT_ID, response_code: sent.body.response_code, atall: 1, button: { replace_name: 'x' } });
      expect(late.body).toMatchObject({ errcode: 40058, errmsg: 'response_code expired (72 h)' });
      const other = await post('/cgi-bin/message/send', { access_token: await token(OTHER_SECRET) }, { agentid: OTHER_AGENT_ID, touser: 'lisi', msgtype: 'template_card', template_card: claimCard('t125_v1_c') });
      expect(other.body).toMatchObject({ errcode: 48002 });
      const notice = { card_type: 'text_notice', main_title: { title: '工单 #125' }, card_action: { type: 1, url: 'https://tickets.example/125' } };
      const noticeSent = await post('/cgi-bin/message/send', { access_token: await token(OTHER_SECRET) }, { agentid: OTHER_AGENT_ID, touser: 'lisi', msgtype: 'template_card', template_card: notice });
      expect(noticeSent.body).toEqual({ errcode: 0, errmsg: 'ok', msgid: expect.any(String) });
    });
  });

  describe('group robot webhook (§4)', () => {
    it('records text with mentioned_list, mentioned_mobile_list and inline <@userid> mentions', async () => {
      const { status, body } = await hook({
        msgtype: 'text',
        text: { content: '⚠️ 工单 #123 超时未处理 <@wangwu>', mentioned_list: ['lisi', '@all'], mentioned_mobile_list: ['13800005555', '13900000000'] },
      });
      expect({ status, body }).toEqual({ status: 200, body: { errcode: 0, errmsg: 'ok' } });
      expect(fake.webhookMessages(HOOK)).toEqual([
        expect.objectContaining({
          key: HOOK,
          msgtype: 'text',
          content: '⚠️ 工单 #123 超时未处理 <@wangwu>',
          mentionedList: ['lisi', '@all'],
          mentionedMobileList: ['13800005555', '13900000000'],
          inlineMentions: ['wangwu'],
          mentionedUserIds: ['lisi', 'wangwu', 'zhaozhuguan'],
          mentionsAll: true,
          unknownMentions: ['13900000000'],
        }),
      ]);
      await hook({ msgtype: 'markdown', markdown: { content: '**#123** <@lisi2>' } }, OTHER_HOOK);
      await hook({ msgtype: 'markdown_v2', markdown_v2: { content: '# 标题 <@lisi2>' } }, OTHER_HOOK);
      expect(fake.webhookMessages(OTHER_HOOK).map((message) => message.inlineMentions)).toEqual([['lisi2'], []]);
      expect(fake.webhookMessages()).toHaveLength(3);
    });

    it('allows 20 messages a minute per key, failures included, then answers 45009', async () => {
      for (let i = 0; i < 19; i += 1) expect((await hook({ msgtype: 'markdown', markdown: { content: `#${i}` } })).body.errcode).toBe(0);
      expect((await hook({ msgtype: 'text', text: { content: 'x'.repeat(2_049) } })).body.errcode).toBe(45002); // the 20th, failed
      expect((await hook({ msgtype: 'markdown', markdown: { content: 'one too many' } })).body).toEqual({ errcode: 45009, errmsg: 'api freq out of limit' });
      expect((await hook({ msgtype: 'markdown', markdown: { content: 'other robot' } }, OTHER_HOOK)).body.errcode).toBe(0);
      advance(30_000);
      expect((await hook({ msgtype: 'markdown', markdown: { content: 'still limited' } })).body.errcode).toBe(45009);
      advance(30_001);
      expect((await hook({ msgtype: 'markdown', markdown: { content: 'new minute' } })).body.errcode).toBe(0);
      expect(fake.webhookMessages(HOOK)).toHaveLength(20);
    });

    it('answers 93000 for an unknown key and for a killed one', async () => {
      expect((await hook({ msgtype: 'text', text: { content: 'hi' } }, 'no-such-key')).body).toEqual({ errcode: 93000, errmsg: 'invalid webhook url' });
      expect((await post('/cgi-bin/webhook/send', {}, { msgtype: 'text', text: { content: 'hi' } })).body.errcode).toBe(93000);
      expect((await hook({ msgtype: 'text', text: { content: 'hi' } })).body.errcode).toBe(0);
      fake.killKey(HOOK);
      expect((await hook({ msgtype: 'text', text: { content: 'hi' } })).body.errcode).toBe(93000);
      expect(fake.webhookUrl(OTHER_HOOK)).toBe(`${fake.url}/cgi-bin/webhook/send?key=${OTHER_HOOK}`);
    });

    it('limits text to 2 048 and markdown to 4 096 UTF-8 bytes', async () => {
      expect((await hook({ msgtype: 'text', text: { content: '工'.repeat(682) + 'ab' } })).body.errcode).toBe(0);
      expect((await hook({ msgtype: 'text', text: { content: '工'.repeat(683) } })).body.errcode).toBe(45002);
      expect((await hook({ msgtype: 'markdown', markdown: { content: '单'.repeat(1_365) + 'a' } })).body.errcode).toBe(0);
      expect((await hook({ msgtype: 'markdown', markdown: { content: '单'.repeat(1_365) + 'ab' } })).body.errcode).toBe(45002);
      expect((await hook({ msgtype: 'markdown_v2', markdown_v2: { content: 'a'.repeat(4_097) } })).body.errcode).toBe(45002);
      expect((await hook({ msgtype: 'text', text: { content: '' } })).body.errcode).toBe(44004);
    });

    it('validates msgtypes, JSON, cards, images and uploaded media', async () => {
      expect((await hook('{"msgtype":')).body).toMatchObject({ errcode: 40008 });
      expect((await hook({ msgtype: 'textcard', textcard: {} })).body.errcode).toBe(40008);
      const notice = { card_type: 'text_notice', main_title: { title: '紧急工单 #123' }, horizontal_content_list: [{ keyname: '创建人', value: '张三', type: 3, userid: 'zhangsan' }], card_action: { type: 1, url: 'https://tickets.example/123' } };
      expect((await hook({ msgtype: 'template_card', template_card: notice })).body.errcode).toBe(0);
      expect((await hook({ msgtype: 'template_card', template_card: { ...notice, card_action: undefined } })).body.errcode).toBe(40058);
      expect((await hook({ msgtype: 'template_card', template_card: claimCard('t1') })).body.errcode).toBe(40058);
      const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
      const md5 = createHash('md5').update(png).digest('hex');
      expect((await hook({ msgtype: 'image', image: { base64: png.toString('base64'), md5 } })).body.errcode).toBe(0);
      expect((await hook({ msgtype: 'image', image: { base64: png.toString('base64'), md5: '0'.repeat(32) } })).body.errcode).toBe(40058);
      expect((await hook({ msgtype: 'news', news: { articles: [{ title: '工单 #123', url: 'https://tickets.example/123' }] } })).body.errcode).toBe(0);
      expect((await hook({ msgtype: 'news', news: { articles: [] } })).body.errcode).toBe(40058);

      const form = new FormData();
      form.append('media', new Blob([Buffer.from('ticket export\n')], { type: 'text/plain' }), 'export.txt');
      const uploaded = await answer(await fetch(`${fake.url}/cgi-bin/webhook/upload_media?key=${HOOK}&type=file`, { method: 'POST', body: form }));
      expect(uploaded.body).toEqual({ errcode: 0, errmsg: 'ok', type: 'file', media_id: expect.any(String), created_at: String(clock.getTime() / 1_000) });
      expect((await hook({ msgtype: 'file', file: { media_id: uploaded.body.media_id } })).body.errcode).toBe(0);
      expect((await hook({ msgtype: 'file', file: { media_id: uploaded.body.media_id } }, OTHER_HOOK)).body.errcode).toBe(40007);
      expect((await hook({ msgtype: 'voice', voice: { media_id: uploaded.body.media_id } })).body.errcode).toBe(40007);
      expect(fake.webhookMessages(HOOK).map((message) => message.msgtype)).toEqual(['template_card', 'image', 'news', 'file']);
    });
  });

  describe('directory (§6)', () => {
    it('user/get returns name and alias without mobile; 60111 unknown, 60011 outside the visible range', async () => {
      const accessToken = await token();
      const lisi = await get('/cgi-bin/user/get', { access_token: accessToken, userid: 'LiSi' });
      expect(lisi.body).toMatchObject({ errcode: 0, errmsg: 'ok', userid: 'lisi', name: '李四', alias: '李四(售后)', department: [2], open_userid: expect.any(String) });
      expect(lisi.body).not.toHaveProperty('mobile');
      const lisi2 = await get('/cgi-bin/user/get', { access_token: accessToken, userid: 'lisi2' });
      expect(lisi2.body).toMatchObject({ userid: 'lisi2', name: '李四', alias: '李四(运维)' });
      expect((await get('/cgi-bin/user/get', { access_token: accessToken, userid: 'ghost' })).body).toMatchObject({ errcode: 60111 });
      expect((await get('/cgi-bin/user/get', { access_token: accessToken })).body).toMatchObject({ errcode: 41009 });
      expect((await get('/cgi-bin/user/get', { access_token: await token(OTHER_SECRET), userid: 'wangwu' })).body).toMatchObject({ errcode: 60011 });
    });

    it('user/list and user/simplelist give the directory with its duplicate names', async () => {
      const accessToken = await token();
      const all = await get('/cgi-bin/user/list', { access_token: accessToken, department_id: '1', fetch_child: '1' });
      const userlist = all.body.userlist as Array<{ userid: string; name: string; alias: string }>;
      expect(userlist.map((member) => member.userid)).toEqual(['zhangsan', 'lisi', 'lisi2', 'wangwu', 'zhaozhuguan']);
      expect(userlist.filter((member) => member.name === '李四').map((member) => member.alias)).toEqual(['李四(售后)', '李四(运维)']);
      expect(membersNamed(DEFAULT_DIRECTORY, '李四').map((member) => member.userid)).toEqual(['lisi', 'lisi2']);
      const rootOnly = await get('/cgi-bin/user/simplelist', { access_token: accessToken, department_id: '1' });
      expect(rootOnly.body).toEqual({ errcode: 0, errmsg: 'ok', userlist: [] });
      const afterSales = await get('/cgi-bin/user/simplelist', { access_token: accessToken, department_id: '2' });
      expect((afterSales.body.userlist as Array<{ userid: string }>).map((member) => member.userid)).toEqual(['zhangsan', 'lisi', 'zhaozhuguan']);
      expect((await get('/cgi-bin/user/list', { access_token: accessToken, department_id: '99' })).body.errcode).toBe(60123);
      const visible = await get('/cgi-bin/user/simplelist', { access_token: await token(OTHER_SECRET), department_id: '1', fetch_child: '1' });
      expect((visible.body.userlist as Array<{ userid: string }>).map((member) => member.userid)).toEqual(['zhangsan', 'lisi']);
    });

    it('openuserid_to_userid converts open_userids; plain userids come back invalid', async () => {
      const [lisi, lisi2] = membersNamed(DEFAULT_DIRECTORY, '李四');
      const { body } = await post('/cgi-bin/batch/openuserid_to_userid', { access_token: await token() }, { open_userid_list: [lisi?.open_userid, lisi2?.open_userid, 'zhangsan'] });
      expect(body).toEqual({
        errcode: 0,
        errmsg: 'ok',
        userid_list: [
          { open_userid: lisi?.open_userid, userid: 'lisi' },
          { open_userid: lisi2?.open_userid, userid: 'lisi2' },
        ],
        invalid_open_userid_list: ['zhangsan'],
      });
      const other = await post('/cgi-bin/batch/openuserid_to_userid', { access_token: await token(OTHER_SECRET) }, { open_userid_list: [lisi2?.open_userid] });
      expect(other.body).toMatchObject({ userid_list: [], invalid_open_userid_list: [lisi2?.open_userid] });
      expect((await post('/cgi-bin/batch/openuserid_to_userid', { access_token: await token() }, { open_userid_list: Array(1_001).fill('x') })).body.errcode).toBe(40058);
    });
  });

  describe('appchat (§5.4)', () => {
    it('posts only into chats the app created', async () => {
      const accessToken = await token();
      const created = await post('/cgi-bin/appchat/create', { access_token: accessToken }, { name: '工单 #123 作战室', owner: 'zhaozhuguan', userlist: ['lisi', 'wangwu'], chatid: 'ticket123' });
      expect(created.body).toEqual({ errcode: 0, errmsg: 'ok', chatid: 'ticket123' });
      const sent = await post('/cgi-bin/appchat/send', { access_token: accessToken }, { chatid: 'ticket123', msgtype: 'text', text: { content: '请 <@lisi> 跟进', mentioned_list: ['wangwu'] } });
      expect(sent.body).toEqual({ errcode: 0, errmsg: 'ok' });
      expect(fake.appChatMessages('ticket123')).toEqual([expect.objectContaining({ msgtype: 'text', content: '请 <@lisi> 跟进', mentionedList: ['wangwu'], inlineMentions: ['lisi'] })]);
      expect(fake.appChats()[0]).toMatchObject({ chatid: 'ticket123', owner: 'zhaozhuguan', userlist: ['zhaozhuguan', 'lisi', 'wangwu'] });
      expect((await post('/cgi-bin/appchat/send', { access_token: accessToken }, { chatid: 'wrStaffGroup', msgtype: 'text', text: { content: 'x' } })).body.errcode).toBe(86003);
      expect((await post('/cgi-bin/appchat/send', { access_token: await token(OTHER_SECRET) }, { chatid: 'ticket123', msgtype: 'text', text: { content: 'x' } })).body.errcode).toBe(86003);
      expect((await post('/cgi-bin/appchat/send', { access_token: accessToken }, { chatid: 'ticket123', msgtype: 'template_card', template_card: {} })).body.errcode).toBe(40008);
      expect((await post('/cgi-bin/appchat/create', { access_token: accessToken }, { userlist: ['lisi', 'ghost'] })).body.errcode).toBe(86216);
      expect((await post('/cgi-bin/appchat/create', { access_token: accessToken }, { userlist: ['lisi', 'wangwu'], chatid: 'ticket123' })).body.errcode).toBe(86001);
      expect((await get('/cgi-bin/appchat/get', { access_token: accessToken, chatid: 'ticket123' })).body).toMatchObject({ chat_info: { chatid: 'ticket123', name: '工单 #123 作战室' } });
    });
  });

  describe('faults, recording and observation', () => {
    it('failNext answers -1 for the next n matching requests, setFault 45033 until cleared', async () => {
      const accessToken = await token();
      fake.failNext(2, { errcode: -1 }, { path: 'message/send' });
      expect((await send(markdown('lisi', 'a'), accessToken)).body).toEqual({ errcode: -1, errmsg: 'system busy' });
      expect((await gettoken()).body.errcode).toBe(0); // other paths unaffected
      expect((await send(markdown('lisi', 'b'), accessToken)).body.errcode).toBe(-1);
      expect((await send(markdown('lisi', 'c'), accessToken)).body.errcode).toBe(0);
      expect(fake.appMessages('lisi').map((message) => message.content)).toEqual(['c']);
      fake.setFault({ errcode: 45033 });
      expect((await gettoken()).body).toEqual({ errcode: 45033, errmsg: 'api concurrent out of limit' });
      expect((await hook({ msgtype: 'text', text: { content: 'x' } })).body.errcode).toBe(45033);
      fake.clearFaults();
      expect((await gettoken()).body.errcode).toBe(0);
    });

    it('answers an injected 500 with a non-JSON body', async () => {
      fake.failNext(1, { status: 500 }, { path: /webhook/ });
      const response = await fetch(`${fake.url}/cgi-bin/webhook/send?key=${HOOK}`, { method: 'POST', body: JSON.stringify({ msgtype: 'text', text: { content: 'x' } }) });
      expect(response.status).toBe(500);
      expect(await response.text()).toContain('500');
      expect((await hook({ msgtype: 'text', text: { content: 'x' } })).body.errcode).toBe(0);
    });

    it('hangs a request so the client times out, and delays another', async () => {
      fake.failNext(1, { hang: true });
      const started = Date.now();
      await expect(fetch(`${fake.url}/cgi-bin/gettoken?corpid=${CORP_ID}&corpsecret=${SECRET}`, { signal: AbortSignal.timeout(200) })).rejects.toMatchObject({ name: 'TimeoutError' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(190);
      expect(fake.requests[0]).toMatchObject({ path: '/cgi-bin/gettoken', fault: { hang: true } });
      expect(fake.requests[0]?.status).toBeUndefined();
      fake.failNext(1, { delayMs: 150 });
      const delayedStart = Date.now();
      expect((await gettoken()).body.errcode).toBe(0);
      expect(Date.now() - delayedStart).toBeGreaterThanOrEqual(140);
    });

    it('records every request and reports changes live', async () => {
      const changes: FakeApiChange['type'][] = [];
      const stop = fake.onChange((change) => changes.push(change.type));
      const waiting = fake.waitForAppMessage((message) => message.userId === 'wangwu');
      const accessToken = await token();
      await send(markdown('wangwu', '你好'), accessToken);
      expect(await waiting).toMatchObject({ userId: 'wangwu', content: '你好' });
      await hook({ msgtype: 'text', text: { content: 'hi' } });
      stop();
      await gettoken();
      expect(changes).toEqual(['request', 'appMessage', 'request', 'webhookMessage', 'request']);
      expect(fake.requests.map((request) => [request.method, request.path, request.status])).toEqual([
        ['GET', '/cgi-bin/gettoken', 200],
        ['POST', '/cgi-bin/message/send', 200],
        ['POST', '/cgi-bin/webhook/send', 200],
        ['GET', '/cgi-bin/gettoken', 200],
      ]);
      expect(fake.requests[1]).toMatchObject({ query: { access_token: accessToken }, body: markdown('wangwu', '你好', { agentid: AGENT_ID }), response: { errcode: 0 }, at: clock });
      expect(await fake.waitForRequest((request) => request.path === '/cgi-bin/webhook/send')).toMatchObject({ response: { errcode: 0 } });
      await expect(fake.waitForWebhookMessage((message) => message.content === 'never', 50)).rejects.toThrow(/within 50 ms/);
      const unknown = await get('/cgi-bin/no/such/api', {});
      expect(unknown).toEqual({ status: 404, body: { errcode: 404, errmsg: 'unknown api: /cgi-bin/no/such/api' } });
    });

    it('close() ends hanging requests and pending waiters and leaves no server, socket or timer', async () => {
      await fake.close();
      const baseline = resourceCounts();
      fake = await FakeWeComHttpApi.start(options());
      fake.setFault({ hang: true }, { path: 'gettoken' });
      const hanging = fetch(`${fake.url}/cgi-bin/gettoken?corpid=${CORP_ID}&corpsecret=${SECRET}`).then(
        () => 'answered',
        () => 'dropped',
      );
      const pending = fake.waitForRequest(() => false, 60_000);
      fake.failNext(1, { delayMs: 60_000 }, { path: 'webhook/send' });
      const delayed = hook({ msgtype: 'text', text: { content: 'x' } }).then(
        () => 'answered',
        () => 'dropped',
      );
      await waitUntil(() => fake.requests.length === 2);
      await fake.close();
      await expect(pending).rejects.toThrow(/closed/);
      expect(await hanging).toBe('dropped');
      expect(await delayed).toBe('dropped');
      await waitUntil(() => atMost(resourceCounts(), baseline));
      const after = resourceCounts();
      for (const name of TRACKED) expect(after[name], name).toBeLessThanOrEqual(baseline[name] ?? 0);
    });
  });
});

// -----------------------------------------------------------------------------------------------------------
// The app callback poster
// -----------------------------------------------------------------------------------------------------------

/** §3.7 */
const VECTOR = {
  token: 'QDG6eK',
  encodingAESKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  ivHex: '8d69989bbaabe67328014c194631ad07',
  corpId: 'wx5823bf96d3bd56c7',
  timestamp: '1409659813',
  nonce: '1372623149',
  random: Buffer.from('0123456789abcdef', 'ascii'),
  a: {
    plaintext:
      '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>1409659813</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[/创建工单 @客户张三 手机:13800138000 问题:服务器无法连接]]></Content><MsgId>4561255354251345929</MsgId><AgentID>218</AgentID></xml>',
    encrypt:
      'sKqRbbiSUnDhFHOvPjtUMQLZ+IzZbzuvMmAxib1nCi0dqsdpnx8zIdIzHuFZP84rYVV7rGYl30hi6ma+zrSat8ZYVkoHbeYc2yeATjD/DlCm7ShQG1gqquzfuJcHHa8mFyAiJLTNNpd2WdqJ6NounO+mWzxCD5zr6muX2KAb4Gq8TU77MGUkz+MX0G4jYNmX6vcl/pFb7atzrxdkdlpBsghyiW50n5VImiQkXbqZyrJNV5xLi9ssF/d1rLWjIvch4EiFjsfcgCAr46uAwym9XBgJHsJBdCklidKzAe2mbsAi0vAxJbmqlf2bYj3Ae/GRkWb7WIauTbYbaY4dmxT/BCVyUIoM/LF8/JIpZu1ri8luguFrM1oXqSL9djCaZqqVpRakbC1qgAsFMtZgfCyg/GVGGnCgS7LdDLoOXgegwv9zVdFlWyJ5dCkknQoPdOMvyBATX4Ejjrx12mY9n/FOaHBC3HNyxXYnHGOK0qnbLyxqut9mOeVZ95QghlNrK964TZCRS+AfVxoH7eJj/obBSgwzP18Hd8lUejoTpOLHsoo=',
    signature: '0281d63effc537738ec30312e242050eb07e89b9',
  },
  b: {
    echostr: '1616140317555161061',
    encrypt: 'sKqRbbiSUnDhFHOvPjtUMWzf2R8PrpMiTTPaicBgqZlYW/WsF6SiFd2z9CriX2YpWYzF1yrNNQ0SomM3ovdnfA==',
    signature: 'a8498dda3672bf27adfc6a4a85e7a9ffa9243566',
  },
} as const;

describe('app callback crypto: the §3.7 test vectors with @wecom/crypto', () => {
  it('(a) encrypts the text message to the given ciphertext and signature with the fixed random', () => {
    expect(Buffer.byteLength(VECTOR.a.plaintext, 'utf8')).toBe(347);
    const encrypted = encrypt(VECTOR.encodingAESKey, VECTOR.a.plaintext, VECTOR.corpId, VECTOR.random);
    expect(encrypted).toBe(VECTOR.a.encrypt);
    expect(getSignature(VECTOR.token, VECTOR.timestamp, VECTOR.nonce, encrypted)).toBe(VECTOR.a.signature);
    expect(decrypt(VECTOR.encodingAESKey, VECTOR.a.encrypt)).toEqual({ message: VECTOR.a.plaintext, id: VECTOR.corpId, random: VECTOR.random });

    // Layout checks of §3.3 with plain node:crypto: key/IV, 416-byte ciphertext, pad byte 31, msg_len 347.
    const key = Buffer.from(`${VECTOR.encodingAESKey}=`, 'base64');
    expect(key).toHaveLength(32);
    expect(key.subarray(0, 16).toString('hex')).toBe(VECTOR.ivHex);
    const ciphertext = Buffer.from(VECTOR.a.encrypt, 'base64');
    expect(ciphertext).toHaveLength(416);
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
    const padded = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    expect(padded[padded.length - 1]).toBe(31);
    expect(padded.readUInt32BE(16)).toBe(347);
    expect(padded.subarray(0, 16)).toEqual(VECTOR.random);
    const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
    expect(Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64')).toBe(VECTOR.a.encrypt);
  });

  it('(b) encrypts the URL-verification echostr to the given value and signature', () => {
    const encrypted = encrypt(VECTOR.encodingAESKey, VECTOR.b.echostr, VECTOR.corpId, VECTOR.random);
    expect(encrypted).toBe(VECTOR.b.encrypt);
    expect(getSignature(VECTOR.token, VECTOR.timestamp, VECTOR.nonce, VECTOR.b.encrypt)).toBe(VECTOR.b.signature);
    expect(decrypt(VECTOR.encodingAESKey, VECTOR.b.encrypt)).toMatchObject({ message: VECTOR.b.echostr, id: VECTOR.corpId });
  });

  it('the poster builds exactly vector (a) as a POST and vector (b) as a verification GET', () => {
    const poster = new AppCallbackPoster({ token: VECTOR.token, encodingAESKey: VECTOR.encodingAESKey, corpId: VECTOR.corpId });
    const fixed = { timestamp: VECTOR.timestamp, nonce: VECTOR.nonce, random: VECTOR.random };
    const xml = textMessageXml(VECTOR.corpId, { fromUser: 'zhangsan', content: '/创建工单 @客户张三 手机:13800138000 问题:服务器无法连接', msgId: '4561255354251345929', agentId: 218, createTime: 1409659813 });
    expect(xml).toBe(VECTOR.a.plaintext);
    const built = poster.buildPost('http://127.0.0.1:1/cb?app=1', xml, 218, fixed);
    expect(built.encrypt).toBe(VECTOR.a.encrypt);
    expect(built.query).toEqual({ msg_signature: VECTOR.a.signature, timestamp: VECTOR.timestamp, nonce: VECTOR.nonce });
    expect(built.body).toBe(`<xml><ToUserName><![CDATA[${VECTOR.corpId}]]></ToUserName><AgentID><![CDATA[218]]></AgentID><Encrypt><![CDATA[${VECTOR.a.encrypt}]]></Encrypt></xml>`);
    const url = new URL(built.url);
    expect(Object.fromEntries(url.searchParams)).toEqual({ app: '1', ...built.query });
    const verification = poster.buildVerification('http://127.0.0.1:1/cb', { ...fixed, echostr: VECTOR.b.echostr });
    expect(verification.query).toEqual({ msg_signature: VECTOR.b.signature, timestamp: VECTOR.timestamp, nonce: VECTOR.nonce, echostr: VECTOR.b.encrypt });
    expect(new URL(verification.url).searchParams.get('echostr')).toBe(VECTOR.b.encrypt); // '+' and '/' survive the query encoding
    expect(poster.buildPost('http://127.0.0.1:1/cb', xml, 218, { ...fixed, tamperSignature: true }).query.msg_signature).not.toBe(VECTOR.a.signature);
  });
});

/** A minimal app callback handler as the service would implement it (§3.2–§3.6), decrypting with @wecom/crypto. */
interface Handler {
  url: string;
  received: Array<{ method: string; search: string; body: string }>;
  handled: Array<Record<string, string>>;
  /** Answer the next n POSTs with HTTP 500. */
  failNext: number;
  /** Answer the next n POSTs only after this delay. */
  slowNext: number;
  slowMs: number;
  close(): Promise<void>;
}

const APP = { token: 'callbackToken123', encodingAESKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', corpId: CORP_ID } as const;

async function startHandler(): Promise<Handler> {
  const seenMsgIds = new Set<string>();
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://handler');
      const body = Buffer.concat(chunks).toString('utf8');
      handler.received.push({ method: request.method ?? '', search: url.search, body });
      const query = Object.fromEntries(url.searchParams);
      if (request.method === 'GET') {
        const echostr = query.echostr ?? '';
        if (getSignature(APP.token, query.timestamp ?? '', query.nonce ?? '', echostr) !== query.msg_signature) return void response.writeHead(403).end('bad signature');
        return void response.writeHead(200).end(decrypt(APP.encodingAESKey, echostr).message);
      }
      const respond = () => {
        if (handler.failNext > 0) {
          handler.failNext -= 1;
          return void response.writeHead(500).end('busy');
        }
        const encrypted = parseFlatXml(body).Encrypt ?? '';
        if (getSignature(APP.token, query.timestamp ?? '', query.nonce ?? '', encrypted) !== query.msg_signature) return void response.writeHead(403).end('bad signature');
        const { message, id } = decrypt(APP.encodingAESKey, encrypted);
        if (id !== APP.corpId) return void response.writeHead(403).end('bad receiveid');
        const fields = parseFlatXml(message);
        const dedupeKey = fields.MsgId ?? `${fields.FromUserName}:${fields.CreateTime}:${fields.Event}:${fields.TaskId}`;
        if (seenMsgIds.has(dedupeKey)) return void response.writeHead(200).end('');
        seenMsgIds.add(dedupeKey);
        handler.handled.push(fields);
        // Passive encrypted reply (§3.5), reusing the request's nonce like wechatpy.
        const replyXml = `<xml><ToUserName><![CDATA[${fields.FromUserName}]]></ToUserName><FromUserName><![CDATA[${APP.corpId}]]></FromUserName><CreateTime>${fields.CreateTime}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[收到：${fields.Content ?? fields.EventKey}]]></Content></xml>`;
        const replyEncrypt = encrypt(APP.encodingAESKey, replyXml, APP.corpId);
        const timestamp = '1700000000';
        const signature = getSignature(APP.token, timestamp, query.nonce ?? '', replyEncrypt);
        response.writeHead(200, { 'content-type': 'text/xml' });
        response.end(`<xml><Encrypt><![CDATA[${replyEncrypt}]]></Encrypt><MsgSignature><![CDATA[${signature}]]></MsgSignature><TimeStamp>${timestamp}</TimeStamp><Nonce><![CDATA[${query.nonce}]]></Nonce></xml>`);
      };
      if (handler.slowNext > 0) {
        handler.slowNext -= 1;
        const timer = setTimeout(respond, handler.slowMs);
        response.on('close', () => clearTimeout(timer));
      } else respond();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const handler: Handler = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/wecom/callback`,
    received: [],
    handled: [],
    failNext: 0,
    slowNext: 0,
    slowMs: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return handler;
}

describe('AppCallbackPoster against a local callback handler (§3, §7.3 C)', () => {
  let handler: Handler;
  let poster: AppCallbackPoster;

  beforeEach(async () => {
    handler = await startHandler();
    poster = new AppCallbackPoster(APP);
  });

  afterEach(async () => {
    await handler.close();
  });

  it('passes URL verification; a tampered signature fails it', async () => {
    expect(await poster.verifyUrl(handler.url)).toBe(true);
    const tampered = await poster.verify(handler.url, { tamperSignature: true });
    expect(tampered).toMatchObject({ ok: false, status: 403 });
    expect(handler.received.map((request) => request.method)).toEqual(['GET', 'GET']);
  });

  it('posts an encrypted text message and decrypts the passive reply', async () => {
    const result = await poster.postMessage(handler.url, { fromUser: 'zhangsan', content: '#123 已解决', agentId: AGENT_ID, msgId: '4561255354251345929', createTime: 1_700_000_000 });
    expect(result).toMatchObject({ ok: true, status: 200, attempts: 1, msgId: '4561255354251345929' });
    expect(result.reply).toMatchObject({ signatureValid: true, receiveIdValid: true, fields: { ToUserName: 'zhangsan', FromUserName: CORP_ID, MsgType: 'text', Content: '收到：#123 已解决' } });
    expect(handler.handled).toEqual([{ ToUserName: CORP_ID, FromUserName: 'zhangsan', CreateTime: '1700000000', MsgType: 'text', Content: '#123 已解决', MsgId: '4561255354251345929', AgentID: String(AGENT_ID) }]);
    expect(parseFlatXml(handler.received[0]?.body ?? '')).toMatchObject({ ToUserName: CORP_ID, AgentID: String(AGENT_ID) });
  });

  it('retries a non-200 answer with the identical payload, up to 3 times', async () => {
    handler.failNext = 2;
    const result = await poster.postMessage(handler.url, { fromUser: 'lisi', content: '/认领 #123', agentId: AGENT_ID });
    expect(result).toMatchObject({ ok: true, attempts: 3 });
    expect(result.attemptLog.map((attempt) => attempt.status)).toEqual([500, 500, 200]);
    expect(new Set(handler.received.map((request) => `${request.search}\n${request.body}`)).size).toBe(1);
    expect(handler.handled).toHaveLength(1);

    handler.failNext = 10;
    const givenUp = await poster.postMessage(handler.url, { fromUser: 'lisi', content: 'x', agentId: AGENT_ID });
    expect(givenUp).toMatchObject({ ok: false, status: 500, attempts: 4 });
  });

  it('drops a late answer at the deadline and retries', async () => {
    poster = new AppCallbackPoster({ ...APP, timeoutMs: 150 });
    handler.slowNext = 1;
    handler.slowMs = 1_000;
    const result = await poster.postMessage(handler.url, { fromUser: 'wangwu', content: '进展？', agentId: AGENT_ID });
    expect(result.attemptLog.map((attempt) => attempt.timedOut)).toEqual([true, false]);
    expect(result).toMatchObject({ ok: true, attempts: 2 });
    expect(handler.received).toHaveLength(2);
    expect(handler.received[0]).toEqual(handler.received[1]);
  });

  it('forceRetries re-sends an answered message so MsgId dedupe can be tested', async () => {
    const result = await poster.postMessage(handler.url, { fromUser: 'zhangsan', content: '/创建工单 服务器无法连接', agentId: AGENT_ID }, { forceRetries: 3 });
    expect(result.attempts).toBe(4);
    expect(handler.received).toHaveLength(4);
    expect(new Set(handler.received.map((request) => request.body)).size).toBe(1);
    expect(handler.handled).toHaveLength(1);
    expect(result.body).toBe(''); // the last delivery was recognised as a duplicate and acknowledged empty
  });

  it('a tampered signature is refused by the handler (and retried like any non-200)', async () => {
    const result = await poster.postMessage(handler.url, { fromUser: 'zhangsan', content: 'x', agentId: AGENT_ID }, { tamperSignature: true, retries: 0 });
    expect(result).toMatchObject({ ok: false, status: 403, body: 'bad signature', attempts: 1 });
    expect(handler.handled).toHaveLength(0);
  });

  it('reports no answer at all after every attempt timed out', async () => {
    poster = new AppCallbackPoster({ ...APP, timeoutMs: 50 });
    handler.slowNext = 10;
    handler.slowMs = 5_000;
    const result = await poster.postMessage(handler.url, { fromUser: 'zhangsan', content: 'x', agentId: AGENT_ID });
    expect(result).toMatchObject({ ok: false, attempts: 4, body: '' });
    expect(result.status).toBeUndefined();
    expect(result.attemptLog.every((attempt) => attempt.timedOut)).toBe(true);
  });

  it('a card click callback carries a fresh response_code that updates the card on the fake API', async () => {
    const clock = new Date('2026-12-04T09:00:00+08:00');
    const api = await FakeWeComHttpApi.start({ corpId: CORP_ID, apps: [{ agentId: AGENT_ID, secret: SECRET }], now: () => clock });
    try {
      const accessToken = api.issueToken(AGENT_ID);
      const card = { card_type: 'button_interaction', main_title: { title: '工单 #7' }, task_id: 't7_v1_x', button_list: [{ text: '认领', key: 'claim:7' }] };
      const sentResponse = await fetch(`${api.url}/cgi-bin/message/send?access_token=${accessToken}`, { method: 'POST', body: JSON.stringify({ agentid: AGENT_ID, touser: 'lisi', msgtype: 'template_card', template_card: card }) });
      const sent = (await sentResponse.json()) as { msgid: string };
      const responseCode = api.cardClickResponseCode(sent.msgid);
      const result = await poster.postCardEvent(handler.url, { fromUser: 'lisi', agentId: AGENT_ID, eventKey: 'claim:7', taskId: 't7_v1_x', cardType: 'button_interaction', responseCode });
      expect(result.ok).toBe(true);
      expect(handler.handled[0]).toMatchObject({ MsgType: 'event', Event: 'template_card_event', EventKey: 'claim:7', TaskId: 't7_v1_x', ResponseCode: responseCode, AgentID: String(AGENT_ID) });
      const update = await fetch(`${api.url}/cgi-bin/message/update_template_card?access_token=${accessToken}`, {
        method: 'POST',
        body: JSON.stringify({ agentid: AGENT_ID, response_code: handler.handled[0]?.ResponseCode, userids: ['lisi'], button: { replace_name: '已认领' } }),
      });
      expect(await update.json()).toEqual({ errcode: 0, errmsg: 'ok', invaliduser: [] });
      expect(api.appMessages('lisi')[0]?.replaceName).toBe('已认领');
    } finally {
      await api.close();
    }
  });
});

// ---- helpers ----

const TRACKED = ['TCPServerWrap', 'TCPSocketWrap', 'Timeout'];

function resourceCounts(): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(TRACKED.map((name) => [name, 0]));
  for (const name of process.getActiveResourcesInfo()) if (name in counts) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

function atMost(a: Record<string, number>, b: Record<string, number>): boolean {
  return TRACKED.every((name) => (a[name] ?? 0) <= (b[name] ?? 0));
}

async function waitUntil(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
