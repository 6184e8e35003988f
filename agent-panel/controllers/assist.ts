/**
 * AI assist for the open conversation (protocol/assist.ts): what the hub offers (`GET /api/assist/status`), the
 * conversation's summary and the reply suggestions for the visitor's latest message. A Lit reactive controller that
 * follows the inbox's open conversation: on opening one it loads all three; when a new visitor message arrives it
 * asks for suggestions again (after a short pause, so a burst of messages costs one request); the summary is loaded
 * once, again when the conversation reaches the summary's minimum length, and on Refresh (the panel shows when newer
 * messages are not in it). Suggestions only ever fill the composer (conversation-view.ts): nothing here sends.
 *
 * Why apart from the inbox: an independent load next to the conversation (a hub refusing it, or a slow provider,
 * must not hold the conversation up), with its own request ordering.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AssistStatus, ConversationDigest, Suggestion } from '../../protocol/assist.js';
import type { ConversationDetail } from '../../protocol/types.js';
import { ApiError, type HubApi } from '../api.js';
import type { AssistIntent } from '../events.js';
import { errorText } from '../format.js';

export interface AssistState {
  /** Null until loaded (or when the hub could not say). */
  status: AssistStatus | null;
  /** Why the status could not be loaded: the panel says "Assist unavailable". */
  statusError: string;
  conversationId: string | null;
  summary: ConversationDigest | null;
  summaryLoading: boolean;
  summaryError: string;
  suggestions: Suggestion[];
  /** Suggestions were asked for at least once for this conversation. */
  suggestionsLoaded: boolean;
  suggestionsLoading: boolean;
  suggestionsError: string;
}

export const NO_ASSIST: AssistState = {
  status: null,
  statusError: '',
  conversationId: null,
  summary: null,
  summaryLoading: false,
  summaryError: '',
  suggestions: [],
  suggestionsLoaded: false,
  suggestionsLoading: false,
  suggestionsError: '',
};

/** Wait this long after a visitor message before asking for suggestions (more may follow). */
const SUGGESTION_PAUSE_MS = 250;

