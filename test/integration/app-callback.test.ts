import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppCallbackPoster } from '../../src/local-wecom/callback-poster.js';
import { FakeWeComHttpApi } from '../../src/local-wecom/http-api-server.js';
import { AppCallbackCrypto } from '../../src/wecom/app-callback.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// The protocol reference's 3.7 keys.
const KEYS = { token: 'QDG6eK', encodingAESKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', corpId: 'wx5823bf96d3bd56c7' };
const VECTOR_A = {
  query: { msg_signature: '0281d63effc537738ec30312e242050eb07e89b9', timestamp: '1409659813', nonce: '1372623149' },
  encrypt:
    'sKqRbbiSUnDhFHOvPjtUMQLZ+IzZbzuvMmAxib1nCi0dqsdpnx8zIdIzHuFZP84rYVV7rGYl30hi6ma+zrSat8ZYVkoHbeYc2yeATjD/DlCm7ShQG1gqquzfuJcHHa8mFyAiJLTNNpd2WdqJ6NounO+mWzxCD5zr6muX2KAb4Gq8TU77MGUkz+MX0G4jYNmX6vcl/pFb7atzrxdkdlpBsghyiW50n5VImiQkXbqZyrJNV5xLi9ssF/d1rLWjIvch4EiFjsfcgCAr46uAwym9XBgJHsJBdCklidKzAe2mbsAi0vAxJbmqlf2bYj3Ae/GRkWb7WIauTbYbaY4dmxT/BCVyUIoM/LF8/JIpZu1ri8luguFrM1oXqSL9djCaZqqVpRakbC1qgAsFMtZgfCyg/GVGGnCgS7LdDLoOXgegwv9zVdFlWyJ5dCkknQoPdOMvyBATX4Ejjrx12mY9n/FOaHBC3HNyxXYnHGOK0qnbLyxqut9mOeVZ95QghlNrK964TZCRS+AfVxoH7eJj/obBSgwzP18Hd8lUejoTpOLHsoo=',
};

describe('the self-built app\'s callback cryptography', () => {
  const crypto = new AppCallbackCrypto(KEYS);

  it('reads the reference\'s vector (a): signature checked, decrypted, our corp', () => {
    const body = `<xml><ToUserName><![CDATA[${KEYS.corpId}]]></ToUserName><Encrypt><![CDATA[${VECTOR_A.encrypt}]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>`;
    expect(crypto.readMessage(VECTOR_A.query, body)).toEqual({
      ToUserName: KEYS.corpId, FromUserName: 'zhangsan', CreateTime: '1409659813', MsgType: 'text',
      Content: '/创建工单 @客户张三 手机:13800138000 问题:服务器无法连接', MsgId: '4561255354251345929', AgentID: '218',
    });
  });

  it('answers the reference\'s URL verification (b)', () => {
    const echostr = 'sKqRbbiSUnDhFHOvPjtUMWzf2R8PrpMiTTPaicBgqZlYW/WsF6SiFd2z9CriX2YpWYzF1yrNNQ0SomM3ovdnfA==';
    expect(crypto.verifyUrl({ msg_signature: 'a8498dda3672bf27adfc6a4a85e7a9ffa9243566', timestamp: '1409659813', nonce: '1372623149', echostr })).toBe('1616140317555161061');
  });

  it('refuses an altered signature, a payload for another corp, and what is not XML', () => {
    const body = `<xml><Encrypt><![CDATA[${VECTOR_A.encrypt}]]></Encrypt></xml>`;
    expect(() => crypto.readMessage({ ...VECTOR_A.query, msg_signature: '0'.repeat(40) }, body)).toThrow(/msg_signature does not match/);
    expect(() => new AppCallbackCrypto({ ...KEYS, corpId: 'ww-other' }).readMessage(VECTOR_A.query, body)).toThrow(/another corp/);
    expect(() => crypto.readMessage(VECTOR_A.query, 'not xml at all')).toThrow(/no <xml> root|not XML/);
  });
});

describe('POST /api/wechat/app-callback', () => {
  const AGENT = 1000002;
  let api: FakeWeComHttpApi;
  let t: TestApp;
  let poster: AppCallbackPoster;
  let url: string;

  beforeAll(async () => {
    api = await FakeWeComHttpApi.start({ corpId: KEYS.corpId, apps: [{ agentId: AGENT, secret: 'app-secret' }] });
    t = await startTestApp({
      CORP_ID: KEYS.corpId, CORP_SECRET: 'app-secret', AGENT_ID: String(AGENT), WECOM_API_BASE: api.url,
      WECOM_CALLBACK_TOKEN: KEYS.token, WECOM_CALLBACK_AES_KEY: KEYS.encodingAESKey,
    });
    poster = new AppCallbackPoster(KEYS);
    url = `${t.app.http.url}/api/wechat/app-callback`;
  });
  afterAll(async () => {
    await t?.close();
    await api?.close();
  });

  it('passes WeCom\'s URL verification', async () => {
    expect(await poster.verifyUrl(url)).toBe(true);
  });

  it('runs a member\'s 1:1 message as their command and answers with an encrypted passive reply', async () => {
    const result = await poster.postMessage(url, { fromUser: 'zhangsan', content: '/创建工单 @客户李雷 手机:13900139000 问题:应用内私聊创建', msgId: '4561255354251345930', agentId: AGENT });
    expect(result).toMatchObject({ ok: true, attempts: 1 });
    expect(result.reply).toMatchObject({ signatureValid: true, receiveIdValid: true, fields: { ToUserName: 'zhangsan', FromUserName: KEYS.corpId, MsgType: 'text' } });
    expect(result.reply!.fields['Content']).toMatch(/^✅ 工单 #\d+ 创建成功/);
  });

  it('processes a message WeCom retries once', async () => {
    const result = await poster.postMessage(url, { fromUser: 'zhangsan', content: '/创建工单 @客户韩梅梅 手机:13700137000 问题:重试的回调', msgId: '4561255354251345931', agentId: AGENT }, { forceRetries: 3 });
    expect(result.attempts).toBe(4);
    expect(result.reply!.fields['Content']).toMatch(/^✅ 工单 #\d+ 创建成功/);
    const count = await t.db.query(`select count(*)::int as n from tickets t join customers c on c.id = t.customer_id where c.name = '韩梅梅'`);
    expect(count.rows[0]?.n).toBe(1);
  });

  it('refuses a forged signature with a coded JSON error and runs nothing', async () => {
    const result = await poster.postMessage(url, { fromUser: 'zhangsan', content: '/创建工单 @客户伪造 手机:13600136000 问题:伪造', msgId: '4561255354251345932', agentId: AGENT }, { tamperSignature: true, retries: 0 });
    expect(result.status).toBe(401);
    expect(JSON.parse(result.body).errors[0].extensions.code).toBe('INVALID_SIGNATURE');
    expect((await t.db.query(`select 1 from customers where name = '伪造'`)).rowCount).toBe(0);
    const missing = await fetch(url, { method: 'POST', body: '<xml/>' });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('BAD_REQUEST');
  });
});
