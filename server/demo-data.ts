/**
 * Demo content for `npm start` (DEMO_DATA=1) on an empty database: shop FAQs, an out-of-hours
 * quick reply, a second agent, and past conversations in every state so the panel looks alive.
 */
import { hashPassword } from './auth.js';
import type { Store } from './store/store.js';

export const DEMO_LOGINS = {
  admin: { email: 'admin@demo.local', password: 'switchboard-admin' },
  agent: { email: 'agent@demo.local', password: 'switchboard-agent' },
};

const FAQS = [
  {
    type: 'general',
    questions: ['What are your opening hours?', 'When are you open?', 'business hours'],
    answer: 'Our team is here Monday to Friday, 9:00 to 18:00 (Paris time). The bot answers around the clock.',
  },
  {
    type: 'general',
    questions: ['How long does delivery take?', 'shipping time', 'when will my order arrive'],
    answer: 'Orders ship within 24 hours and arrive in 2–4 working days in France, 3–7 days elsewhere in Europe.',
  },
  {
    type: 'general',
    questions: ['How can I return an item?', 'return policy', 'refund'],
    answer: 'You can return any item within 30 days. Start from “My orders” and print the free return label.',
  },
  {
    type: 'general',
    questions: ['What payment methods do you accept?', 'can I pay by card', 'paypal'],
    answer: 'We accept Visa, Mastercard, American Express, PayPal and bank transfer.',
  },
  { type: 'filler', questions: ['ok', 'okay', 'I see', 'alright'], answer: 'Anything else I can help with?' },
] as const;

interface PastConversation {
  name: [string, string];
  email: string;
  language: string;
  daysAgo: number;
  botStatus: 'ok' | 'not_understood' | 'need_help';
  ticketStatus: 'new' | 'active' | 'pending' | 'resolved' | 'inactive';
  state: 'open' | 'closed';
  tags: string[];
  lines: [author: 'visitor' | 'bot' | 'agent', text: string][];
}

const PAST: PastConversation[] = [
  {
    name: ['Camille', 'Durand'],
    email: 'camille.durand@example.com',
    language: 'fr-FR',
    daysAgo: 0.02,
    botStatus: 'need_help',
    ticketStatus: 'new',
    state: 'open',
    tags: ['order'],
    lines: [
      ['visitor', 'Bonjour, my parcel is late'],
      ['bot', 'I am asking a member of our team to join. They will answer here as soon as possible.'],
      ['visitor', 'Can a human help me please?'],
    ],
  },
  {
    name: ['Liam', 'Walsh'],
    email: 'liam.walsh@example.com',
    language: 'en-GB',
    daysAgo: 0.1,
    botStatus: 'not_understood',
    ticketStatus: 'new',
    state: 'open',
    tags: [],
    lines: [
      ['visitor', 'Do you sell gift cards for the Dublin shop?'],
      ['bot', "Sorry, I didn't understand that. Could you rephrase? You can also ask for a human agent."],
    ],
  },
  {
    name: ['Sofia', 'Rossi'],
    email: 'sofia.rossi@example.com',
    language: 'it-IT',
    daysAgo: 0.3,
    botStatus: 'ok',
    ticketStatus: 'active',
    state: 'open',
    tags: ['vip', 'returns'],
    lines: [
      ['visitor', 'How can I return an item?'],
      ['bot', 'You can return any item within 30 days. Start from “My orders” and print the free return label.'],
      ['visitor', 'The label does not print'],
      ['agent', 'Sorry about that! I have emailed you a new label.'],
    ],
  },
  {
    name: ['Noah', 'Müller'],
    email: 'noah.mueller@example.com',
    language: 'de-DE',
    daysAgo: 1,
    botStatus: 'ok',
    ticketStatus: 'pending',
    state: 'open',
    tags: ['billing'],
    lines: [
      ['visitor', 'What payment methods do you accept?'],
      ['bot', 'We accept Visa, Mastercard, American Express, PayPal and bank transfer.'],
      ['agent', 'Hi Noah, can I help with anything else?'],
      ['visitor', 'Yes, I need an invoice for my company'],
    ],
  },
  {
    name: ['Emma', 'Martin'],
    email: 'emma.martin@example.com',
    language: 'fr-FR',
    daysAgo: 2,
    botStatus: 'ok',
    ticketStatus: 'inactive',
    state: 'open',
    tags: [],
    lines: [
      ['visitor', 'When are you open?'],
      ['bot', 'Our team is here Monday to Friday, 9:00 to 18:00 (Paris time). The bot answers around the clock.'],
    ],
  },
  {
    name: ['Lucas', 'Bernard'],
    email: 'lucas.bernard@example.com',
    language: 'fr-FR',
    daysAgo: 4,
    botStatus: 'ok',
    ticketStatus: 'resolved',
    state: 'closed',
    tags: ['order'],
    lines: [
      ['visitor', 'How long does delivery take?'],
      ['bot', 'Orders ship within 24 hours and arrive in 2–4 working days in France, 3–7 days elsewhere in Europe.'],
      ['visitor', 'thanks'],
      ['bot', 'You are welcome! Have a nice day.'],
    ],
  },
  {
    name: ['Ava', 'Johnson'],
    email: 'ava.johnson@example.com',
    language: 'en-US',
    daysAgo: 6,
    botStatus: 'ok',
    ticketStatus: 'resolved',
    state: 'closed',
    tags: ['complaint'],
    lines: [
      ['visitor', 'I want to talk to a person'],
      ['bot', 'I am asking a member of our team to join. They will answer here as soon as possible.'],
      ['agent', 'Hello Ava, I am here. What happened?'],
      ['visitor', 'All sorted now, thank you'],
    ],
  },
];

