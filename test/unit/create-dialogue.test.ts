import { describe, expect, it } from 'vitest';
import { parseChatCommand, type CreateTicketCommand } from '../../src/chat/command-grammar.js';
import { answerCreateDialogue, DIALOGUE_TTL_MS, startCreateDialogue, type Dialogue, type DialogueStep } from '../../src/chat/create-dialogue.js';
import { Priority } from '../../src/domain/priority.js';

const NOW = new Date('2026-02-01T07:30:00Z');
const later = (ms: number): Date => new Date(NOW.getTime() + ms);

function createCommand(text: string): CreateTicketCommand {
  const command = parseChatCommand(text);
  if (command.kind !== 'create') throw new Error(`not a create command: ${text}`);
  return command;
}

function dialogueOf(step: DialogueStep): Dialogue {
  if (step.kind !== 'ask') throw new Error(`expected a question, got ${step.kind}`);
  return step.dialogue;
}

describe('the /创建工单 dialogue', () => {
  it('needs none when the command is complete', () => {
    const command = createCommand('/创建工单 @客户张三 手机:13800138000 问题:服务器无法连接');
    expect(startCreateDialogue(command, NOW)).toEqual({ kind: 'complete', command });
  });

  it('asks for the phone, then the problem, then creates', () => {
    const first = startCreateDialogue(createCommand('/创建工单 @客户张三'), NOW);
    expect(first).toMatchObject({ kind: 'ask', reply: '请提供客户手机号（直接回复即可；回复"取消"可放弃，5 分钟内有效）' });
    expect(dialogueOf(first)).toMatchObject({ awaiting: 'customerPhone', expiresAt: later(DIALOGUE_TTL_MS) });

    const second = answerCreateDialogue(dialogueOf(first), '138 0013 8000', later(60_000));
    expect(second).toMatchObject({ kind: 'ask', reply: expect.stringMatching(/^请描述客户遇到的问题/) });
    expect(dialogueOf(second).expiresAt).toEqual(later(60_000 + DIALOGUE_TTL_MS));

    expect(answerCreateDialogue(dialogueOf(second), '服务器无法连接', later(120_000))).toEqual({
      kind: 'complete',
      command: { kind: 'create', customerName: '张三', customerPhone: '13800138000', description: '服务器无法连接', priority: Priority.NORMAL },
    });
  });

  it('asks again, saying why, when the phone is not one', () => {
    const first = dialogueOf(startCreateDialogue(createCommand('/创建工单 @客户张三 问题:服务器无法连接'), NOW));
    const again = answerCreateDialogue(first, '不知道', later(1000));
    expect(again).toMatchObject({ kind: 'ask', reply: expect.stringMatching(/^手机号格式不正确：「不知道」，应为 11 位大陆手机号。请提供客户手机号/) });
    expect(dialogueOf(again).awaiting).toBe('customerPhone');
  });

  it('is abandoned with 取消', () => {
    const first = dialogueOf(startCreateDialogue(createCommand('/创建工单 @客户张三'), NOW));
    expect(answerCreateDialogue(first, '取消', later(1000))).toEqual({ kind: 'abandoned', reply: '好的，已取消创建工单。' });
  });

  it('lets an expired dialogue, or a new command, be read on its own', () => {
    const first = dialogueOf(startCreateDialogue(createCommand('/创建工单 @客户张三'), NOW));
    expect(answerCreateDialogue(first, '13800138000', later(DIALOGUE_TTL_MS + 1))).toEqual({ kind: 'notAnAnswer' });
    expect(answerCreateDialogue(first, '/查询工单 #1', later(1000))).toEqual({ kind: 'notAnAnswer' });
    expect(answerCreateDialogue(first, '#12 已解决', later(1000))).toEqual({ kind: 'notAnAnswer' });
  });
});
