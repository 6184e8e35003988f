/**
 * Which person a widget session belongs to. Sessions join a contact only on the site's word:
 * - the same signed user_id (identity JWT or user_hash) → the same contact, on any device;
 * - a signed email (identity JWT) → the contact with that signed email, if it isn't someone else's account;
 * - an email or name the visitor typed never joins anyone: that would hand a stranger someone's history.
 * An anonymous session is its own contact; when the page identifies it, that contact (its conversations
 * included) merges into the identified one, since it was the same person all along.
 */
import type { UserData } from '../../protocol/types.js';
import { type SignedIdentity, signedIdentity } from '../auth.js';
import { isUniqueViolation } from '../store/base.js';
import { identityColumns } from '../store/contacts-repo.js';
import type { ContactsTable, SitesTable, VisitorsTable } from '../store/schema.js';
import type { Store } from '../store/store.js';
import type { Webhooks } from './webhooks.js';

export interface Settled {
  visitor: VisitorsTable;
  /** The session changed person: its tabs must follow (rooms), agents must see the new name. */
  moved: { from: string | null; to: string } | null;
  /** An anonymous contact merged into the identified one: these conversations changed contact. */
  merged: string | null;
}

const hasIdentity = (userData: UserData | undefined): userData is UserData =>
  userData !== undefined &&
  Object.entries(userData).some(([key, value]) => key !== 'user_hash' && key !== 'user_jwt' && typeof value === 'string' && value.trim() !== '');

export class ContactIdentity {
  /** @param webhooks told of contacts created, changed and merged away (after each change). */
  constructor(
    private readonly store: Store,
    private readonly webhooks?: Webhooks,
  ) {}

