import { Field, ID, ObjectType } from 'type-graphql';
import type { CustomerRecord } from '../domain/records.js';
import { Connection } from './connection.type.js';
import { bilingual } from './bilingual.js';

@ObjectType('Customer', {
  simpleResolvers: true,
  description: bilingual('客户：报告问题的人，按手机号识别。', 'A customer: the person who reports problems, known by their phone number.'),
})
export class CustomerNode {
  @Field(() => ID, { description: bilingual('客户编号。', 'The customer\'s id.') })
  id!: string;

  @Field({ description: bilingual('客户姓名。', 'The customer\'s name.') })
  name!: string;

  @Field(() => String, { nullable: true, description: bilingual('中国大陆手机号，11 位数字。', 'Mainland mobile number, 11 digits.') })
  phone!: string | null;

  @Field(() => String, { nullable: true, description: bilingual('所在公司。', 'The customer\'s company.') })
  company!: string | null;

  @Field({ description: bilingual('首次登记的时间。', 'When the customer was first recorded.') })
  createdAt!: Date;

  @Field({ description: bilingual('资料最近一次修改的时间。', 'When their details last changed.') })
  updatedAt!: Date;

  static from(customer: CustomerRecord): CustomerNode {
    const { name, phone, company, createdAt, updatedAt } = customer;
    return Object.assign(new CustomerNode(), { id: String(customer.id), name, phone, company, createdAt, updatedAt });
  }
}

@ObjectType('CustomerConnection', { simpleResolvers: true, description: bilingual('一页客户，最新的在前。', 'A page of customers, newest first.') })
export class CustomerConnection extends Connection('Customer', CustomerNode, { zh: '客户', en: 'customer' }) {}
