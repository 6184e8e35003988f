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
  /** Files one message may carry (`attachmentIds`). */
  attachmentsPerMessage: 10,
  /** Default largest upload in bytes (configurable on the hub: ATTACHMENT_MAX_BYTES; 413 `file_too_large` above). */
  attachmentBytes: 10 * 1024 * 1024,
  /** Longest file name kept (longer ones are shortened, keeping the extension). */
  attachmentName: 200,
} as const;