export class AssistController implements ReactiveController {
  state: AssistState = NO_ASSIST;
  #api: HubApi | null = null;
  #summarySeq = 0;
  #suggestionSeq = 0;
  /** The last visitor message suggestions were asked for, and the message count the summary was asked at. */
  #lastVisitorId = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    /** The inbox's open conversation. */
    private readonly open: () => ConversationDetail | null,
  ) {
    host.addController(this);
  }

  hostUpdate(): void {
    this.#follow(this.open());
  }

  hostDisconnected(): void {
    clearTimeout(this.#timer);
  }

  start(api: HubApi): void {
    this.#api = api;
    // A conversation the host page opened before sign-in finished is loaded now.
    void this.loadStatus().then(() => {
      if (api !== this.#api || !this.state.conversationId) return;
      void this.loadSummary(false);
      void this.loadSuggestions(false);
    });
  }

  stop(): void {
    this.#api = null;
    clearTimeout(this.#timer);
    this.#summarySeq++;
    this.#suggestionSeq++;
    this.#lastVisitorId = 0;
    this.#set(NO_ASSIST);
  }

  /** The admin changed the switches: what the panel offers follows (and what is now on is loaded). */
  setStatus(status: AssistStatus): void {
    const was = this.state.status?.settings;
    this.#set({ status, statusError: '' });
    const detail = this.open();
    if (!detail) return;
    if (status.settings.summary && !was?.summary) void this.loadSummary(false);
    if (status.settings.suggestions && !was?.suggestions) void this.loadSuggestions(false);
  }

  async loadStatus(): Promise<void> {
    const api = this.#api;
    if (!api) return;
    try {
      const status = await api.call('GET /api/assist/status');
      if (api === this.#api) this.#set({ status, statusError: '' });
    } catch (error) {
      if (api === this.#api) this.#set({ status: null, statusError: errorText(error) });
    }
  }

  /** The panel's Refresh buttons. */
  async act(intent: AssistIntent): Promise<boolean> {
    if (intent.conversationId !== this.state.conversationId) return false;
    if (intent.action === 'refresh-summary') return this.loadSummary(true);
    return this.loadSuggestions(true);
  }

  async loadSummary(refresh: boolean): Promise<boolean> {
    const api = this.#api;
    const id = this.state.conversationId;
    if (!api || !id || this.state.status?.settings.summary === false) return false;
    const seq = ++this.#summarySeq;
    this.#set({ summaryLoading: true, summaryError: '' });
    try {
      const summary = await api.call('GET /api/conversations/:id/summary', { params: { id }, query: refresh ? { refresh: true } : {} });
      if (seq === this.#summarySeq) this.#set({ summary, summaryLoading: false });
      return true;
    } catch (error) {
      if (seq === this.#summarySeq) this.#refused(error, 'summary');
      return false;
    }
  }

  async loadSuggestions(refresh: boolean): Promise<boolean> {
    const api = this.#api;
    const id = this.state.conversationId;
    if (!api || !id || this.state.status?.settings.suggestions === false) return false;
    const seq = ++this.#suggestionSeq;
    this.#set({ suggestionsLoading: true, suggestionsError: '' });
    try {
      const { items } = await api.call('GET /api/conversations/:id/suggestions', { params: { id }, query: refresh ? { refresh: true } : {} });
      if (seq === this.#suggestionSeq) this.#set({ suggestions: items, suggestionsLoaded: true, suggestionsLoading: false });
      // A call that worked may have found the provider again (or not): the status line follows.
      if (this.state.status?.provider) void this.loadStatus();
      return true;
    } catch (error) {
      if (seq === this.#suggestionSeq) this.#refused(error, 'suggestions');
      return false;
    }
  }

  /** A refusal: turned off meanwhile (409 feature_disabled) reloads the status; anything else is shown. */
  #refused(error: unknown, what: 'summary' | 'suggestions'): void {
    if (error instanceof ApiError && error.code === 'feature_disabled') void this.loadStatus();
    if (what === 'summary') this.#set({ summaryLoading: false, summaryError: errorText(error) });
    else this.#set({ suggestionsLoading: false, suggestionsLoaded: true, suggestionsError: errorText(error) });
  }

  #follow(detail: ConversationDetail | null): void {
    const id = detail?.conversation.id ?? null;
    if (id !== this.state.conversationId) {
      clearTimeout(this.#timer);
      this.#summarySeq++;
      this.#suggestionSeq++;
      this.#set({ ...NO_ASSIST, status: this.state.status, statusError: this.state.statusError, conversationId: id });
      this.#lastVisitorId = lastVisitorId(detail);
      if (!detail || !this.#api) return;
      // Switches may have changed since sign-in: ask again with each conversation (one small request).
      void this.loadStatus().then(() => {
        if (this.state.conversationId !== id) return;
        void this.loadSummary(false);
        void this.loadSuggestions(false);
      });
      return;
    }
    if (!detail) return;
    const visitorId = lastVisitorId(detail);
    if (visitorId > this.#lastVisitorId) {
      this.#lastVisitorId = visitorId;
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => void this.loadSuggestions(false), SUGGESTION_PAUSE_MS);
    }
    // The summary becomes available: load it once.
    const summary = this.state.summary;
    if (summary && !summary.available && !this.state.summaryLoading && spoken(detail) >= summary.minMessages) void this.loadSummary(false);
  }

  #set(patch: Partial<AssistState>): void {
    this.state = { ...this.state, ...patch };
    this.host.requestUpdate();
  }
}

function lastVisitorId(detail: ConversationDetail | null): number {
  if (!detail) return 0;
  for (let i = detail.messages.length - 1; i >= 0; i--) {
    const m = detail.messages[i];
    if (m?.author === 'visitor') return m.id;
  }
  return 0;
}

const spoken = (detail: ConversationDetail) => detail.messages.filter((m) => m.author !== 'system').length;
