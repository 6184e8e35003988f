/**
 * AI assist for agents (protocol/assist.ts): a conversation's summary, reply suggestions, voice-note transcription,
 * and the admin's switches for them (settings key `assist`).
 *
 * Without a provider everything but transcription still works, from the hub's own data:
 * - suggestions come from the FAQ answers (rules/faq-matcher.ts), the quick replies, and the team's past answers to
 *   similar questions (rules/past-answers.ts: an in-memory MiniSearch index of the latest `indexLimit` exchanges,
 *   caught up incrementally from the messages table, at most once per `indexCatchUpMs`); a past answer is offered only
 *   from a conversation that still exists and that the agent may see;
 * - the summary is extractive (rules/summarise.ts).
 * With a provider (AI_BASE_URL + AI_MODEL) the summary is the provider's and its suggestions are merged with the
 * retrieved ones; when it fails the built-in answers are given and `providerReachable` turns false.
 *
 * Caches, per hub and in memory (bounded, least recently used out): the summary per conversation, valid while its
 * last message id and status are the same; the suggestions per conversation, agent and last message id (what was
 * shown, so that a refresh can vary; per agent because past answers follow what each agent may see); voice notes'
 * transcripts per attachment (the same for every agent who may read the file; the route checks that first).
 *
 * Privacy: the provider receives the messages' author role and text only (rules/suggestions.ts
 * `transcriptForProvider`): no names, contact fields, emails (addresses in the text are masked) or notes.
 */
import type { AssistSettings, AssistStatus, ConversationDigest, Suggestion, SuggestionList } from '../../protocol/assist.js';
import type { Transcription } from '../../protocol/attachments.js';
import type { Message, UserData } from '../../protocol/types.js';
import type { Clock } from '../clock.js';
import { HubError, badRequest } from '../errors.js';
import type { Actor } from '../rules/handoff.js';
import { ExchangeCollector, PastAnswers, depersonalise } from '../rules/past-answers.js';
import { type VisitorValues, hasPlaceholders, personalise, visitorValues } from '../rules/personalise.js';
import {
  type Candidate,
  parseSuggestions,
  parseSummary,
  pickSuggestions,
  suggestionsPrompt,
  summaryPrompt,
  transcriptForProvider,
} from '../rules/suggestions.js';
import { type SummaryStatus, summarise, statusLine } from '../rules/summarise.js';
import { terms } from '../rules/text-similarity.js';
import { canSee } from '../rules/visibility.js';
import { latestQuestion } from '../rules/latest-question.js';
import { isWithinWindows } from '../rules/time-windows.js';
import { json } from '../store/mappers.js';
import type { ContactsTable } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { visibleConversation } from './access.js';
import type { AiProvider } from './ai-provider.js';
import { ProviderError } from './ai-provider.js';
import type { StoredAudio } from './attachments.js';
import type { BotService } from './bot-service.js';
import { Lru } from './lru.js';
import type { Views } from './views.js';

export const ASSIST_DEFAULTS: AssistSettings = { summary: true, suggestions: true, transcription: true };
const SETTINGS_KEY = 'assist';

export interface AssistOptions {
  /** A summary needs this many messages (visitor, agent or bot). */
  minMessages?: number;
  /** Past exchanges kept in the index (the oldest are dropped). */
  indexLimit?: number;
  /** The index looks for new messages at most this often (ms). */
  indexCatchUpMs?: number;
  /** Conversations whose summary and suggestions are cached. */
  cacheSize?: number;
  /** Settings are re-read from the store after this long (other hubs' changes), ms. */
  settingsMaxAgeMs?: number;
}

/** Messages a summary reads (the latest), and a suggestion (the latest). */
const SUMMARY_WINDOW = 300;
const SUGGESTION_WINDOW = 40;
/**
 * A retrieved answer is suggested from this match score (FAQ) or word coverage (quick replies, past answers) on: lower
 * than the bot's own threshold, since an agent reads it first. From WEAK_SCORE on it only tops the list up to two.
 */
const MIN_SCORE = 0.3;
const WEAK_SCORE = 0.2;

interface CachedSummary {
  upTo: number;
  statusKey: string;
  digest: ConversationDigest;
}

interface CachedSuggestions {
  upTo: number;
  items: Suggestion[];
}

