import { Field, ID, ObjectType } from 'type-graphql';
import type { CustomerRecord } from '../domain/records.js';
import { Connection } from './connection.type.js';

@ObjectType('Customer', { simpleResolvers: true, description: '客户' })
export class CustomerNode {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true, description: 'Mainland mobile number, 11 digits.' })
  phone!: string | null;

  @Field(() => String, { nullable: true })
  company!: string | null;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;

  static from(customer: CustomerRecord): CustomerNode {
    const { name, phone, company, createdAt, updatedAt } = customer;
    return Object.assign(new CustomerNode(), { id: String(customer.id), name, phone, company, createdAt, updatedAt });
  }
}

@ObjectType('CustomerConnection', { simpleResolvers: true })
export class CustomerConnection extends Connection('Customer', CustomerNode, { zh: '客户', en: 'customer' }) {}
