/** Entry of dist/agent-panel.js: defines <switchboard-agent-panel> and its parts. */
export { SwitchboardAgentPanel } from './agent-panel.js';
export { ConversationView } from './conversation-view.js';
export { AdminView } from './admin-view.js';
export { HubApi, ApiError } from './api.js';
