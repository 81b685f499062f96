import { Arg, Ctx, Field, Float, ID, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { parseCustomerId } from '../domain/ids.js';
import { findSimilarTickets, SIMILAR_LIMIT, type SimilarTicket } from '../tickets/similar-tickets.js';
import { bilingual } from './bilingual.js';
import type { GraphQLContext } from './context.js';
import { TicketNode } from './ticket.type.js';

@ObjectType('TicketResolution', { simpleResolvers: true, description: bilingual('工单是怎么解决的：最后一次标为已解决时写下的说明。', 'How a ticket was resolved: the note given when it last became resolved.') })
export class TicketResolutionNode {
  @Field({ description: bilingual('解决说明。', 'The resolution note.') })
  note!: string;

  @Field({ description: bilingual('标为已解决的时间。', 'When it became resolved.') })
  resolvedAt!: Date;

  @Field({ description: bilingual('标为已解决的人（姓名，没有姓名时为 userid）。', 'Who resolved it (their name, or their userid when unknown).') })
  resolvedBy!: string;
}

@ObjectType('SimilarTicket', { simpleResolvers: true, description: bilingual('一个与所给问题相似的过往工单。', 'An earlier ticket whose problem resembles the given text.') })
export class SimilarTicketNode {
  @Field(() => TicketNode, { description: bilingual('相似的工单。', 'The similar ticket.') })
  ticket!: TicketNode;

  @Field(() => Float, {
    description: bilingual(
      '相似度 0–1：所给文字的词（越少见的词越重）在该工单中出现的比例。0.6 以上通常是同一问题。',
      'Similarity, 0–1: the share of the text\'s words (rarer words weigh more) found in the ticket. Above 0.6 it is usually the same problem.',
    ),
  })
  score!: number;

  @Field(() => TicketResolutionNode, { nullable: true, description: bilingual('它是怎么解决的；未解决或解决时没写说明则为 null。', 'How it was resolved; null if it is not resolved or was resolved without a note.') })
  resolution!: TicketResolutionNode | null;

  static from(similar: SimilarTicket, now: Date): SimilarTicketNode {
    const { resolution } = similar;
    return Object.assign(new SimilarTicketNode(), {
      ticket: TicketNode.from(similar.ticket, now),
      score: Math.round(similar.score * 1000) / 1000,
      resolution: resolution && Object.assign(new TicketResolutionNode(), { note: resolution.note, resolvedAt: resolution.at, resolvedBy: resolution.by }),
    });
  }
}

@Resolver()
export class SimilarTicketResolver {
  @Query(() => [SimilarTicketNode], {
    description: bilingual(
      '问题描述相似的过往工单，最相似的在前，附相似度和解决说明；已取消的工单不会出现。适用于中文（按词比较，不需要空格）。',
      'Earlier tickets whose problem resembles the text, most similar first, with a score and how each was resolved; cancelled tickets never appear. Works for Chinese (compared word by word, no spaces needed).',
    ),
  })
  async similarTickets(
    @Arg('text', { description: bilingual('问题描述，如“导出报表时一直失败”。只看前 2000 个字。', 'The problem, e.g. “导出报表时一直失败”. Only its first 2,000 characters count.') }) text: string,
    @Arg('customerId', () => ID, { nullable: true, description: bilingual('只查这位客户的工单。', 'Only this customer\'s tickets.') }) customerId: string | null | undefined,
    @Arg('limit', () => Int, { defaultValue: SIMILAR_LIMIT.default, description: bilingual(`最多多少条，1–${SIMILAR_LIMIT.max}。`, `How many at most, 1–${SIMILAR_LIMIT.max}.`) }) limit: number,
    @Ctx() { em, clock }: GraphQLContext,
  ): Promise<SimilarTicketNode[]> {
    const found = await findSimilarTickets(em, { text, customerId: customerId === null || customerId === undefined ? null : parseCustomerId(customerId), limit });
    const now = clock.now();
    return found.map((similar) => SimilarTicketNode.from(similar, now));
  }
}