export class Assist {
  readonly minMessages: number;
  readonly #index: PastAnswers;
  readonly #collector = new ExchangeCollector();
  #indexedUpTo = 0;
  #lastCatchUp = 0;
  #catchingUp: Promise<void> | null = null;
  readonly #summaries: Lru<CachedSummary>;
  readonly #suggestions: Lru<CachedSuggestions>;
  /** Voice notes' transcripts by attachment id (a voice note never changes under its id), and those being written. */
  readonly #transcripts: Lru<Transcription>;
  readonly #transcribing = new Map<string, Promise<Transcription>>();
  #settings: { value: AssistSettings; at: number } | null = null;
  readonly #options: Required<AssistOptions>;

  constructor(
    private readonly store: Store,
    private readonly views: Views,
    private readonly bot: BotService,
    private readonly clock: Clock,
    private readonly provider: AiProvider | null,
    options: AssistOptions = {},
  ) {
    this.#options = {
      minMessages: options.minMessages ?? 5,
      indexLimit: options.indexLimit ?? 5000,
      indexCatchUpMs: options.indexCatchUpMs ?? 500,
      cacheSize: options.cacheSize ?? 1000,
      settingsMaxAgeMs: options.settingsMaxAgeMs ?? 5000,
    };
    this.minMessages = this.#options.minMessages;
    this.#index = new PastAnswers(this.#options.indexLimit);
    this.#summaries = new Lru(this.#options.cacheSize);
    this.#suggestions = new Lru(this.#options.cacheSize);
    this.#transcripts = new Lru(this.#options.cacheSize);
  }

  // ------------------------------------------------------------ settings and status

  async settings(): Promise<AssistSettings> {
    const cached = this.#settings;
    if (cached && Date.now() - cached.at < this.#options.settingsMaxAgeMs) return cached.value;
    const stored = (await this.store.settings.get<Partial<AssistSettings>>(SETTINGS_KEY)) ?? {};
    const value: AssistSettings = {
      summary: stored.summary ?? ASSIST_DEFAULTS.summary,
      suggestions: stored.suggestions ?? ASSIST_DEFAULTS.suggestions,
      transcription: stored.transcription ?? ASSIST_DEFAULTS.transcription,
    };
    this.#settings = { value, at: Date.now() };
    return value;
  }

  async updateSettings(changes: Partial<AssistSettings>): Promise<AssistSettings> {
    this.#settings = null;
    const next = { ...(await this.settings()), ...changes };
    await this.store.settings.put(SETTINGS_KEY, next);
    this.#settings = { value: next, at: Date.now() };
    return next;
  }

  async status(): Promise<AssistStatus> {
    const settings = await this.settings();
    const provider = this.provider;
    return {
      settings,
      provider: provider !== null,
      providerReachable: provider?.reachable ?? false,
      transcriptionAvailable: settings.transcription && provider?.transcribeModel != null,
    };
  }

  async #require(feature: keyof AssistSettings): Promise<void> {
    if (!(await this.settings())[feature]) {
      const names = { summary: 'Summaries', suggestions: 'Reply suggestions', transcription: 'Transcription' } as const;
      throw new HubError('feature_disabled', `${names[feature]} are turned off (admin: assist settings)`);
    }
  }

  // ------------------------------------------------------------ summary

  async summary(viewer: Actor, conversationId: string, refresh = false): Promise<ConversationDigest> {
    await this.#require('summary');
    const record = await visibleConversation(this.store, viewer, conversationId);
    const [messages, view] = await Promise.all([this.store.messages.latest(record.id, SUMMARY_WINDOW), this.views.summary(record)]);
    const spoken = messages.filter((m) => m.author !== 'system');
    const upTo = messages.at(-1)?.id ?? 0;
    const status: SummaryStatus = {
      state: view.state,
      ticketStatus: view.ticketStatus,
      botStatus: view.botStatus,
      muted: view.muted,
      holderName: view.holderId ? (view.holderName ?? 'An agent') : null,
    };
    const statusKey = JSON.stringify(status);
    const base = { conversationId: record.id, minMessages: this.minMessages, upToMessageId: upTo, generatedAt: this.clock.now().toISOString() };
    if (spoken.length < this.minMessages) return { ...base, available: false, text: '', points: [], source: 'extractive' };

    const cached = this.#summaries.get(record.id);
    if (!refresh && cached && cached.upTo === upTo && cached.statusKey === statusKey) return cached.digest;

    const extractive = summarise(spoken, status);
    let digest: ConversationDigest = { ...base, available: true, text: extractive.text, points: extractive.points, source: 'extractive' };
    if (this.provider?.chatModel) {
      try {
        const answer = await this.provider.chat(summaryPrompt(transcriptForProvider(spoken)), { temperature: refresh ? 0.4 : 0.2 });
        const parsed = parseSummary(answer);
        if (parsed) {
          const points = parsed.points.length > 0 ? parsed.points : extractive.points.filter((p) => p.kind !== 'status');
          const line = statusLine(status);
          digest = { ...base, available: true, text: `${parsed.text} ${line}`.trim(), points: [...points, { kind: 'status', text: line }], source: 'ai' };
        }
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error;
        // The built-in summary stands; status() now says the provider is unreachable.
      }
    }
    this.#summaries.set(record.id, { upTo, statusKey, digest });
    return digest;
  }

  // ------------------------------------------------------------ suggestions

  async suggestions(viewer: Actor, conversationId: string, refresh = false): Promise<SuggestionList> {
    await this.#require('suggestions');
    const record = await visibleConversation(this.store, viewer, conversationId);
    const messages = await this.store.messages.latest(record.id, SUGGESTION_WINDOW);
    const upTo = messages.at(-1)?.id ?? 0;
    // Per agent: past answers depend on which conversations the agent may see.
    const key = `${record.id} ${viewer.id}`;
    const cached = this.#suggestions.get(key);
    if (!refresh && cached && cached.upTo === upTo) return { items: cached.items };

    const question = latestQuestion(messages);
    if (!question) return { items: [] };
    const lastAgentText = [...messages].reverse().find((m) => m.author === 'agent')?.text ?? null;
    const [retrieved, generated] = await Promise.all([this.#retrieve(viewer, record.id, record.contactId, question), this.#generate(messages, refresh)]);
    const items = pickSuggestions([...retrieved, ...generated], {
      lastAgentText,
      skip: refresh && cached ? cached.items.map((s) => s.text) : [],
    });
    this.#suggestions.set(key, { upTo, items });
    return { items };
  }

  /** FAQ answers, quick replies and past answers that fit `question`. */
  async #retrieve(viewer: Actor, conversationId: string, contactId: string, question: string): Promise<Candidate[]> {
    const [{ matcher, quickReplies }] = await Promise.all([this.bot.current(), this.#catchUp()]);
    const candidates: Candidate[] = [];

    const faqs = matcher.matches(question).filter((m) => m.score >= WEAK_SCORE);
    let values: VisitorValues | null = null;
    for (const match of faqs.slice(0, 3)) {
      let text = match.faq.answer;
      if (hasPlaceholders(text)) {
        values ??= await this.visitorValues(contactId);
        text = personalise(text, values);
      }
      candidates.push({ text, source: 'faq', score: match.score, weak: match.score < MIN_SCORE });
    }

    const asked = new Set(terms(question));
    const now = this.clock.now();
    for (const qr of quickReplies) {
      if (!qr.enabled || asked.size === 0) continue;
      const words = new Set(terms(`${qr.name} ${qr.text} ${qr.choices.join(' ')}`));
      const coverage = [...asked].filter((w) => words.has(w)).length / asked.size;
      if (coverage < WEAK_SCORE) continue;
      const score = 0.7 * coverage + (isWithinWindows(qr.windows, qr.timezone, now) ? 0.1 : 0);
      candidates.push({ text: qr.text, source: 'quick_reply', score, weak: coverage < MIN_SCORE });
    }

    const past = this.#index.search(question, { excludeConversationId: conversationId, limit: 8, minCoverage: WEAK_SCORE });
    if (past.length > 0) {
      // Only from conversations that still exist and that this agent may see; the visitor they were written for is not named.
      const records = await this.store.conversations.many(past.map((p) => p.exchange.conversationId));
      const visible = past.flatMap((p) => {
        const source = records.get(p.exchange.conversationId);
        return source && canSee(viewer, source) ? [{ p, contactId: source.contactId }] : [];
      });
      const contacts = await this.store.contacts.many(visible.map((v) => v.contactId));
      values ??= await this.visitorValues(contactId);
      for (const { p, contactId: sourceId } of visible) {
        const contact = contacts.get(sourceId);
        const source = contact ? contactValues(contact) : {};
        const text = depersonalise(p.exchange.answer, source, values);
        const score = 0.9 * p.coverage + Math.min(0.1, 0.03 * (p.count - 1));
        if (text) candidates.push({ text, source: 'past_answer', score, weak: p.coverage < MIN_SCORE });
      }
    }
    return candidates;
  }

  /** The provider's suggestions (none without a provider, or when it fails). */
  async #generate(messages: Message[], refresh: boolean): Promise<Candidate[]> {
    if (!this.provider?.chatModel) return [];
    try {
      const answer = await this.provider.chat(suggestionsPrompt(transcriptForProvider(messages)), { temperature: refresh ? 0.9 : 0.5 });
      return parseSuggestions(answer).map((text, i) => ({ text, source: 'ai' as const, score: 0.75 - i * 0.05 }));
    } catch (error) {
      if (error instanceof ProviderError) return [];
      throw error;
    }
  }

  /** Adds the exchanges of messages stored since the last catch-up (one at a time; at most once per `indexCatchUpMs`). */
  #catchUp(): Promise<void> {
    if (this.#catchingUp) return this.#catchingUp;
    if (Date.now() - this.#lastCatchUp < this.#options.indexCatchUpMs) return Promise.resolve();
    this.#catchingUp = (async () => {
      try {
        // Enough messages for `indexLimit` exchanges (each is at least two), the newest first when there are more.
        const rows = await this.store.messages.exchangeTexts(this.#indexedUpTo, this.#options.indexLimit * 4);
        for (const row of rows) {
          const exchange = this.#collector.feed(row);
          if (exchange) this.#index.add(exchange);
        }
        const last = rows.at(-1);
        if (last) this.#indexedUpTo = last.id;
        this.#lastCatchUp = Date.now();
      } finally {
        this.#catchingUp = null;
      }
    })();
    return this.#catchingUp;
  }

  /** What a FAQ answer's placeholders are filled with: this conversation's contact (as the bot does). */
  private async visitorValues(contactId: string): Promise<VisitorValues> {
    const contact = await this.store.contacts.get(contactId);
    return contact ? contactValues(contact) : {};
  }

  // ------------------------------------------------------------ transcription

  /**
   * A voice note's transcript (`POST /api/attachments/:id/transcription`): from the cache when this hub wrote it
   * before, else the provider's (one call per voice note even when several agents ask at once). Throws
   * `feature_disabled`, `transcription_unavailable` or `provider_unavailable`; the caller checked who may read it.
   */
  async transcription(audio: StoredAudio): Promise<Transcription> {
    await this.#require('transcription');
    const model = this.#transcribeModel();
    const cached = this.#transcripts.get(audio.id);
    if (cached && cached.model === model) return cached;
    const pending = this.#transcribing.get(audio.id);
    if (pending) return pending;
    const work = (async () => {
      const text = await this.transcribe(await audio.bytes(), audio.contentType, audio.name);
      const transcript: Transcription = { attachmentId: audio.id, text, model, createdAt: this.clock.now().toISOString() };
      this.#transcripts.set(audio.id, transcript);
      return transcript;
    })();
    this.#transcribing.set(audio.id, work);
    try {
      return await work;
    } finally {
      this.#transcribing.delete(audio.id);
    }
  }

  /** The text of a recording. Throws `feature_disabled`, `transcription_unavailable` or `provider_unavailable`. */
  async transcribe(bytes: Uint8Array, contentType: string, filename: string): Promise<string> {
    await this.#require('transcription');
    this.#transcribeModel();
    if (bytes.byteLength === 0) throw badRequest('The recording is empty');
    try {
      return await (this.provider as AiProvider).transcribe(bytes, contentType, filename);
    } catch (error) {
      if (error instanceof ProviderError) throw new HubError('provider_unavailable', `Transcription failed: ${error.message}`);
      throw error;
    }
  }

  /** The speech-to-text model, or 409 `transcription_unavailable` without one. */
  #transcribeModel(): string {
    const model = this.provider?.transcribeModel;
    if (!model) throw new HubError('transcription_unavailable', 'Transcription needs an AI provider (AI_BASE_URL and AI_TRANSCRIBE_MODEL)');
    return model;
  }
}

function contactValues(contact: ContactsTable): VisitorValues {
  return visitorValues(json<UserData>(contact.user_data, {}), { name: contact.signed_name, email: contact.signed_email, phone: contact.phone });
}
