/** What the bot answers from: FAQs and quick replies. */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { FaqInput, QuickReplyInput } from '../../protocol/api.js';
import type { Faq, QuickReply } from '../../protocol/types.js';
import type { Db } from './base.js';
import { toFaq, toQuickReply } from './mappers.js';
import type { Database } from './schema.js';

export class ContentRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async listFaqs(includeArchived = true): Promise<Faq[]> {
    let query = this.db.selectFrom('faqs').selectAll().orderBy('type').orderBy('updated_at');
    if (!includeArchived) query = query.where('archived', '=', 0);
    return (await query.execute()).map(toFaq);
  }

  async getFaq(id: string): Promise<Faq | undefined> {
    const row = await this.db.selectFrom('faqs').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toFaq(row) : undefined;
  }

  async saveFaq(id: string | null, input: FaqInput, now: string, db: Db = this.db): Promise<Faq> {
    const row = {
      id: id ?? randomUUID(),
      type: input.type,
      questions: JSON.stringify(input.questions),
      answer: input.answer,
      archived: input.archived ? 1 : 0,
      updated_at: now,
    };
    if (id) await db.updateTable('faqs').set(row).where('id', '=', id).execute();
    else await db.insertInto('faqs').values(row).execute();
    return toFaq(row);
  }

  async deleteFaq(id: string): Promise<boolean> {
    return Number((await this.db.deleteFrom('faqs').where('id', '=', id).executeTakeFirst()).numDeletedRows) > 0;
  }

  async listQuickReplies(): Promise<QuickReply[]> {
    return (await this.db.selectFrom('quick_replies').selectAll().orderBy('name').execute()).map(toQuickReply);
  }

  async getQuickReply(id: string): Promise<QuickReply | undefined> {
    const row = await this.db.selectFrom('quick_replies').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toQuickReply(row) : undefined;
  }

  async saveQuickReply(id: string | null, input: QuickReplyInput, now: string): Promise<QuickReply> {
    const row = {
      id: id ?? randomUUID(),
      name: input.name,
      text: input.text,
      choices: JSON.stringify(input.choices ?? []),
      timezone: input.timezone,
      windows: JSON.stringify(input.windows),
      enabled: input.enabled === false ? 0 : 1,
      updated_at: now,
    };
    if (id) await this.db.updateTable('quick_replies').set(row).where('id', '=', id).execute();
    else await this.db.insertInto('quick_replies').values(row).execute();
    return toQuickReply(row);
  }

  async deleteQuickReply(id: string): Promise<boolean> {
    return Number((await this.db.deleteFrom('quick_replies').where('id', '=', id).executeTakeFirst()).numDeletedRows) > 0;
  }
}
