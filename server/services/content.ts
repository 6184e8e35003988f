/**
 * What admins curate for the bot — FAQs, quick replies, bot settings — and the sites list. Every
 * change invalidates the bot's cached snapshot (other hubs reload within its max age).
 */
import type { BotSettings, FaqImportResult, FaqInput, QuickReplyInput } from '../../protocol/api.js';
import type { Faq, QuickReply, Settings, Site } from '../../protocol/types.js';
import type { Clock } from '../clock.js';
import { HubError, badRequest, notFound } from '../errors.js';
import { DEFAULT_SETTINGS } from '../rules/bot.js';
import type { FaqMatch } from '../rules/faq-matcher.js';
import { isValidTimeZone } from '../rules/time-windows.js';
import type { Store } from '../store/store.js';
import type { Assignment } from './assignment.js';
import type { BotService } from './bot-service.js';
import { SAMPLE_FAQ_CSV, faqsToCsv, parseFaqCsv } from './faq-csv.js';

/** Which FAQ the settings screen's greeting is (settings key → `{ id }`). */
const GREETING_KEY = 'greeting-faq';
/** What a greeting FAQ created from the settings screen answers to. */
const GREETING_QUESTIONS = ['hello', 'hi', 'hey', 'good morning', 'good evening'];
const SETTING_LABELS = { botName: 'The bot name', fallbackText: 'The fallback text', handoffText: 'The handoff text', greeting: 'The greeting' } as const;

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

  /** The "test FAQ" box: what the live matcher finds for this text, and whether that clears the live threshold. */
  async testFaq(text: string): Promise<{ match: FaqMatch | null; threshold: number; wouldAnswer: boolean }> {
    this.bot.invalidate();
    const { matcher, settings } = await this.bot.current();
    const match = matcher.match(text);
    return { match, threshold: settings.faqThreshold, wouldAnswer: match !== null && match.score >= settings.faqThreshold };
  }

  /** An example file in the import format (GET /api/faqs/sample.csv). */
  sampleFaqCsv(): string {
    return SAMPLE_FAQ_CSV;
  }

  listQuickReplies(): Promise<QuickReply[]> {
    return this.store.content.listQuickReplies();
  }

  async saveQuickReply(id: string | null, input: QuickReplyInput): Promise<QuickReply> {
    if (!isValidTimeZone(input.timezone)) throw new HubError('bad_request', `Unknown time zone "${input.timezone}"`, 'timezone');
    if (id && !(await this.store.content.getQuickReply(id))) throw notFound('Quick reply');
    const saved = await this.store.content.saveQuickReply(id, input, this.#now());
    this.bot.invalidate();
    return saved;
  }

  async deleteQuickReply(id: string): Promise<void> {
    if (!(await this.store.content.deleteQuickReply(id))) throw notFound('Quick reply');
    this.bot.invalidate();
  }

  /** The bot's settings and its greeting (the greeting FAQ's answer, see `BotSettings`). */
  async settings(): Promise<BotSettings> {
    const [settings, greeting] = await Promise.all([this.store.settings.bot(DEFAULT_SETTINGS), this.#greetingFaq()]);
    return { ...settings, greeting: greeting?.answer ?? '' };
  }

  async updateSettings(changes: Partial<BotSettings>): Promise<BotSettings> {
    const { greeting, ...botChanges } = changes;
    for (const field of ['botName', 'fallbackText', 'handoffText', 'greeting'] as const) {
      if (changes[field] !== undefined && changes[field].trim() === '') throw badRequest(`${SETTING_LABELS[field]} can't be blank`, field);
    }
    const next: Settings = { ...(await this.store.settings.bot(DEFAULT_SETTINGS)), ...botChanges };
    if (botChanges.responderPriority) next.responderPriority = [...new Set(botChanges.responderPriority)];
    await this.store.settings.put('bot', next);
    if (greeting !== undefined) await this.#saveGreeting(greeting.trim());
    this.bot.invalidate();
    // Auto-assignment turned on or changed: the queue may go to whoever is online now.
    if (changes.assignment !== undefined && next.assignment !== 'off') await this.assignment?.drain().catch(() => undefined);
    return this.settings();
  }

  /** The greeting FAQ: the one the settings screen last saved while it is an active greeting, else the first active greeting. */
  async #greetingFaq(): Promise<Faq | null> {
    const [pointer, faqs] = await Promise.all([this.store.settings.get<{ id: string }>(GREETING_KEY), this.store.content.listFaqs(false)]);
    const greetings = faqs.filter((f) => f.type === 'greeting');
    return greetings.find((f) => f.id === pointer?.id) ?? greetings[0] ?? null;
  }

  async #saveGreeting(answer: string): Promise<void> {
    const current = await this.#greetingFaq();
    if (current?.answer === answer) return;
    const input = current
      ? { type: current.type, questions: current.questions, answer, archived: false }
      : { type: 'greeting' as const, questions: GREETING_QUESTIONS, answer };
    const saved = await this.store.content.saveFaq(current?.id ?? null, input, this.#now());
    await this.store.settings.put(GREETING_KEY, { id: saved.id });
  }

  async sites(): Promise<Site[]> {
    const sites = await this.store.settings.listSites();
    return sites.map((s) => ({ id: s.id, name: s.name, allowedOrigins: JSON.parse(s.allowed_origins) as string[] }));
  }
}
