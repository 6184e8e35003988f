/**
 * State and hub calls of the admin screens (FAQs, quick replies, the bot's settings and responder order, agents, contact
 * fields, the tag catalogue, webhooks, email, API tokens), as a
 * Lit reactive controller. The screens are presentational: they render `state` and fire `sb-admin-action`
 * intents (events.ts); this runs them against the hub, reloads what changed and sets the status line.
 * Why: one place for the admin REST calls and their errors, like controllers/inbox.ts for the inbox.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { BotSettings, FaqTestResult } from '../../protocol/api.js';
import type { ApiToken } from '../../protocol/api-tokens.js';
import type { AssistStatus } from '../../protocol/assist.js';
import type { ContactFieldDefinition, TagCatalogue } from '../../protocol/contacts.js';
import type { Agent, Faq, QuickReply } from '../../protocol/types.js';
import type { EmailSettings } from '../../protocol/email.js';
import type { WebhookDelivery, WebhookEndpoint, WebhookSettings } from '../../protocol/webhooks.js';
import { ApiError, type HubApi, saveBlob } from '../api.js';
import type { AdminForm, AdminIntent, AdminScreen } from '../events.js';
import { errorText } from '../format.js';

export interface AdminState {
  faqs: Faq[];
  showArchived: boolean;
  faqTest: FaqTestResult | null;
  quickReplies: QuickReply[];
  /** The bot's settings and greeting (Settings screen; the quick replies screen shows the priority too). */
  settings: BotSettings | null;
  /** The hub's refusal of a form's last save, by field, shown next to the field (cleared by the next save). */
  fieldErrors: { form: AdminForm; errors: Record<string, string> } | null;
  agents: Agent[];
  /** Custom contact fields, in the order agents see them. */
  contactFields: ContactFieldDefinition[];
  /** Null until the Tags screen was opened. */
  tags: TagCatalogue | null;
  /** Webhook endpoints (with their secrets: admins may always read them). */
  webhooks: WebhookEndpoint[];
  /** Null until the Webhooks screen was opened. */
  webhookSettings: WebhookSettings | null;
  /** The deliveries on screen: one endpoint's, latest first (older pages appended); null when none is open. */
  deliveries: { endpointId: string; items: WebhookDelivery[]; next?: string } | null;
  /** API tokens, newest first (revoked and expired ones too); never a secret. */
  apiTokens: ApiToken[];
  /**
   * The secret of the token just created: the hub answers it once. Kept only until the admin says it is stored,
   * opens another screen, revokes that token or signs out.
   */
  apiTokenSecret: { id: string; name: string; secret: string } | null;
  /** AI assist's switches and whether the hub has a provider (Settings screen); null until loaded. */
  assist: AssistStatus | null;
  /** Null until the Email screen was opened. */
  email: EmailSettings | null;
  /** The outcome of the last action. */
  status: { message: string; error: boolean } | null;
}

const EMPTY: AdminState = {
  faqs: [],
  showArchived: true,
  faqTest: null,
  quickReplies: [],
  settings: null,
  fieldErrors: null,
  agents: [],
  contactFields: [],
  tags: null,
  webhooks: [],
  webhookSettings: null,
  deliveries: null,
  apiTokens: [],
  apiTokenSecret: null,
  assist: null,
  email: null,
  status: null,
};

type Outcome = { message: string; error?: boolean } | null;

/** The intents that save a form whose refusals are shown by field. */
const FORMS: Partial<Record<AdminIntent['action'], AdminForm>> = {
  'settings-save': 'settings',
  'quick-reply-save': 'quick-reply',
  'webhook-save': 'webhook',
  'api-token-create': 'api-token',
  'email-save': 'email',
};

