/**
 * Entry of dist/agent-panel.js (served by the hub at /agent-panel.js): importing it defines
 * `<switchboard-agent-panel>` and its inner elements.
 */
export { SwitchboardAgentPanel, type PanelEventMap } from './agent-panel.js';
export { ConversationListView } from './components/conversation-list.js';
export { ConversationView } from './components/conversation-view.js';
export { ConversationSide } from './components/conversation-side.js';
export { AdminView } from './components/admin-view.js';
export { HubApi, ApiError, type Route, type RouteResponse } from './api.js';
export { HubController } from './controllers/hub.js';
export { InboxController } from './controllers/inbox.js';
