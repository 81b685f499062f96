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
    const config = loadConfig({ DEADLINE_HOURS_URGENT: '4', CORP_ID: 'ww123', AGENT_ID: '1000002', GROUP_WEBHOOK_URL: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x' });
    expect(config.deadline.hoursByPriority).toEqual({ URGENT: 4 });
    expect(config.wecom).toMatchObject({ corpId: 'ww123', agentId: 1000002 });
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

  it('requires a JWT secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET_KEY: required in production/);
  });
});

describe('.env.example', () => {
  it('documents every variable the service reads', () => {
    const example = readFileSync('.env.example', 'utf8');
    const documented = [...example.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
    expect(ENV_VARIABLES.filter((name) => !documented.includes(name))).toEqual([]);
  });
});
