import { describe, expect, it } from 'vitest';
import { derivePriority, Priority } from '../../src/domain/priority.js';

describe('priority derived from the problem text', () => {
  it.each([
    ['服务器无法连接', Priority.NORMAL],
    ['紧急：服务器宕机', Priority.URGENT],
    ['数据丢失，问题严重', Priority.URGENT],
    ['高优先级 登录失败', Priority.HIGH],
    ['低优先级：界面文字错位', Priority.LOW],
    ['紧急，高优先级', Priority.URGENT],
    ['不紧急，有空看一下', Priority.NORMAL],
    ['问题并不严重', Priority.NORMAL],
    ['不紧急，但是很严重', Priority.URGENT],
  ])('%s → %s', (text, expected) => {
    expect(derivePriority(text)).toBe(expected);
  });

  it('reads every text it is given (title and description)', () => {
    expect(derivePriority('登录失败', '客户说非常紧急')).toBe(Priority.URGENT);
    expect(derivePriority(undefined, null, '')).toBe(Priority.NORMAL);
  });
});