  /** The page's data changed the contact's identity columns: store them, and tell webhooks if anything changed. */
  async #updateIdentity(row: ContactsTable, userData: UserData, signed: SignedIdentity): Promise<void> {
    const next: Partial<ContactsTable> = { ...identityColumns(userData, signed), ...(signed.userId ? { user_id: signed.userId } : {}) };
    await this.store.contacts.updateIdentity(row.id, userData, signed);
    const changed = Object.entries(next).some(([key, value]) => row[key as keyof ContactsTable] !== value);
    if (changed) await this.webhooks?.contactChanged('contact.updated', [row.id]);
  }

  async #create(input: Parameters<Store['contacts']['create']>[0]): Promise<ContactsTable> {
    const row = await this.store.contacts.create(input);
    await this.webhooks?.contactChanged('contact.created', [row.id]);
    return row;
  }

  verify(site: SitesTable, userData: UserData | undefined): SignedIdentity {
    return signedIdentity(userData, site.identity_secret);
  }

  /**
   * Settles the session's contact after the page sent `userData` (or nothing). Rows are written only
   * when the session exists already, the page identifies the visitor, or `create` (they sent something).
   */
  async settle(
    site: SitesTable,
    visitorId: string,
    userData: UserData | undefined,
    options: { create: boolean; language: string; now: string },
  ): Promise<Settled | null> {
    const signed = this.verify(site, userData);
    let row = await this.store.visitors.get(visitorId);
    if (!row) {
      // A signed identity alone (a `user_jwt` and nothing else) identifies the visitor too.
      if (!options.create && !hasIdentity(userData) && signed.userId === null) return null;
      return this.#newSession(site, visitorId, userData ?? {}, signed, options);
    }
    if (userData) {
      await this.store.visitors.updateData(row.id, userData, signed.userId !== null);
      row = { ...row, verified: signed.userId !== null ? 1 : 0 };
    }
    const current = row.contact_id ? await this.store.contacts.get(row.contact_id) : undefined;
    if (!current) {
      // Its contact was erased while a tab stayed open: start over as a new person.
      const contact = await this.#findOrCreate(site, userData ?? {}, signed, options.now);
      await this.store.contacts.moveSession(row.id, contact.id);
      return { visitor: { ...row, contact_id: contact.id }, moved: { from: row.contact_id, to: contact.id }, merged: null };
    }
    if (!userData) return { visitor: row, moved: null, merged: null };
    if (signed.userId === null || signed.userId === current.user_id) {
      if (signed.userId === null && current.user_id !== null && userData.user_id && userData.user_id !== current.user_id) {
        // The page now speaks, unsigned, for another user id: this browser is no longer that person.
        const contact = await this.#create({ siteId: site.id, userData, signed, now: options.now });
        await this.store.contacts.moveSession(row.id, contact.id);
        return { visitor: { ...row, contact_id: contact.id }, moved: { from: current.id, to: contact.id }, merged: null };
      }
      await this.#updateIdentity(current, userData, keepSigned(current, signed));
      return { visitor: row, moved: null, merged: null };
    }
    const target = await this.#find(site, signed);
    if (target && target.id !== current.id) {
      await this.#updateIdentity(target, userData, keepSigned(target, signed));
      if (current.user_id === null) {
        // The anonymous visitor signed in: everything they did so far is this person's.
        await this.store.contacts.merge(target.id, current.id, {});
        await this.webhooks?.contactDeleted([{ id: current.id, siteId: current.site_id }], 'merged', target.id);
        await this.webhooks?.contactChanged('contact.updated', [target.id]);
        return { visitor: { ...row, contact_id: target.id }, moved: { from: current.id, to: target.id }, merged: current.id };
      }
      await this.store.contacts.moveSession(row.id, target.id);
      return { visitor: { ...row, contact_id: target.id }, moved: { from: current.id, to: target.id }, merged: null };
    }
    if (current.user_id === null) {
      // First identification of this person: the anonymous contact becomes them.
      await this.#updateIdentity(current, userData, signed);
      return { visitor: row, moved: null, merged: null };
    }
    // Signed in as someone else on this browser: a new person, the old one keeps their conversations.
    const contact = await this.#findOrCreate(site, userData, signed, options.now);
    await this.store.contacts.moveSession(row.id, contact.id);
    return { visitor: { ...row, contact_id: contact.id }, moved: { from: current.id, to: contact.id }, merged: null };
  }

  async #newSession(
    site: SitesTable,
    visitorId: string,
    userData: UserData,
    signed: SignedIdentity,
    options: { language: string; now: string },
  ): Promise<Settled> {
    const contact = await this.#findOrCreate(site, userData, signed, options.now);
    try {
      const visitor = await this.store.visitors.create({
        id: visitorId,
        siteId: site.id,
        contactId: contact.id,
        userData,
        verified: signed.userId !== null,
        language: options.language,
        now: options.now,
      });
      return { visitor, moved: { from: null, to: contact.id }, merged: null };
    } catch (error) {
      // Two tabs of this session wrote first at once: the other one created it.
      const created = await this.store.visitors.get(visitorId);
      if (created) {
        if (created.contact_id !== contact.id) await this.webhooks?.contactDeleted(await this.store.contacts.deleteOrphans(options.now, contact.id), 'empty');
        return { visitor: created, moved: null, merged: null };
      }
      throw error;
    }
  }

  /** The signed person's contact: by user id, else by signed email unless that is another account. */
  async #find(site: SitesTable, signed: SignedIdentity): Promise<ContactsTable | undefined> {
    if (!signed.userId) return undefined;
    const byId = await this.store.contacts.byUserId(site.id, signed.userId);
    if (byId || !signed.email) return byId;
    const byEmail = await this.store.contacts.bySignedEmail(site.id, signed.email);
    return byEmail && (byEmail.user_id === null || byEmail.user_id === signed.userId) ? byEmail : undefined;
  }

  async #findOrCreate(site: SitesTable, userData: UserData, signed: SignedIdentity, now: string): Promise<ContactsTable> {
    const found = await this.#find(site, signed);
    if (found) {
      await this.#updateIdentity(found, userData, keepSigned(found, signed));
      return found;
    }
    try {
      return await this.#create({ siteId: site.id, userData, signed, now });
    } catch (error) {
      // The same person's other device created the contact at the same moment (unique site + user_id).
      const raced = isUniqueViolation(error) ? await this.#find(site, signed) : undefined;
      if (raced) return raced;
      throw error;
    }
  }
}

/** A new token may omit a claim an earlier one signed: what was signed for this user stays signed. */
function keepSigned(contact: ContactsTable, signed: SignedIdentity): SignedIdentity {
  const same = signed.userId === null || signed.userId === contact.user_id;
  if (!same) return signed;
  return { userId: contact.user_id, email: signed.email ?? contact.signed_email, name: signed.name ?? contact.signed_name };
}
