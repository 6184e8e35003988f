/** The data step of the contacts migration (migrations.ts): a contact for every visitor stored before it. */
import type { Kysely } from 'kysely';
import type { UserData } from '../../protocol/types.js';
import type { Database } from './schema.js';

/**
 * Every existing visitor becomes a contact (the contact keeps the visitor's id). Visitors whose
 * user_id the site had signed (user_hash) on the same site are one person: they share the contact of
 * the first one seen. Typed emails never join anyone. Batched, so a large table doesn't sit in memory.
 */
export async function backfillContacts(db: Kysely<Database>): Promise<void> {
  const bySignedUser = new Map<string, string>();
  const batch = 500;
  for (let offset = 0; ; offset += batch) {
    const visitors = await db.selectFrom('visitors').selectAll().orderBy('first_seen_at').orderBy('id').limit(batch).offset(offset).execute();
    if (visitors.length === 0) break;
    for (const visitor of visitors) {
      const userData = JSON.parse(visitor.user_data) as UserData;
      const userId = visitor.verified === 1 && userData.user_id ? userData.user_id : null;
      const key = userId ? `${visitor.site_id}\u0000${userId}` : null;
      const existing = key ? bySignedUser.get(key) : undefined;
      if (existing) {
        await db
          .updateTable('contacts')
          .set({ last_seen_at: visitor.last_seen_at, user_data: visitor.user_data })
          .where('id', '=', existing)
          .where('last_seen_at', '<', visitor.last_seen_at)
          .execute();
        await db.updateTable('visitors').set({ contact_id: existing }).where('id', '=', visitor.id).execute();
        continue;
      }
      await db
        .insertInto('contacts')
        .values({
          id: visitor.id,
          site_id: visitor.site_id,
          user_id: userId,
          signed_email: null,
          signed_name: null,
          user_data: visitor.user_data,
          name: visitor.name,
          email: visitor.email,
          phone: userData.phone_number ?? null,
          fields: '{}',
          default_assignee_id: null,
          default_visible_to: '[]',
          first_seen_at: visitor.first_seen_at,
          last_seen_at: visitor.last_seen_at,
        })
        .execute();
      await db.updateTable('visitors').set({ contact_id: visitor.id }).where('id', '=', visitor.id).execute();
      if (key) bySignedUser.set(key, visitor.id);
    }
  }
  await db
    .updateTable('conversations')
    .set((eb) => ({ contact_id: eb.selectFrom('visitors').select('visitors.contact_id').whereRef('visitors.id', '=', 'conversations.visitor_id') }))
    .execute();
}
