/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/**
 * 评论给谁看。
 * Who may read a comment.
 */
export type CommentVisibility =
  /**
   * 内部备注：只有员工能看到，客户永远看不到。
   * An internal note: staff only, never shown to the customer.
   */
  | 'INTERNAL'
  /**
   * 回复客户：客户在工单状态页能看到。
   * A reply to the customer: shown on their status page.
   */
  | 'PUBLIC';

/**
 * 新工单。客户先按手机号查找，再按完整姓名查找，都找不到就新建。
 * A new ticket. The customer is found by phone, then by exact name, else created.
 */
export type CreateTicketInput = {
  /**
   * 客户的公司；只补充空白，不覆盖已有的值。
   * The customer's company; fills a blank, never overwrites.
   */
  company?: string | null | undefined;
  /**
   * 客户姓名；手机号属于已知客户时可省略。
   * The customer's name; needed unless the phone belongs to a known customer.
   */
  customerName?: string | null | undefined;
  /**
   * 客户的中国大陆手机号（以 1 开头的 11 位数字）。
   * The customer's mainland mobile number (11 digits starting with 1).
   */
  customerPhone?: string | null | undefined;
  /**
   * 截止时间；默认为创建后的配置时长（24 小时）。
   * The deadline; defaults to the configured window (24 h) after creation.
   */
  deadline?: string | null | undefined;
  /**
   * 问题描述（必填）。
   * The problem (required).
   */
  description: string;
  /**
   * 优先级；省略时从描述推断（紧急/严重 → URGENT，高优先级 → HIGH）。
   * The priority; derived from the text when omitted (紧急/严重 → URGENT, 高优先级 → HIGH).
   */
  priority?: Priority | null | undefined;
  /**
   * 涉及的产品或项目。
   * The product or project concerned.
   */
  product?: string | null | undefined;
  /**
   * 标题；默认取问题描述的第一行。
   * The title; defaults to the first line of the description.
   */
  title?: string | null | undefined;
};

/**
 * 优先级。未指定时从问题描述推断：含“紧急”“严重”为 URGENT，“高优先级”为 HIGH，“低优先级”为 LOW，其余为 NORMAL。
 * Priority. When not given it is derived from the text: 紧急/严重 → URGENT, 高优先级 → HIGH, 低优先级 → LOW, otherwise NORMAL.
 */
export type Priority =
  /**
   * 高：尽快处理（卡片图标 ⬆️）。
   * High: to be handled soon (card icon ⬆️).
   */
  | 'HIGH'
  /**
   * 低：可以排在其他工单之后。
   * Low: may wait behind other tickets.
   */
  | 'LOW'
  /**
   * 普通：默认优先级（卡片图标 ➡️）。
   * Normal: the default (card icon ➡️).
   */
  | 'NORMAL'
  /**
   * 紧急：卡片和催促会 @所有人（卡片图标 🚨）。
   * Urgent: its card and reminders @-mention everyone (card icon 🚨).
   */
  | 'URGENT';

/**
 * 工单事件的类型（审计记录中的一条）。
 * The kind of an entry in a ticket's audit trail.
 */
