/** Every text the widget shows, so a site can translate it (`strings` property or `data-strings`). */
export const DEFAULT_STRINGS = {
  title: 'Chat with us',
  open: 'Open chat',
  close: 'Close chat',
  placeholder: 'Write a message…',
  send: 'Send',
  botAnswering: 'Our assistant is answering',
  agentJoined: '{name} joined',
  agentHandling: '{name} is here to help',
  agentTyping: '{name} is typing…',
  agentLeft: 'The agent left; our assistant is back',
  agentsOffline: 'Our team is offline; we will reply as soon as we are back',
  closed: 'This conversation is closed. Write to start a new one.',
  /** The empty chat's greeting; `greetingNamed` when the site passed the visitor's first name. */
  greeting: 'Hi! How can we help?',
  greetingNamed: 'Hi {name}! How can we help?',
  greetingHint: 'Our assistant answers right away, and you can ask for a person at any time.',
  connecting: 'Connecting…',
  /** The banner while disconnected. */
  offline: 'You are offline. Messages will be sent when the connection returns.',
  /** The header's line meanwhile (the banner says the rest). */
  reconnecting: 'Reconnecting…',
  sending: 'Sending',
  sent: 'Sent',
  failed: 'Not sent',
  you: 'You',
  bot: 'Assistant',
  agent: 'Agent',
  unread: '{count} unread messages',
  messages: 'Conversation',
  /** After a message the visitor sent by answering an email. */
  viaEmail: 'via email',
  attach: 'Attach a file',
  dropFiles: 'Drop files to attach them',
  /** On a file waiting in the composer. */
  removeFile: 'Remove {name}',
  fileTooLarge: '{name} is too large to send',
  fileTypeNotAllowed: '{name}: this type of file can’t be sent',
  fileFailed: '{name} could not be sent',
  tooManyFiles: 'At most {count} files per message',
  uploading: 'Uploading {name}',
  /** Removes a message that was not sent. */
  remove: 'Remove',
  voiceNote: 'Voice note',
  record: 'Record a voice note',
  recording: 'Recording',
  stopRecording: 'Send the voice note',
  cancelRecording: 'Cancel the recording',
  micDenied: 'Microphone access was denied. Allow it in your browser’s settings to send voice notes.',
  micFailed: 'The microphone could not be started.',
} as const;

export type WidgetStrings = { [K in keyof typeof DEFAULT_STRINGS]: string };

export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? ''));
}
