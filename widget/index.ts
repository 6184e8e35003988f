/**
 * The widget as an ES module, for sites that bundle their front end (`npm install @switchboard-chat/widget`):
 *
 *   import { mountWebchat } from '@switchboard-chat/widget';
 *   const chat = mountWebchat({ hub: 'https://chat.example.com', site: 'SITE_KEY' });
 *   chat.on('unread', ({ count }) => …);
 *
 * Importing it defines `<switchboard-webchat>`; nothing else runs until `mountWebchat` is called. The script-tag
 * build (`widget/loader.ts`) mounts the same element from its tag's data attributes instead.
 */
import type { WidgetStrings } from './strings.js';
import { type MountedWebchatApi, webchatApi } from './api.js';
import { SwitchboardWebchat } from './webchat.js';

export { SwitchboardWebchat, type WebchatEventMap } from './webchat.js';
export type { MountedWebchatApi, WebchatApi, WebchatEvent } from './api.js';
export type { WidgetStrings } from './strings.js';
export type { UserData } from '../protocol/types.js';

export interface MountOptions {
  /** Base URL of the hub, e.g. `https://chat.example.com`. */
  hub: string;
  /** The site key configured on the hub. */
  site: string;
  /** Overrides of the widget's texts. */
  strings?: Partial<WidgetStrings>;
  /** Where to append the element (default: `document.body`). */
  container?: HTMLElement;
}

/** Creates `<switchboard-webchat>`, appends it and answers its API. Call it once per page. */
export function mountWebchat(options: MountOptions): MountedWebchatApi {
  const element = new SwitchboardWebchat();
  element.hub = options.hub;
  element.site = options.site;
  element.strings = options.strings ?? {};
  (options.container ?? document.body).append(element);
  return webchatApi(element);
}