export type TicketEventType =
  /**
   * 分配或转交：from 和 to 为原负责人和新负责人的 userid。
   * Assigned or handed over: from and to are the old and new assignee's userid.
   */
  | 'ASSIGNED'
  /**
   * 评论：to 为可见范围（PUBLIC 回复客户，INTERNAL 内部备注），note 为内容；工单本身不变（见 Ticket.comments）。
   * A comment: to is its visibility (PUBLIC, a reply to the customer; INTERNAL, a note among staff), note its body; the ticket itself is unchanged (see Ticket.comments).
   */
  | 'COMMENTED'
  /**
   * 创建工单。
   * The ticket was created.
   */
  | 'CREATED'
  /**
   * 客户补充说明：客户在工单状态页写下的补充（actorId 为 "customer"），note 为内容。
   * The customer added to their problem on their status page (actorId "customer"); note is what they wrote.
   */
  | 'CUSTOMER_NOTE'
  /**
   * 处理期限变更：from 和 to 为原截止时间和新截止时间（ISO 8601）。
   * Deadline changed: from and to are the old and new deadline (ISO 8601).
   */
  | 'DEADLINE_CHANGED'
  /**
   * 已超时：截止时间到了，工单仍未解决。
   * Deadline passed: the ticket was still open when its deadline passed.
   */
  | 'DEADLINE_PASSED'
  /**
   * 升级处理：有人升级，或多次催促后自动升级。
   * Escalated: by someone, or automatically after repeated reminders.
   */
  | 'ESCALATED'
  /**
   * 进度变更：from 和 to 为原进度和新进度（0–100）。
   * Progress changed: from and to are the old and new progress (0–100).
   */
  | 'PROGRESS_CHANGED'
  /**
   * 客户评价：to 为满意度 1–5，note 为评语；每次解决只能评价一次。
   * The customer rated the resolution: to is the score, 1–5, note their comment; once per resolution.
   */
  | 'RATED'
  /**
   * 超时催促：发出了一次超时提醒（见 Ticket.reminders）。
   * Reminded: a deadline reminder was issued (see Ticket.reminders).
   */
  | 'REMINDED'
  /**
   * 状态变更：from 和 to 为原状态和新状态。
   * Status changed: from and to are the old and new status.
   */
  | 'STATUS_CHANGED';

/**
 * 筛选工单：给出的条件必须同时满足。
 * Which tickets to list; all given criteria must hold.
 */
export type TicketFilter = {
  /**
   * 负责人的企业微信 userid。
   * The assignee's WeCom userid.
   */
  assignee?: string | null | undefined;
  /**
   * 这位客户的工单（Customer.id）。
   * This customer's tickets (Customer.id).
   */
  customerId?: string | null | undefined;
  /**
   * 客户姓名（完全一致）。
   * The customer's name, exactly.
   */
  customerName?: string | null | undefined;
  /**
   * 客户姓名的开头（"张" 可找到张三、张三丰；不做模糊匹配）。
   * The start of the customer's name ("张" finds 张三 and 张三丰; no fuzzy matching).
   */
  customerNamePrefix?: string | null | undefined;
  /**
   * 客户手机号（11 位大陆手机号，可带空格、横线或 +86）。
   * The customer's phone (11-digit mainland mobile; spaces, dashes and +86 are accepted).
   */
  customerPhone?: string | null | undefined;
  /**
   * true：已超时的未结工单；false：其余工单。
   * true: open tickets past their deadline; false: all others.
   */
  overdue?: boolean | null | undefined;
  /**
   * 属于这些优先级之一。
   * Of one of these priorities.
   */
  priority?: Array<Priority> | null | undefined;
  /**
   * 处于这些状态之一。
   * In one of these statuses.
   */
  status?: Array<TicketStatus> | null | undefined;
  /**
   * 标题或描述中包含的文字。
   * Text contained in the title or description.
   */
  text?: string | null | undefined;
};

/**
 * 工单状态。待分配 → 已分配 → 处理中 → 已解决 → 已关闭；任何未结状态都可升级或取消，已解决的工单可以重新打开。已关闭和已取消为终态。
 * A ticket's status. PENDING → ASSIGNED → PROCESSING → RESOLVED → CLOSED; any open status may be escalated or cancelled, and a resolved ticket may be reopened. CLOSED and CANCELLED are final.
 */
export type TicketStatus =
  /**
   * 已分配：有了负责人，尚未开始处理。
   * Assigned: it has an assignee who has not started on it yet.
   */
  | 'ASSIGNED'
  /**
   * 已取消：终态，不再处理。
   * Cancelled: final, it will not be worked on.
   */
  | 'CANCELLED'
  /**
   * 已关闭：终态，不能再修改。
   * Closed: final, no further changes.
   */
  | 'CLOSED'
  /**
   * 已升级：多次催促未处理，或有人升级处理；主管已收到通知。
   * Escalated: repeated reminders went unanswered, or someone escalated it; the leads have been told.
   */
  | 'ESCALATED'
  /**
   * 待分配：新建的工单，还没有负责人。
   * Pending: a new ticket that has no assignee yet.
   */
  | 'PENDING'
  /**
   * 处理中：负责人正在处理（聊天中回复“已处理”，进度 80%）。
   * Processing: the assignee is working on it (“已处理” in chat, progress 80%).
   */
  | 'PROCESSING'
  /**
   * 已解决：问题已解决，进度 100%；还可以关闭或重新打开。
   * Resolved: the problem is solved, progress 100%; it may still be closed or reopened.
   */
  | 'RESOLVED';

