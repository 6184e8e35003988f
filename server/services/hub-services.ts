/**
 * The hub's services, built once over one store and one Socket.IO server. Routes and socket handlers
 * receive this object and call it; none of them touches the store (a lint rule enforces it).
 */
import type { Server } from 'socket.io';
import type { VisitorTokens } from '../auth.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { HubMetrics } from '../metrics.js';
import { urlKey } from '../rules/attachments.js';
import type { Store } from '../store/store.js';
import { Accounts } from './accounts.js';
import { ApiTokens } from './api-tokens.js';
import { AiProvider } from './ai-provider.js';
import { Assist } from './assist.js';
import { Assignment } from './assignment.js';
import { type AttachmentStorage, attachmentStorage } from './attachment-storage.js';
import { Attachments } from './attachments.js';
import { BotService } from './bot-service.js';
import { Broadcaster } from './broadcaster.js';
import { Contacts } from './contacts.js';
import { Content } from './content.js';
import { ConversationCommands } from './conversation-commands.js';
import { Email } from './email.js';
import { EmailInbound } from './email-inbound.js';
import { Inbox } from './inbox.js';
import { smtpTransport } from './mail-transport.js';
import { Messaging } from './messaging.js';
import { Publisher } from './publisher.js';
import { Sweeper } from './sweeper.js';
import { TeamChat } from './team-chat.js';
import { VisitorSessions } from './visitor-sessions.js';
import { Views } from './views.js';
import { Webhooks } from './webhooks.js';

export interface HubServices {
  broadcaster: Broadcaster;
  views: Views;
  inbox: Inbox;
  commands: ConversationCommands;
  messaging: Messaging;
  visitorSessions: VisitorSessions;
  contacts: Contacts;
  accounts: Accounts;
  apiTokens: ApiTokens;
  content: Content;
  sweeper: Sweeper;
  teamChat: TeamChat;
  assignment: Assignment;
  webhooks: Webhooks;
  /** AI assist: summaries, reply suggestions, transcription (services/assist.ts). */
  assist: Assist;
  email: Email;
  emailInbound: EmailInbound;
  attachments: Attachments;
  config: Config;
  clock: Clock;
  metrics: HubMetrics;
}

/**
 * @param secret the hub secret (SWITCHBOARD_SECRET or the generated one): signs attachment URLs (a key derived from it).
 * @param storage where uploaded files go; default: the one the configuration names (attachment-storage.ts).
 */
export function createServices(
  store: Store,
  io: Server,
  tokens: VisitorTokens,
  clock: Clock,
  config: Config,
  secret: string,
  storage: AttachmentStorage = attachmentStorage(config),
): HubServices {
  const broadcaster = new Broadcaster(io, config.redisUrl !== null);
  const key = urlKey(secret);
  const views = new Views(store, broadcaster, config, clock, key);
  const metrics = new HubMetrics({ visitors: () => broadcaster.visitors.sockets.size, agents: () => broadcaster.agents.sockets.size });
  const publisher = new Publisher(views, broadcaster, metrics);
  const bot = new BotService(store);
  const webhooks = new Webhooks(store, clock, config, metrics);
  // An upload with no open conversation opens one through messaging (built next: called only later, at run time).
  const attachments = new Attachments(store, storage, views, clock, config, key, (visitor) => messaging.conversationForUpload(visitor));
  const commands = new ConversationCommands(store, views, publisher, broadcaster, clock, webhooks, attachments);
  const assignment = new Assignment(store, publisher, broadcaster, clock);
  const apiTokens = new ApiTokens(store, clock);
  const provider = config.aiBaseUrl
    ? new AiProvider({
        baseUrl: config.aiBaseUrl,
        apiKey: config.aiApiKey,
        model: config.aiModel,
        transcribeModel: config.aiTranscribeModel,
        chatTimeoutMs: config.aiTimeoutMs,
        audioTimeoutMs: config.aiAudioTimeoutMs,
      })
    : null;
  // Outbound mail only with SMTP_URL and MAIL_FROM (config.ts refuses one without the other).
  const email = new Email(store, broadcaster, clock, config, metrics, config.smtpUrl && config.mailFrom ? smtpTransport(config.smtpUrl) : null);
  const messaging: Messaging = new Messaging(
    store,
    views,
    publisher,
    broadcaster,
    commands,
    bot,
    clock,
    config,
    metrics,
    webhooks,
    attachments,
    assignment,
    email,
  );
  return {
    broadcaster,
    views,
    inbox: new Inbox(store, views, broadcaster, clock, config),
    commands,
    messaging,
    visitorSessions: new VisitorSessions(store, views, publisher, broadcaster, tokens, clock, webhooks),
    contacts: new Contacts(store, views, publisher, broadcaster, messaging, clock, webhooks, attachments),
    accounts: new Accounts(store, views, broadcaster, clock, config, assignment, apiTokens),
    apiTokens,
    content: new Content(store, bot, clock, assignment),
    sweeper: new Sweeper(store, publisher, clock, config, metrics, assignment, webhooks, attachments),
    teamChat: new TeamChat(store, broadcaster, clock, config),
    assignment,
    webhooks,
    assist: new Assist(store, views, bot, clock, provider),
    email,
    emailInbound: new EmailInbound(store, messaging, config),
    attachments,
    config,
    clock,
    metrics,
  };
}
