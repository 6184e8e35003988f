/** Muting: the bot stays silent in a muted conversation until unmuted, at most `muteHours`. */

export function unmuteAt(mutedAt: string | null, muteHours: number): string | null {
  if (!mutedAt) return null;
  return new Date(new Date(mutedAt).getTime() + muteHours * 3_600_000).toISOString();
}

/** Conversations muted at or before this instant are due for auto-unmute. */
export function autoUnmuteCutoff(now: Date, muteHours: number): string {
  return new Date(now.getTime() - muteHours * 3_600_000).toISOString();
}

/** The bot answers only when nobody muted it and no agent holds the conversation. */
export function botMayAnswer(conversation: { muted: boolean; holderId: string | null; state: string }): boolean {
  return !conversation.muted && conversation.holderId === null && conversation.state === 'open';
}