export type ChatTicketFragment = { id: string, title: string, description: string, product: string | null, status: TicketStatus, priority: Priority, progress: number, assignedTo: string | null, assignedToName: string | null, deadline: string, createdAt: string, version: number, customer: { name: string, phone: string | null, company: string | null } };

export type ChatCreateTicketMutationVariables = Exact<{
  input: CreateTicketInput;
}>;


export type ChatCreateTicketMutation = { createTicket: { id: string, title: string, description: string, product: string | null, status: TicketStatus, priority: Priority, progress: number, assignedTo: string | null, assignedToName: string | null, deadline: string, createdAt: string, version: number, customer: { name: string, phone: string | null, company: string | null } } };

export type ChatAssignTicketMutationVariables = Exact<{
  id: string;
  assignee: string;
  note?: string | null | undefined;
  expectedVersion?: number | null | undefined;
}>;


export type ChatAssignTicketMutation = { assignTicket: { id: string, title: string, description: string, product: string | null, status: TicketStatus, priority: Priority, progress: number, assignedTo: string | null, assignedToName: string | null, deadline: string, createdAt: string, version: number, customer: { name: string, phone: string | null, company: string | null } } };

export type ChatUpdateTicketStatusMutationVariables = Exact<{
  id: string;
  status: TicketStatus;
  note?: string | null | undefined;
  progress?: number | null | undefined;
}>;


export type ChatUpdateTicketStatusMutation = { updateTicketStatus: { id: string, title: string, description: string, product: string | null, status: TicketStatus, priority: Priority, progress: number, assignedTo: string | null, assignedToName: string | null, deadline: string, createdAt: string, version: number, customer: { name: string, phone: string | null, company: string | null } } };

export type ChatAddCommentMutationVariables = Exact<{
  id: string;
  body: string;
  visibility: CommentVisibility;
}>;


export type ChatAddCommentMutation = { addTicketComment: { ticketId: string, visibility: CommentVisibility } };

export type ChatTicketQueryVariables = Exact<{
  id: string;
}>;


export type ChatTicketQuery = { ticket: { id: string, title: string, description: string, product: string | null, status: TicketStatus, priority: Priority, progress: number, assignedTo: string | null, assignedToName: string | null, deadline: string, createdAt: string, version: number, customer: { name: string, phone: string | null, company: string | null } } };

export type ChatCardTicketQueryVariables = Exact<{
  id: string;
}>;


export type ChatCardTicketQuery = { ticket: { id: string, title: string, description: string, product: string | null, status: TicketStatus, priority: Priority, progress: number, assignedTo: string | null, assignedToName: string | null, deadline: string, createdAt: string, version: number, events: Array<{ type: TicketEventType, to: string | null, actorId: string, actorName: string | null }>, customer: { name: string, phone: string | null, company: string | null } } };

export type ChatFindTicketsQueryVariables = Exact<{
  filter: TicketFilter;
  first: number;
}>;


export type ChatFindTicketsQuery = { tickets: { totalCount: number, edges: Array<{ node: { id: string, title: string, description: string, product: string | null, status: TicketStatus, priority: Priority, progress: number, assignedTo: string | null, assignedToName: string | null, deadline: string, createdAt: string, version: number, customer: { name: string, phone: string | null, company: string | null } } }> } };