/** `body/faqThreshold must be <= 1` → `Must be <= 1`; the hub's own sentences stay as they are. */
function fieldMessage(message: string): string {
  const text = message.replace(/^body\/\w+\s+/, '');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export interface AdminOptions {
  /** The team was (re)loaded: the assignment pickers follow. */
  agentsChanged: (agents: Agent[]) => void;
  /** The contact fields were saved: the conversation side panel's contact form follows. */
  contactFieldsChanged?: (items: ContactFieldDefinition[]) => void;
  /** The tag catalogue was saved: tag pickers, chip colours and the contact-tag filter follow. */
  catalogueChanged?: (catalogue: TagCatalogue) => void;
  /** AI assist's switches were saved: the conversation view follows. */
  assistChanged?: (status: AssistStatus) => void;
}

export class AdminController implements ReactiveController {
  state: AdminState = EMPTY;
  api: HubApi | null = null;
  /** Actions begun so far (the status line reports the latest). */
  #acts = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: AdminOptions,
  ) {
    host.addController(this);
  }

  /** Nothing to set up: a screen's data is loaded when the screen opens (intent `screen`). */
  hostConnected(): void {}

  /** Forgets everything (sign-out): the next admin starts from empty screens. */
  reset(): void {
    this.state = EMPTY;
  }

  /** Runs an intent; resolves whether the hub accepted it. A failure becomes the status line. */
  async act(intent: AdminIntent): Promise<boolean> {
    const api = this.api;
    if (!api) return false;
    // The status line tells of the latest action: one that ends after a newer one began (its reload was slower) says
    // nothing, or a refusal of the newer one would be replaced by the older one's "saved".
    const act = ++this.#acts;
    const report = (status: AdminState['status']) => act === this.#acts && this.#set({ status });
    try {
      if (intent.action === 'report') throw new Error(intent.message);
      const form = FORMS[intent.action];
      if (form) this.#set({ fieldErrors: null });
      try {
        const outcome = await this.#run(api, intent);
        if (outcome) report({ message: outcome.message, error: outcome.error ?? false });
      } catch (error) {
        // A refusal about one field is shown next to it; the status line says the form was not saved.
        if (form && error instanceof ApiError && error.code === 'bad_request' && error.field) {
          this.#set({ fieldErrors: { form, errors: { [error.field]: fieldMessage(error.message) } } });
          throw new Error(`Not saved: ${fieldMessage(error.message)}`);
        }
        throw error;
      }
      return true;
    } catch (error) {
      report({ message: errorText(error), error: true });
      return false;
    }
  }

  async #run(api: HubApi, intent: Exclude<AdminIntent, { action: 'report' }>): Promise<Outcome> {
    switch (intent.action) {
      case 'screen':
        // A new token's secret is shown once: leaving the screen (or coming back to it) forgets it.
        this.#set({ status: null, apiTokenSecret: null });
        await this.#load(api, intent.screen);
        return null;
      case 'faqs-archived':
        this.#set({ showArchived: intent.show });
        await this.#load(api, 'faqs');
        return null;
      case 'faq-save':
        await (intent.id
          ? api.call('PUT /api/faqs/:id', { params: { id: intent.id }, body: intent.input })
          : api.call('POST /api/faqs', { body: intent.input }));
        return this.#reload(api, 'faqs', intent.success);
      case 'faq-test':
        this.#set({ faqTest: await api.call('POST /api/faqs/test', { body: { text: intent.text } }) });
        return null;
      case 'faq-import': {
        const result = await api.call('POST /api/faqs/import', { body: intent.csv });
        const skipped = result.errors.map((e) => `line ${e.line}: ${e.message}`).join('; ');
        await this.#load(api, 'faqs');
        return { message: `Imported ${result.imported} FAQs${skipped ? `. Skipped ${skipped}` : ''}`, error: result.errors.length > 0 };
      }
      case 'faq-export':
      case 'faq-sample': {
        const route = intent.action === 'faq-export' ? 'GET /api/faqs/export.csv' : 'GET /api/faqs/sample.csv';
        const { blob, name } = await api.fetchFile(route, {}, intent.action === 'faq-export' ? 'faqs.csv' : 'faqs-sample.csv');
        const url = saveBlob(blob, name);
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
        return null;
      }
      case 'quick-reply-save':
        await (intent.id
          ? api.call('PUT /api/quick-replies/:id', { params: { id: intent.id }, body: intent.input })
          : api.call('POST /api/quick-replies', { body: intent.input }));
        return this.#reload(api, 'quick-replies', intent.success);
      case 'quick-reply-delete':
        await api.call('DELETE /api/quick-replies/:id', { params: { id: intent.id } });
        return this.#reload(api, 'quick-replies', 'Deleted');
      case 'priority':
        this.#set({ settings: await api.call('PUT /api/settings', { body: { responderPriority: intent.order } }) });
        return { message: 'Priority saved' };
      case 'settings-save':
        this.#set({ settings: await api.call('PUT /api/settings', { body: intent.changes }) });
        return { message: intent.success ?? 'Bot settings saved' };
      case 'agent-add':
        await api.call('POST /api/agents', { body: intent.input });
        return this.#reload(api, 'agents', 'Agent added');
      case 'agent-patch':
        await api.call('PUT /api/agents/:id', { params: { id: intent.id }, body: intent.patch });
        return this.#reload(api, 'agents', intent.success);
      case 'agent-remove':
        await api.call('DELETE /api/agents/:id', { params: { id: intent.id } });
        return this.#reload(api, 'agents', 'Agent removed');
      case 'contact-fields-save': {
        const { items } = await api.call('PUT /api/contact-fields', { body: { items: intent.items } });
        this.#set({ contactFields: items });
        this.options.contactFieldsChanged?.(items);
        return { message: 'Contact fields saved' };
      }
      case 'tags-save': {
        const tags = await api.call('PUT /api/tags', { body: intent.catalogue });
        this.#set({ tags });
        this.options.catalogueChanged?.(tags);
        return { message: 'Tags saved' };
      }
      case 'webhook-save':
        await (intent.id
          ? api.call('PATCH /api/webhooks/:id', { params: { id: intent.id }, body: intent.input })
          : api.call('POST /api/webhooks', { body: intent.input }));
        return this.#reload(api, 'webhooks', intent.success);
      case 'webhook-patch':
        await api.call('PATCH /api/webhooks/:id', { params: { id: intent.id }, body: intent.patch });
        return this.#reload(api, 'webhooks', intent.success);
      case 'webhook-delete':
        await api.call('DELETE /api/webhooks/:id', { params: { id: intent.id } });
        if (this.state.deliveries?.endpointId === intent.id) this.#set({ deliveries: null });
        return this.#reload(api, 'webhooks', 'Endpoint deleted');
      case 'webhook-deliveries':
        await this.#deliveries(api, intent.id, intent.more === true);
        return null;
      case 'webhook-resend': {
        await api.call('POST /api/webhooks/deliveries/:id/resend', { params: { id: intent.deliveryId } });
        await this.#deliveries(api, intent.endpointId, false);
        return { message: 'Resent: a new delivery is on its way' };
      }
      case 'assist-settings': {
        await api.call('PUT /api/assist/settings', { body: intent.changes });
        const assist = await api.call('GET /api/assist/status');
        this.#set({ assist });
        this.options.assistChanged?.(assist);
        return { message: 'Assist settings saved' };
      }
      case 'webhook-settings':
        this.#set({ webhookSettings: await api.call('PUT /api/webhooks/settings', { body: { allowPrivateTargets: intent.allowPrivateTargets } }) });
        return { message: intent.allowPrivateTargets ? 'Private targets allowed' : 'Private targets refused' };
      case 'api-token-create': {
        const { token, secret } = await api.call('POST /api/tokens', { body: intent.input });
        this.#set({ apiTokenSecret: { id: token.id, name: token.name, secret } });
        return this.#reload(api, 'api-tokens', `Token “${token.name}” created: copy its secret now, it is shown only once`);
      }
      case 'api-token-revoke': {
        const token = await api.call('DELETE /api/tokens/:id', { params: { id: intent.id } });
        if (this.state.apiTokenSecret?.id === intent.id) this.#set({ apiTokenSecret: null });
        return this.#reload(api, 'api-tokens', `Token “${token.name}” revoked`);
      }
      case 'api-token-secret-done':
        this.#set({ apiTokenSecret: null });
        return null;
      case 'email-save':
        this.#set({ email: await api.call('PUT /api/email/settings', { body: intent.changes }) });
        return { message: intent.success };
    }
  }

  /** The first page of an endpoint's deliveries, or (`more`) the next older page appended to those on screen. */
  async #deliveries(api: HubApi, endpointId: string, more: boolean): Promise<void> {
    const shown = this.state.deliveries?.endpointId === endpointId ? this.state.deliveries : null;
    const cursor = more ? shown?.next : undefined;
    const page = await api.call('GET /api/webhooks/:id/deliveries', { params: { id: endpointId }, query: cursor ? { cursor } : {} });
    const items = more && shown ? [...shown.items, ...page.items] : page.items;
    this.#set({ deliveries: { endpointId, items, ...(page.next ? { next: page.next } : {}) } });
  }

  /** After a change: the status says it worked, then the screen's data is reloaded. */
  async #reload(api: HubApi, screen: AdminScreen, message: string): Promise<Outcome> {
    this.#set({ status: { message, error: false } });
    await this.#load(api, screen);
    return { message };
  }

  async #load(api: HubApi, screen: AdminScreen): Promise<void> {
    if (screen === 'faqs') {
      const query = this.state.showArchived ? {} : { archived: false };
      this.#set({ faqs: (await api.call('GET /api/faqs', { query })).items });
    } else if (screen === 'quick-replies') {
      this.#set({ quickReplies: (await api.call('GET /api/quick-replies')).items });
    } else if (screen === 'settings') {
      const [settings, assist] = await Promise.all([api.call('GET /api/settings'), api.call('GET /api/assist/status').catch(() => null)]);
      this.#set({ settings, assist });
    } else if (screen === 'contact-fields') {
      const { items } = await api.call('GET /api/contact-fields');
      this.#set({ contactFields: items });
      this.options.contactFieldsChanged?.(items);
    } else if (screen === 'tags') {
      const tags = await api.call('GET /api/tags');
      this.#set({ tags });
      this.options.catalogueChanged?.(tags);
    } else if (screen === 'api-tokens') {
      this.#set({ apiTokens: (await api.call('GET /api/tokens')).items });
    } else if (screen === 'email') {
      this.#set({ email: await api.call('GET /api/email/settings') });
    } else if (screen === 'webhooks') {
      const [{ items }, webhookSettings] = await Promise.all([api.call('GET /api/webhooks'), api.call('GET /api/webhooks/settings')]);
      const open = this.state.deliveries && items.some((e) => e.id === this.state.deliveries?.endpointId) ? this.state.deliveries : null;
      this.#set({ webhooks: items, webhookSettings, deliveries: open });
      if (open) await this.#deliveries(api, open.endpointId, false);
    } else {
      const agents = (await api.call('GET /api/agents')).items;
      this.#set({ agents });
      this.options.agentsChanged(agents);
    }
  }

  #set(patch: Partial<AdminState>): void {
    this.state = { ...this.state, ...patch };
    this.host.requestUpdate();
  }
}
