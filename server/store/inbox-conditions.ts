/**
 * The inbox filter's conditions in SQL, beside the list's state, search and the agent's visibility (inbox-queries.ts):
 * the views of protocol/inbox.ts `inInbox`, and each filter's, on a conversation `c` with its contact `k`.
 */
import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import { rangeEnd, rangeStart } from '../../protocol/inbox.js';
import { escapeLike, jsonItemPattern, type Viewer } from './base.js';
import type { Facet } from './facets-migration.js';
import type { ListOptions } from './inbox-queries.js';
import type { Dialect } from './migrations.js';
import type { ConversationsTable, Database } from './schema.js';

/** The filters that select few conversations (inbox-queries.ts `#fewOf`): the list starts from their rows. */
export interface Few {
  tag: boolean;
  contactTag: boolean;
  mine: boolean;
  language: boolean;
  botStatus: boolean;
  /** An agent's: the conversations they may see (migration 024's rows). */
  visible: boolean;
}

/** No filter starts from its rows. */
export const NONE_FEW: Few = { tag: false, contactTag: false, mine: false, language: false, botStatus: false, visible: false };

/** Whether any filter starts from its rows: the list's candidates are then few. */
export const startsFromRows = (few: Few): boolean => Object.values(few).some(Boolean);

/** The builder of a condition on a conversation `c`. */
export type ListedEb = ExpressionBuilder<Database & { c: ConversationsTable }, 'c'>;

export class InboxConditions {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /**
   * SQL condition: `column` is among what `rows` selects, for a filter that starts from its rows (`few`). SQLite's plan
   * follows inbox-queries.ts #candidates' `+`. PostgreSQL's planner, given `in`, may still read conversations in activity order and probe
   * the rows for each (an agent who may see 4,900 of 1,000,000, closed ones: 37,000 probes, 114 ms); made an array
   * first (`= any(array(…))`), the rows can only be read by key.
   */
  among(column: 'c.id' | 'c.contact_id', rows: Expression<unknown>) {
    return this.dialect === 'postgres' ? sql<SqlBool>`${sql.ref(column)} = any(array${rows})` : sql<SqlBool>`${sql.ref(column)} in ${rows}`;
  }

  /**
   * The conversations whose facet (migration 021) has the value; a language also matches its regional variants, as
   * protocol/inbox.ts `languageMatches` says (`en`: `en-GB`). The range from `en` up to `en.` holds `en` and every
   * `en-…` ('-' sorts right before '.'), so the index reads only those; the exact check then drops the rest (`en,`).
   */
  withFacet(facet: Facet, value: string) {
    const rows = this.db.selectFrom('conversation_facets as v').select('v.conversation_id').where('v.facet', '=', facet);
    if (facet !== 'language') return rows.where('v.value', '=', value);
    return rows
      .where('v.value', '>=', value)
      .where('v.value', '<', `${value}.`)
      .where((eb) => eb.or([eb('v.value', '=', value), eb('v.value', 'like', `${escapeLike(value)}-%`)]));
  }

  /**
   * The filter's conditions but its state, its search and the agent's visibility, in SQL: the views of
   * protocol/inbox.ts `inInbox`, and each filter's. `activity`: the last-activity column the date conditions read.
   */
  of(eb: ListedEb, viewer: Viewer, filter: ListOptions, few: Few, activity: Expression<string>): Expression<SqlBool>[] {
    const conditions: Expression<SqlBool>[] = [];
    const inbox = filter.inbox ?? 'all';
    // Many: the conversation's own columns are the cheapest check (a probe of the rows' index cost a third more).
    if (inbox === 'mine') {
      conditions.push(
        few.mine
          ? this.among('c.id', eb.selectFrom('conversation_agents as m').select('m.conversation_id').where('m.agent_id', '=', viewer.id))
          : eb.or([eb('c.holder_id', '=', viewer.id), eb('c.assignees', 'like', jsonItemPattern(viewer.id))]),
      );
    }
    if (inbox === 'unassigned') conditions.push(eb.and([eb('c.holder_id', 'is', null), eb('c.assignees', '=', '[]')]));
    if (inbox === 'outgoing') conditions.push(eb('c.outgoing', '=', 1));
    if (inbox === 'expired') conditions.push(eb('c.expired', '=', 1));
    if (inbox === 'new' || inbox === 'active' || inbox === 'pending' || inbox === 'inactive') {
      conditions.push(eb('c.outgoing', '=', 0), eb('c.ticket_status', '=', inbox));
    }
    if (!filter.includeOld && !filter.q) conditions.push(eb(activity, '>=', filter.retentionCutoff));
    if (filter.botStatus) {
      conditions.push(few.botStatus ? this.among('c.id', this.withFacet('bot_status', filter.botStatus)) : eb('c.bot_status', '=', filter.botStatus));
    }
    if (filter.ticketStatus) conditions.push(eb('c.ticket_status', '=', filter.ticketStatus));
    if (filter.channel) conditions.push(eb('c.channel', '=', filter.channel));
    if (filter.language) {
      conditions.push(
        few.language
          ? this.among('c.id', this.withFacet('language', filter.language))
          : eb.or([eb('c.language', '=', filter.language), eb('c.language', 'like', `${escapeLike(filter.language)}-%`)]),
      );
    }
    if (filter.tag) {
      conditions.push(
        few.tag
          ? this.among('c.id', eb.selectFrom('conversation_tags as g').select('g.conversation_id').where('g.tag', '=', filter.tag))
          : eb('c.tags', 'like', jsonItemPattern(filter.tag)),
      );
    }
    if (filter.contactId) conditions.push(eb('c.contact_id', '=', filter.contactId));
    if (filter.contactTag) {
      const tagged = eb.selectFrom('contact_tags as t').select('t.contact_id').where('t.tag', '=', filter.contactTag);
      conditions.push(few.contactTag ? this.among('c.contact_id', tagged) : eb.exists(tagged.whereRef('t.contact_id', '=', 'c.contact_id')));
    }
    if (filter.from) conditions.push(eb(activity, '>=', rangeStart(filter.from)));
    if (filter.to) conditions.push(eb(activity, '<', rangeEnd(filter.to)));
    return conditions;
  }
}
