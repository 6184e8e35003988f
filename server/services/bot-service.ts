/**
 * Keeps the bot's inputs (FAQ index, quick replies, settings) in memory and rebuilds them when an
 * admin changes them. Other hub processes pick changes up within `maxAgeMs`.
 */
import type { QuickReply, Settings } from '../../protocol/types.js';
import { type BotReply, DEFAULT_SETTINGS, decideReply } from '../rules/bot.js';
import { FaqMatcher } from '../rules/faq-matcher.js';
import { type VisitorValues, hasPlaceholders, personalise } from '../rules/personalise.js';
import type { Store } from '../store/store.js';

interface Snapshot {
  matcher: FaqMatcher;
  quickReplies: QuickReply[];
  settings: Settings;
  loadedAt: number;
}

export class BotService {
  #snapshot: Promise<Snapshot> | null = null;

  constructor(
    private readonly store: Store,
    private readonly maxAgeMs = 10_000,
  ) {}

  /** Call after any FAQ, quick reply or settings change. */
  invalidate(): void {
    this.#snapshot = null;
  }

  async current(): Promise<Snapshot> {
    const snapshot = this.#snapshot ? await this.#snapshot : null;
    if (snapshot && Date.now() - snapshot.loadedAt < this.maxAgeMs) return snapshot;
    this.#snapshot = this.#load();
    return this.#snapshot;
  }

  async #load(): Promise<Snapshot> {
    const [faqs, quickReplies, settings] = await Promise.all([
      this.store.content.listFaqs(false),
      this.store.content.listQuickReplies(),
      this.store.settings.bot(DEFAULT_SETTINGS),
    ]);
    return { matcher: new FaqMatcher(faqs), quickReplies, settings, loadedAt: Date.now() };
  }

  /**
   * The bot's answer to `text`, personalised with the visitor's data (rules/personalise.ts). `visitor` is asked
   * only when the answer uses a placeholder, so most answers cost no extra read.
   */
  async reply(text: string, now: Date, visitor: () => Promise<VisitorValues> = async () => ({})): Promise<BotReply & { botName: string }> {
    const { matcher, quickReplies, settings } = await this.current();
    const reply = decideReply(text, { matcher, quickReplies, settings, now });
    const answer = hasPlaceholders(reply.text) ? personalise(reply.text, await visitor()) : reply.text;
    return { ...reply, text: answer, botName: settings.botName };
  }
}
