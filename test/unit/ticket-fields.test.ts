import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { recordKeysFor } from '../../src/graphql/ticket.type.js';

describe('the record fields a Ticket selection needs', () => {
  it('maps fields to their namesakes and computed fields to their sources', () => {
    expect(recordKeysFor(['title', 'status', 'overdue', 'customer', 'events', '__typename']).sort()).toEqual(['customerId', 'deadline', 'status', 'title']);
  });

  it('ignores fields that are not stored', () => {
    expect(recordKeysFor(['reminders', 'unknown'])).toEqual([]);
  });
});