/** @param passwordHashCost scrypt's cost for the demo agent's password, as for every account (PASSWORD_HASH_COST). */
export async function seedDemoData(store: Store, passwordHashCost: number): Promise<void> {
  if (await store.settings.get<boolean>('demo_seeded')) return;
  await store.settings.put('demo_seeded', true);
  const now = Date.now();
  const iso = (daysAgo: number, offsetMinutes = 0) => new Date(now - daysAgo * 86_400_000 + offsetMinutes * 60_000).toISOString();
  for (const faq of FAQS) await store.content.saveFaq(null, { type: faq.type, questions: [...faq.questions], answer: faq.answer }, iso(10));
  await store.content.saveQuickReply(
    null,
    {
      name: 'Out of office hours',
      text: 'Our team is away right now (we are here Mon–Fri 9:00–18:00, Paris time). Leave your question and we will answer first thing.',
      choices: ['Opening hours', 'Delivery times'],
      timezone: 'Europe/Paris',
      windows: [
        { days: [1, 2, 3, 4, 5], start: '18:00', end: '09:00' },
        { days: [0, 6], start: '00:00', end: '00:00' },
      ],
      enabled: false,
    },
    iso(10),
  );
  let agent = await store.agents.byEmail(DEMO_LOGINS.agent.email);
  agent ??= await store.agents.create({
    email: DEMO_LOGINS.agent.email,
    name: 'Jordan (support)',
    role: 'agent',
    password_hash: await hashPassword(DEMO_LOGINS.agent.password, passwordHashCost),
    disabled: 0,
    created_at: iso(10),
  });
  for (const past of PAST) {
    const start = iso(past.daysAgo, -past.lines.length * 2);
    const userData = { first_name: past.name[0], last_name: past.name[1], email: past.email };
    const contact = await store.contacts.create({ siteId: 'demo', userData, signed: { userId: null, email: null, name: null }, now: start });
    const visitor = await store.visitors.create({ siteId: 'demo', contactId: contact.id, userData, verified: false, language: past.language, now: start });
    await store.transaction(async (tx) => {
      const conversation = await store.conversations.create(tx, { visitor, contactId: contact.id, now: start });
      let last = start;
      for (const [i, [author, text]] of past.lines.entries()) {
        last = iso(past.daysAgo, (i - past.lines.length) * 2);
        await store.messages.insert(
          {
            conversationId: conversation.id,
            clientId: author === 'visitor' ? `demo-${conversation.id}-${i}` : null,
            author,
            agentId: author === 'agent' ? agent.id : null,
            authorName: author === 'agent' ? agent.name : author === 'bot' ? 'Switchboard bot' : null,
            text,
            createdAt: last,
          },
          tx,
        );
      }
      const lastLine = past.lines.at(-1);
      const agentIndex = past.lines.findLastIndex(([author]) => author === 'agent');
      const unreplied = past.lines.slice(agentIndex + 1).filter(([author]) => author === 'visitor').length;
      await store.conversations.update(
        conversation.id,
        {
          bot_status: past.botStatus,
          ticket_status: past.ticketStatus,
          state: past.state,
          tags: JSON.stringify(past.tags),
          agent_replied: agentIndex >= 0 ? 1 : 0,
          holder_id: past.ticketStatus === 'active' && past.state === 'open' ? agent.id : null,
          muted: past.ticketStatus === 'active' && past.state === 'open' ? 1 : 0,
          muted_at: past.ticketStatus === 'active' && past.state === 'open' ? last : null,
          muted_by: past.ticketStatus === 'active' && past.state === 'open' ? agent.id : null,
          assignees: past.tags.includes('billing') ? JSON.stringify([agent.id]) : '[]',
          unread_count: past.state === 'open' ? unreplied : 0,
          unreplied_count: unreplied,
          last_activity_at: last,
          last_message_author: lastLine?.[0] ?? null,
          last_message_text: lastLine?.[1] ?? null,
          last_message_at: last,
        },
        tx,
      );
    });
  }
}
