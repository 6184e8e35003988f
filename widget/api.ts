/**
 * The widget's page-facing API (`window.SwitchboardWebchat` for the script tag, `mountWebchat()`'s answer for
 * bundlers). The script tag's loader (loader.ts) implements it before the chat has loaded; `webchatApi` below is the
 * one for an element that is already there.
 */
import type { UserData } from '../protocol/types.js';
import type { SwitchboardWebchat, WebchatEventMap } from './webchat.js';

export type WebchatEvent = keyof WebchatEventMap;

export interface WebchatApi {
  /**
   * Sends `userData` (default: re-reads `window.SMARTLY_USER_DATA`) to the hub. Resolves with
   * `{ verified }`, or null when offline or not connected yet (the data then goes with the next connect).
   */
  update(userData?: UserData): Promise<{ verified: boolean } | null>;
  /** Opens the panel (with the script tag, loads the chat first if needed). */
  open(): void;
  close(): void;
  /** Listens to `message`, `open`, `close` or `unread`; returns a function that stops listening. */
  on<E extends WebchatEvent>(event: E, listener: (detail: WebchatEventMap[E]) => void): () => void;
  /** The mounted element, for advanced use: with the script tag, `undefined` until the chat has loaded (see `ready`). */
  readonly element: SwitchboardWebchat | undefined;
  /** Resolves with the element once the chat has loaded and mounted (at once with `mountWebchat`). */
  readonly ready: Promise<SwitchboardWebchat>;
}

/** `mountWebchat()`'s answer: the element is there from the start. */
export interface MountedWebchatApi extends WebchatApi {
  readonly element: SwitchboardWebchat;
}

export function webchatApi(element: SwitchboardWebchat): MountedWebchatApi {
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
    ready: Promise.resolve(element),
  };
}
