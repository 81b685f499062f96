/**
 * The baselines: the same HTTP stack (express + Apollo + type-graphql) with none of the product,
 * one resolver doing a single INSERT and one doing a single SELECT by primary key.
 */
import 'reflect-metadata';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import pg from 'pg';
import { Arg, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, buildSchema } from 'type-graphql';

@ObjectType('Ticket')
class BareTicket {
  @Field(() => ID) id!: string;
  @Field() title!: string;
  @Field() status!: string;
  @Field() priority!: string;
  @Field(() => Int) progress!: number;
  @Field() deadline!: Date;
}

@InputType('CreateTicketInput')
class BareTicketInput {
  @Field(() => String, { nullable: true }) customerName?: string;
  @Field(() => String, { nullable: true }) customerPhone?: string;
  @Field() description!: string;
}

const TABLE = `create table if not exists bare_tickets (
  id serial primary key, title varchar(200) not null, description text not null,
  status varchar(20) not null default 'PENDING', priority varchar(20) not null default 'NORMAL',
  progress smallint not null default 0, deadline timestamptz not null)`;

export async function startBaselineServer(databaseUrl: string, poolMax: number): Promise<{ url: string; close(): Promise<void> }> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolMax });
  await pool.query(TABLE);
  const toTicket = (row: Record<string, unknown>) => Object.assign(new BareTicket(), { ...row, id: String(row['id']) });

  @Resolver()
  class BareResolver {
    @Query(() => BareTicket)
    async ticket(@Arg('id', () => ID) id: string): Promise<BareTicket> {
      const { rows } = await pool.query('select id, title, status, priority, progress, deadline from bare_tickets where id = $1', [Number(id)]);
      return toTicket(rows[0]);
    }

    @Mutation(() => BareTicket)
    async createTicket(@Arg('input', () => BareTicketInput) input: BareTicketInput): Promise<BareTicket> {
      const { rows } = await pool.query(
        `insert into bare_tickets (title, description, deadline) values ($1, $2, now() + interval '24 hours')
         returning id, title, status, priority, progress, deadline`,
        [input.description.slice(0, 40), input.description],
      );
      return toTicket(rows[0]);
    }
  }

  const schema = await buildSchema({ resolvers: [BareResolver], validate: false });
  const app = express();
  const server = createServer(app);
  const apollo = new ApolloServer({ schema });
  await apollo.start();
  app.use('/graphql', express.json(), expressMiddleware(apollo));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    close: async () => {
      await apollo.stop();
      server.close();
      await pool.end();
    },
  };
}
