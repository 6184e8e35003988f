/**
 * The widget's page-facing API (`window.SwitchboardWebchat` for the script tag, `mountWebchat()`'s answer for
 * bundlers): one implementation for both entries.
 */
import type { UserData } from '../protocol/types.js';
import type { SwitchboardWebchat, WebchatEventMap } from './webchat.js';

export type WebchatEvent = keyof WebchatEventMap;

export interface WebchatApi {
  /**
   * Sends `userData` (default: re-reads `window.SMARTLY_USER_DATA`) to the hub. Resolves with
   * `{ verified }`, or null when offline (the data then goes with the next connect).
   */
  update(userData?: UserData): Promise<{ verified: boolean } | null>;
  open(): void;
  close(): void;
  /** Listens to `message`, `open`, `close` or `unread`; returns a function that stops listening. */
  on<E extends WebchatEvent>(event: E, listener: (detail: WebchatEventMap[E]) => void): () => void;
  /** The mounted element, for advanced use. */
  element: SwitchboardWebchat;
}

export function webchatApi(element: SwitchboardWebchat): WebchatApi {
  return {
    update: (userData) => element.updateUserData(userData),
    open: () => element.show(),
    close: () => element.hide(),
    on(event, listener) {
      const handler = (e: Event) => listener((e as CustomEvent<WebchatEventMap[typeof event]>).detail);
      element.addEventListener(`sb-${event}`, handler);
      return () => element.removeEventListener(`sb-${event}`, handler);
    },
    element,
  };
}
