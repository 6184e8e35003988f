/**
 * The hub's one query layer over Kysely: the same code runs on SQLite and PostgreSQL. One repository
 * per table group; services (server/services/) are its only callers, never routes or socket handlers.
 */
import type { Kysely, Transaction } from 'kysely';
import { AgentsRepo } from './agents-repo.js';
import { ApiTokensRepo } from './api-tokens-repo.js';
import { AssignmentRepo } from './assignment-repo.js';
import { AttachmentsRepo } from './attachments-repo.js';
import { ContactsRepo } from './contacts-repo.js';
import { ContentRepo } from './content-repo.js';
import type { Db } from './base.js';
import { GroupCommit } from './group-commit.js';
import { EmailRepo } from './email-repo.js';
import { ConversationsRepo } from './conversations-repo.js';
import { InboxQueries } from './inbox-queries.js';
import { MessagesRepo } from './messages-repo.js';
import { MessageWrites } from './message-writes.js';
import type { Dialect } from './migrations.js';
import type { Database } from './schema.js';
import { SettingsRepo } from './settings-repo.js';
import { TeamRepo } from './team-repo.js';
import { VisitorsRepo } from './visitors-repo.js';
import { WebhooksRepo } from './webhooks-repo.js';

export type { ApiTokenRow } from './api-tokens-repo.js';
export type { Viewer } from './base.js';
export type { ContactSearch, SignedFields } from './contacts-repo.js';
export type { ListOptions } from './inbox-queries.js';
export type { NewMessage } from './messages-repo.js';

export class Store {
  readonly settings: SettingsRepo;
  readonly visitors: VisitorsRepo;
  readonly contacts: ContactsRepo;
  readonly conversations: ConversationsRepo;
  readonly inbox: InboxQueries;
  readonly messages: MessagesRepo;
  /** The message path's writes (one round trip each on PostgreSQL). */
  readonly messageWrites: MessageWrites;
  readonly agents: AgentsRepo;
  readonly content: ContentRepo;
  readonly team: TeamRepo;
  readonly assignment: AssignmentRepo;
  readonly webhooks: WebhooksRepo;
  readonly #groupCommit: GroupCommit;
  readonly apiTokens: ApiTokensRepo;
  readonly email: EmailRepo;
  readonly attachments: AttachmentsRepo;

  constructor(
    readonly db: Kysely<Database>,
    readonly dialect: Dialect,
  ) {
    this.settings = new SettingsRepo(db);
    this.visitors = new VisitorsRepo(db, dialect);
    this.contacts = new ContactsRepo(db, dialect);
    this.conversations = new ConversationsRepo(db, dialect);
    this.inbox = new InboxQueries(db, dialect);
    this.messages = new MessagesRepo(db);
    this.messageWrites = new MessageWrites(dialect, this.visitors, this.contacts, this.conversations, this.messages);
    this.agents = new AgentsRepo(db);
    this.content = new ContentRepo(db);
    this.team = new TeamRepo(db);
    this.assignment = new AssignmentRepo(db, dialect);
    this.webhooks = new WebhooksRepo(db, dialect);
    this.#groupCommit = new GroupCommit(db, dialect);
    this.apiTokens = new ApiTokensRepo(db);
    this.email = new EmailRepo(db, dialect);
    this.attachments = new AttachmentsRepo(db, dialect);
  }

  transaction<T>(work: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  /**
   * A transaction shared with the writes that arrive in the same event-loop turn (store/group-commit.ts): for the
   * message path. Resolves after the commit. `key` (the contact) keeps one person's writes in one lane; `alone`: the
   * work may run outside a transaction when it is alone in its group (one statement; group-commit.ts).
   */
  grouped<T>(key: string, work: (db: Db) => Promise<T>, alone = false): Promise<T> {
    return this.#groupCommit.run(key, work, alone);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
