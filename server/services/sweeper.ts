/**
 * Time-driven rules: auto-unmute, inactivity, removal of visitors who identified themselves but
 * never wrote, and of uploads never sent in a message. Driven by the database (conditional UPDATEs), so with several hub processes each
 * change happens once, whichever process runs it.
 */
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { autoUnmuteCutoff } from '../rules/mute.js';
import { CAN_GO_INACTIVE, expiryCutoff, inactiveCutoff } from '../rules/ticket-status.js';
import type { HubMetrics } from '../metrics.js';
import type { Store } from '../store/store.js';
import type { Assignment } from './assignment.js';
import type { Attachments } from './attachments.js';
import type { Publisher } from './publisher.js';
import { inboxFields } from './views.js';
import type { Webhooks } from './webhooks.js';

export interface SweepResult {
  unmuted: string[];
  inactive: string[];
  expired: string[];
  emptyVisitorsRemoved: number;
  emptyContactsRemoved: number;
  /** Queued conversations auto-assigned by this sweep. */
  assigned: string[];
  /** Conversations moved from agents offline longer than `reassignAfterMinutes`. */
  reassigned: string[];
  /** Uploads never sent in a message within a day, removed (rows and bytes). */
  attachmentsRemoved: number;
}

export class Sweeper {
  constructor(
    private readonly store: Store,
    private readonly publisher: Publisher,
    private readonly clock: Clock,
    private readonly config: Config,
    private readonly metrics: HubMetrics,
    private readonly assignment?: Assignment,
    private readonly webhooks?: Webhooks,
    private readonly attachments?: Attachments,
  ) {}

  async sweep(): Promise<SweepResult> {
    const now = this.clock.now();
    const unmuted = await this.store.conversations.unmuteExpired(autoUnmuteCutoff(now, this.config.muteHours));
    for (const before of unmuted) {
      const record = await this.store.conversations.get(before.id);
      if (record) await this.publisher.publish(record, before, { visitorUpdate: true });
    }
    const inactive = await this.store.conversations.markInactive(inactiveCutoff(now, this.config.inactiveHours), CAN_GO_INACTIVE);
    for (const { id, previous } of inactive) {
      const record = await this.store.conversations.get(id);
      if (record) await this.publisher.publish(record, { ...inboxFields(record), ticketStatus: previous });
    }
    const expired = await this.store.conversations.markExpired(expiryCutoff(now, this.config.expireHours));
    for (const id of expired) {
      const record = await this.store.conversations.get(id);
      // Before the sweep it was not expired: panels move it into the Expired view and count its messages there.
      if (record) await this.publisher.publish(record, { ...inboxFields(record), expired: false });
    }
    const emptyCutoff = new Date(now.getTime() - this.config.emptyVisitorDays * 86_400_000).toISOString();
    const emptyVisitorsRemoved = await this.store.visitors.deleteEmpty(emptyCutoff);
    // A person whose last session went and about whom nothing was written goes too.
    const removedContacts = await this.store.contacts.deleteOrphans(emptyCutoff);
    const emptyContactsRemoved = removedContacts.length;
    await this.webhooks?.contactDeleted(removedContacts, 'empty');
    const { assigned, reassigned } = this.assignment ? await this.assignment.sweep() : { assigned: [], reassigned: [] };
    const attachmentsRemoved = (await this.attachments?.sweep()) ?? 0;
    await this.store.inbox.totals.prune();
    this.metrics.sweep({
      unmuted: unmuted.length,
      inactive: inactive.length,
      expired: expired.length,
      empty_visitors: emptyVisitorsRemoved,
      empty_contacts: emptyContactsRemoved,
      assigned: assigned.length,
      reassigned: reassigned.length,
      unsent_attachments: attachmentsRemoved,
    });
    return {
      unmuted: unmuted.map((r) => r.id),
      inactive: inactive.map((r) => r.id),
      expired,
      emptyVisitorsRemoved,
      emptyContactsRemoved,
      assigned,
      reassigned,
      attachmentsRemoved,
    };
  }
}
