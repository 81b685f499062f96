import { describe, expect, it } from 'vitest';
import { anyTermQuery, planSimilaritySearch, problemTerms } from '../../src/domain/problem-terms.js';

describe('problem terms', () => {
  it('cuts Chinese into words, with no spaces needed', () => {
    expect(problemTerms('服务器无法连接')).toEqual(['服务', '无法', '连接']);
    expect(problemTerms('连不上服务器')).toEqual(['连不上', '服务']);
  });

  it('pairs characters the dictionary cannot place, so unknown names still match', () => {
    const terms = problemTerms('路由器上班打不了卡');
    expect(terms).toContain('路由');
    expect(terms).toContain('由器');
  });

  it('keeps Latin words and numbers whole, in lower case, and drops punctuation', () => {
    const terms = problemTerms('VPN 连不上，错误代码E731！Outlook');
    expect(terms).toEqual(expect.arrayContaining(['vpn', 'e731', 'outlook']));
    expect(terms.every((t) => /^[\p{L}\p{N}]+$/u.test(t))).toBe(true);
  });

  it('lists each term once, and nothing for text without words', () => {
    const terms = problemTerms('无法登录 无法登录 无法登录');
    expect(new Set(terms).size).toBe(terms.length);
    expect(problemTerms('，。！？ …')).toEqual([]);
  });
});

describe('a similarity search plan', () => {
  const counts: Record<string, number> = { 无法: 400, 导出: 20, 数据: 300, 报表: 30, e731: 2 };
  const plan = (terms: string[], tickets = 1000) => planSimilaritySearch(terms, (t) => counts[t] ?? 0, tickets);

  it('weighs rare terms more than common ones, and unknown terms most', () => {
    const { terms } = plan(['无法', '导出', '新词']);
    const weight = Object.fromEntries(terms.map((t) => [t.term, t.weight]));
    expect(weight['导出']!).toBeGreaterThan(weight['无法']!);
    expect(weight['新词']!).toBeGreaterThan(weight['导出']!);
  });

  it('among many tickets, finds candidates by pairs of the rarest terms some ticket has, then by any of them; common terms only score', () => {
    expect(plan(['无法', '导出', '数据', '报表', 'e731', '新词']).candidateQueries).toEqual([`('e731' & '导出') | ('e731' & '报表') | ('导出' & '报表')`, `'e731' | '导出' | '报表'`]);
  });

  it('falls back to the rarest term there is when none is rare, and to nothing when no ticket has any', () => {
    expect(plan(['无法', '数据']).candidateQueries).toEqual([`'数据'`]);
    expect(plan(['无法', '数据', '导出']).candidateQueries).toEqual([`'导出'`]);
    expect(plan(['新词']).candidateQueries).toEqual([]);
    expect(anyTermQuery(['无法', '新词'])).toBe(`'无法' | '新词'`);
  });

  it('reads no more index entries than its budget: terms that always come together make no rare pair', () => {
    const large = { oa: 45_000, 办公: 45_000, 同步: 30_000, 系统: 400_000 };
    const planned = planSimilaritySearch(['oa', '办公', '同步', '系统'], (t) => large[t as keyof typeof large] ?? 0, 1_000_000);
    expect(planned.candidateQueries).toEqual([`'同步'`]);
  });

  it('scores every ticket sharing a term while there are few enough', () => {
    expect(plan(['导出', '报表', 'e731', '新词']).candidateQueries).toEqual([`'e731' | '导出' | '报表'`]);
  });

  it('totals the weights, so a ticket with every term scores 1', () => {
    const { terms, totalWeight } = plan(['无法', '导出']);
    expect(totalWeight).toBeCloseTo(terms[0]!.weight + terms[1]!.weight);
  });
});
