import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ConfigError, ENV_VARIABLES, loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('has working defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 4000, host: '127.0.0.1', dataDir: '.data', deadline: { defaultHours: 24, hoursByPriority: {} } });
    expect(config.database.url).toBeUndefined();
  });

  it('reads per-priority deadlines and the WeCom settings', () => {
    const config = loadConfig({ DEADLINE_HOURS_URGENT: '4', CORP_ID: 'ww123', CORP_SECRET: 'app-secret', AGENT_ID: '1000002', GROUP_WEBHOOK_URL: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x' });
    expect(config.deadline.hoursByPriority).toEqual({ URGENT: 4 });
    expect(config.wecom).toMatchObject({ corpId: 'ww123', agentId: 1000002, webhookKinds: ['DEADLINE_WARNING', 'REMINDER', 'ESCALATION'] });
    expect(config.app).toEqual({ corpId: 'ww123', secret: 'app-secret', agentId: 1000002, apiBase: 'https://qyapi.weixin.qq.com' });
    expect(() => loadConfig({ CORP_ID: 'ww123', AGENT_ID: '1000002' })).toThrow(/the self-built app needs all three/);
    const aesKey = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
    const app = { CORP_ID: 'ww123', CORP_SECRET: 'app-secret', AGENT_ID: '1000002' };
    expect(loadConfig({ ...app, WECOM_CALLBACK_TOKEN: 'tok', WECOM_CALLBACK_AES_KEY: aesKey }).app?.callback).toEqual({ token: 'tok', encodingAESKey: aesKey });
    expect(() => loadConfig({ ...app, WECOM_CALLBACK_TOKEN: 'tok' })).toThrow(/the app callback needs both/);
    expect(() => loadConfig({ WECOM_CALLBACK_TOKEN: 'tok', WECOM_CALLBACK_AES_KEY: aesKey })).toThrow(/the app callback needs both, and the self-built app/);
    expect(() => loadConfig({ ...app, WECOM_CALLBACK_TOKEN: 'tok', WECOM_CALLBACK_AES_KEY: 'short' })).toThrow(/WECOM_CALLBACK_AES_KEY: must be the 43-character EncodingAESKey/);
    expect(() => loadConfig({ WECOM_WEBHOOK_KINDS: 'REMINDER,EVERYTHING' })).toThrow(/WECOM_WEBHOOK_KINDS: must list message kinds/);
  });

  it('connects the smart robot only with both its id and secret, at the configured address', () => {
    expect(loadConfig({}).smartRobot).toBeUndefined();
    expect(loadConfig({ WECOM_BOT_ID: 'aibot1', WECOM_BOT_SECRET: 's3cret' }).smartRobot).toEqual({ botId: 'aibot1', secret: 's3cret', wsUrl: 'wss://openws.work.weixin.qq.com' });
    expect(loadConfig({ WECOM_BOT_ID: 'a', WECOM_BOT_SECRET: 'b', WECOM_BOT_WS_URL: 'ws://127.0.0.1:9000' }).smartRobot?.wsUrl).toBe('ws://127.0.0.1:9000');
    expect(() => loadConfig({ WECOM_BOT_ID: 'aibot1' })).toThrow(/WECOM_BOT_SECRET: required with WECOM_BOT_ID/);
    expect(() => loadConfig({ WECOM_BOT_ID: 'a', WECOM_BOT_SECRET: 'b', WECOM_BOT_WS_URL: 'https://example.com' })).toThrow(/WECOM_BOT_WS_URL: must be a ws:\/\/ or wss:\/\/ URL/);
    expect(loadConfig({ WECOM_BOT_NAMES: '工单助手, 售后小助手 ,' }).chat.botNames).toEqual(['工单助手', '售后小助手']);
  });

  it('runs the local WeCom in development without a smart robot, never in production', () => {
    expect(loadConfig({}).localWecom).toBe(true);
    expect(loadConfig({ LOCAL_WECOM: 'off' }).localWecom).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test' }).localWecom).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test', LOCAL_WECOM: 'on' }).localWecom).toBe(true);
    expect(loadConfig({ WECOM_BOT_ID: 'a', WECOM_BOT_SECRET: 'b' }).localWecom).toBe(false);
    expect(loadConfig({ CORP_ID: 'ww', CORP_SECRET: 's', AGENT_ID: '1' }).localWecom).toBe(false);
    expect(loadConfig({ GROUP_WEBHOOK_URL: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x' }).localWecom).toBe(false);
    expect(() => loadConfig({ NODE_ENV: 'test', LOCAL_WECOM: 'on', GROUP_WEBHOOK_URL: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x' })).toThrow(/cannot be on with GROUP_WEBHOOK_URL set/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET_KEY: 'x'.repeat(32), DETAIL_LINK_SECRET: 'y'.repeat(32) }).localWecom).toBe(false);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET_KEY: 'x'.repeat(32), DETAIL_LINK_SECRET: 'y'.repeat(32), LOCAL_WECOM: 'on' })).toThrow(/LOCAL_WECOM: the local WeCom is for development only/);
  });

  it('reports every bad value at once, naming each, and never echoes secrets', () => {
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'not a url', JWT_SECRET_KEY: 'short', DEADLINE_HOURS: '-1' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const { problems } = error as ConfigError;
      expect(problems.map((p) => p.split(':')[0])).toEqual(['PORT', 'DATABASE_URL', 'JWT_SECRET_KEY', 'DEADLINE_HOURS']);
      expect(problems.join('\n')).toContain('"abc"');
      expect(problems.join('\n')).not.toContain('short');
    }
  });

  it('reads the reminder settings, hourly and escalating after three reminders by default', () => {
    expect(loadConfig({}).reminders).toMatchObject({
      policy: { intervalMs: 3_600_000, escalatedIntervalMs: 1_800_000, escalateAfter: 3, earlyWarningMs: null },
      mongodbUrl: undefined,
    });
    const custom = loadConfig({ REMINDER_INTERVAL_MINUTES: '0.5', REMINDER_EARLY_WARNING_MINUTES: '90', MONGODB_URL: 'mongodb://mongo:27017/tickets', SERVICE_ROLE: 'worker' });
    expect(custom.reminders.policy).toMatchObject({ intervalMs: 30_000, earlyWarningMs: 5_400_000 });
    expect(custom).toMatchObject({ role: 'worker', reminders: { mongodbUrl: 'mongodb://mongo:27017/tickets' } });
  });

  it('refuses reminder settings out of range at start, naming each', () => {
    try {
      loadConfig({ REMINDER_INTERVAL_MINUTES: '0', REMINDER_ESCALATED_INTERVAL_MINUTES: '-5', REMINDER_ESCALATE_AFTER: '0', OUTBOX_MAX_ATTEMPTS: '0', SERVICE_ROLE: 'both' });
      expect.unreachable();
    } catch (error) {
      const { problems } = error as ConfigError;
      expect(problems).toEqual([
        'SERVICE_ROLE: Invalid option: expected one of "all"|"api"|"worker" (got "both")',
        'REMINDER_INTERVAL_MINUTES: must be a positive number of minutes (got "0")',
        'REMINDER_ESCALATED_INTERVAL_MINUTES: must be a positive number of minutes (got "-5")',
        'REMINDER_ESCALATE_AFTER: must be at least 1 reminder (got "0")',
        'OUTBOX_MAX_ATTEMPTS: must be at least 1 attempt (got "0")',
      ]);
    }
    expect(() => loadConfig({ OUTBOX_RETRY_BASE_MS: '5000', OUTBOX_RETRY_MAX_MS: '1000' })).toThrow(/OUTBOX_RETRY_MAX_MS: must not be less than OUTBOX_RETRY_BASE_MS/);
  });

  it('never echoes a URL with credentials in it', () => {
    expect(() => loadConfig({ MONGODB_URL: 'mongo://admin:hunter2@db/x' })).toThrow(/MONGODB_URL: must be a mongodb:\/\/ or mongodb\+srv:\/\/ URL \(got "\*\*\*"\)/);
  });

  it('requires a JWT secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET_KEY: required in production/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET_KEY: 'x'.repeat(32) })).toThrow(/DETAIL_LINK_SECRET: required in production/);
  });
});

describe('.env.example', () => {
  it('documents every variable the service reads', () => {
    const example = readFileSync('.env.example', 'utf8');
    const documented = [...example.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
    expect(ENV_VARIABLES.filter((name) => !documented.includes(name))).toEqual([]);
  });
});
