/**
 * What admins curate for the bot — FAQs, quick replies, bot settings — and the sites list. Every
 * change invalidates the bot's cached snapshot (other hubs reload within its max age).
 */
import type { FaqImportResult, FaqInput, QuickReplyInput } from '../../protocol/api.js';
import type { Faq, QuickReply, Settings, Site } from '../../protocol/types.js';
import type { Clock } from '../clock.js';
import { HubError, notFound } from '../errors.js';
import { DEFAULT_SETTINGS } from '../rules/bot.js';
import type { FaqMatch } from '../rules/faq-matcher.js';
import { isValidTimeZone } from '../rules/time-windows.js';
import type { Store } from '../store/store.js';
import type { Assignment } from './assignment.js';
import type { BotService } from './bot-service.js';
import { faqsToCsv, parseFaqCsv } from './faq-csv.js';

export class Content {
  constructor(
    private readonly store: Store,
    private readonly bot: BotService,
    private readonly clock: Clock,
    private readonly assignment?: Assignment,
  ) {}

  #now(): string {
    return this.clock.now().toISOString();
  }

  async listFaqs(archived?: boolean): Promise<Faq[]> {
    const items = await this.store.content.listFaqs(true);
    return archived === undefined ? items : items.filter((f) => f.archived === archived);
  }

  async saveFaq(id: string | null, input: FaqInput): Promise<Faq> {
    if (id && !(await this.store.content.getFaq(id))) throw notFound('FAQ');
    const faq = await this.store.content.saveFaq(id, input, this.#now());
    this.bot.invalidate();
    return faq;
  }

  async deleteFaq(id: string): Promise<void> {
    if (!(await this.store.content.deleteFaq(id))) throw notFound('FAQ');
    this.bot.invalidate();
  }

  async exportFaqs(): Promise<string> {
    return faqsToCsv(await this.store.content.listFaqs(false));
  }

  /** Imports every valid line in one transaction; invalid lines are reported, not imported. */
  async importFaqs(csv: string): Promise<FaqImportResult> {
    const { faqs, errors } = parseFaqCsv(csv);
    if (faqs.length > 0) {
      const at = this.#now();
      await this.store.transaction(async (tx) => {
        for (const input of faqs) await this.store.content.saveFaq(null, input, at, tx);
      });
      this.bot.invalidate();
    }
    return { imported: faqs.length, errors };
  }

  /** The "test FAQ" box: what the live matcher finds for this text. */
  async testFaq(text: string): Promise<{ match: FaqMatch | null }> {
    this.bot.invalidate();
    const { matcher } = await this.bot.current();
    return { match: matcher.match(text) };
  }

  listQuickReplies(): Promise<QuickReply[]> {
    return this.store.content.listQuickReplies();
  }

  async saveQuickReply(id: string | null, input: QuickReplyInput): Promise<QuickReply> {
    if (!isValidTimeZone(input.timezone)) throw new HubError('bad_request', `Unknown time zone "${input.timezone}"`);
    if (id && !(await this.store.content.getQuickReply(id))) throw notFound('Quick reply');
    const saved = await this.store.content.saveQuickReply(id, input, this.#now());
    this.bot.invalidate();
    return saved;
  }

  async deleteQuickReply(id: string): Promise<void> {
    if (!(await this.store.content.deleteQuickReply(id))) throw notFound('Quick reply');
    this.bot.invalidate();
  }

  settings(): Promise<Settings> {
    return this.store.settings.bot(DEFAULT_SETTINGS);
  }

  async updateSettings(changes: Partial<Settings>): Promise<Settings> {
    const next = { ...(await this.settings()), ...changes };
    if (changes.responderPriority) next.responderPriority = [...new Set(changes.responderPriority)];
    await this.store.settings.put('bot', next);
    this.bot.invalidate();
    // Auto-assignment turned on or changed: the queue may go to whoever is online now.
    if (changes.assignment !== undefined && next.assignment !== 'off') await this.assignment?.drain().catch(() => undefined);
    return next;
  }

  async sites(): Promise<Site[]> {
    const sites = await this.store.settings.listSites();
    return sites.map((s) => ({ id: s.id, name: s.name, allowedOrigins: JSON.parse(s.allowed_origins) as string[] }));
  }
}