export const ChatTicketFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChatTicket"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Ticket"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"product"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"priority"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"assignedTo"}},{"kind":"Field","name":{"kind":"Name","value":"assignedToName"}},{"kind":"Field","name":{"kind":"Name","value":"deadline"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"customer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"company"}}]}}]}}]} as unknown as DocumentNode<ChatTicketFragment, unknown>;
export const ChatCreateTicketDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ChatCreateTicket"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateTicketInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createTicket"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ChatTicket"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChatTicket"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Ticket"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"product"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"priority"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"assignedTo"}},{"kind":"Field","name":{"kind":"Name","value":"assignedToName"}},{"kind":"Field","name":{"kind":"Name","value":"deadline"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"customer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"company"}}]}}]}}]} as unknown as DocumentNode<ChatCreateTicketMutation, ChatCreateTicketMutationVariables>;
export const ChatAssignTicketDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ChatAssignTicket"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"assignee"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"note"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"expectedVersion"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"assignTicket"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"assignee"},"value":{"kind":"Variable","name":{"kind":"Name","value":"assignee"}}},{"kind":"Argument","name":{"kind":"Name","value":"note"},"value":{"kind":"Variable","name":{"kind":"Name","value":"note"}}},{"kind":"Argument","name":{"kind":"Name","value":"expectedVersion"},"value":{"kind":"Variable","name":{"kind":"Name","value":"expectedVersion"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ChatTicket"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChatTicket"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Ticket"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"product"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"priority"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"assignedTo"}},{"kind":"Field","name":{"kind":"Name","value":"assignedToName"}},{"kind":"Field","name":{"kind":"Name","value":"deadline"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"customer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"company"}}]}}]}}]} as unknown as DocumentNode<ChatAssignTicketMutation, ChatAssignTicketMutationVariables>;
export const ChatUpdateTicketStatusDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ChatUpdateTicketStatus"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"status"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"TicketStatus"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"note"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"progress"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateTicketStatus"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"status"},"value":{"kind":"Variable","name":{"kind":"Name","value":"status"}}},{"kind":"Argument","name":{"kind":"Name","value":"note"},"value":{"kind":"Variable","name":{"kind":"Name","value":"note"}}},{"kind":"Argument","name":{"kind":"Name","value":"progress"},"value":{"kind":"Variable","name":{"kind":"Name","value":"progress"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ChatTicket"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChatTicket"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Ticket"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"product"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"priority"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"assignedTo"}},{"kind":"Field","name":{"kind":"Name","value":"assignedToName"}},{"kind":"Field","name":{"kind":"Name","value":"deadline"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"customer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"company"}}]}}]}}]} as unknown as DocumentNode<ChatUpdateTicketStatusMutation, ChatUpdateTicketStatusMutationVariables>;
export const ChatAddCommentDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ChatAddComment"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"body"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"visibility"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CommentVisibility"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addTicketComment"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"body"},"value":{"kind":"Variable","name":{"kind":"Name","value":"body"}}},{"kind":"Argument","name":{"kind":"Name","value":"visibility"},"value":{"kind":"Variable","name":{"kind":"Name","value":"visibility"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ticketId"}},{"kind":"Field","name":{"kind":"Name","value":"visibility"}}]}}]}}]} as unknown as DocumentNode<ChatAddCommentMutation, ChatAddCommentMutationVariables>;
export const ChatTicketDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ChatTicket"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ticket"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ChatTicket"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChatTicket"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Ticket"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"product"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"priority"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"assignedTo"}},{"kind":"Field","name":{"kind":"Name","value":"assignedToName"}},{"kind":"Field","name":{"kind":"Name","value":"deadline"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"customer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"company"}}]}}]}}]} as unknown as DocumentNode<ChatTicketQuery, ChatTicketQueryVariables>;
export const ChatCardTicketDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ChatCardTicket"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ticket"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ChatTicket"}},{"kind":"Field","name":{"kind":"Name","value":"events"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"to"}},{"kind":"Field","name":{"kind":"Name","value":"actorId"}},{"kind":"Field","name":{"kind":"Name","value":"actorName"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChatTicket"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Ticket"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"product"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"priority"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"assignedTo"}},{"kind":"Field","name":{"kind":"Name","value":"assignedToName"}},{"kind":"Field","name":{"kind":"Name","value":"deadline"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"customer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"company"}}]}}]}}]} as unknown as DocumentNode<ChatCardTicketQuery, ChatCardTicketQueryVariables>;
export const ChatFindTicketsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ChatFindTickets"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"TicketFilter"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tickets"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ChatTicket"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChatTicket"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Ticket"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"product"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"priority"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"assignedTo"}},{"kind":"Field","name":{"kind":"Name","value":"assignedToName"}},{"kind":"Field","name":{"kind":"Name","value":"deadline"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"customer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"company"}}]}}]}}]} as unknown as DocumentNode<ChatFindTicketsQuery, ChatFindTicketsQueryVariables>;