/** Limits both sides agree on. The hub enforces them; clients use them to warn early. */
export const LIMITS = {
  /** Default maximum message text length in characters (configurable on the hub: MAX_MESSAGE_LENGTH). */
  messageText: 4096,
  clientId: 64,
  userDataField: 256,
  userComments: 2048,
  noteText: 8192,
  tag: 40,
  tagsPerConversation: 30,
  faqQuestion: 500,
  faqAnswer: 4096,
  faqQuestions: 50,
  /** A signed identity JWT (`user_jwt`). */
  identityToken: 4096,
  contactFields: 50,
  contactFieldOptions: 50,
  catalogueTags: 500,
  tagsPerContact: 30,
  /** Contacts per list page. */
  contactsPage: 50,
  /** Messages per `messages:since` answer; the widget asks again while `more` is true. */
  historyPage: 100,
} as const;
