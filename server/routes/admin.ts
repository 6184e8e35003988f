/** Quick replies, bot settings, agents, sites and the dashboard tiles. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { DashboardStats } from '../../protocol/types.js';
import { hashPassword } from '../auth.js';
import { HubError, notFound } from '../errors.js';
import { DEFAULT_SETTINGS } from '../rules/bot.js';
import { isValidTimeZone } from '../rules/time-windows.js';
import { AgentBody, AgentPatchBody, IdParams, QuickReplyBody, SettingsBody } from '../schemas.js';
import { rooms } from '../services/chat.js';
import { toAgent } from '../store/mappers.js';
import { type RouteContext, actor, admin } from './context.js';

export const adminRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { store, bot, chat, clock }) => {
  const now = () => clock.now().toISOString();
  const checkZone = (zone: string) => {
    if (!isValidTimeZone(zone)) throw new HubError('bad_request', `Unknown time zone "${zone}"`);
  };

  app.get('/api/stats', async (request): Promise<DashboardStats> => {
    const viewer = actor(request);
    const open = (await store.openConversations(viewer, chat.retentionCutoff())).filter((c) => c.state === 'open');
    const mine = open.filter((c) => c.holder_id === viewer.id || c.assignees.includes(JSON.stringify(viewer.id)));
    return {
      assignedToMe: mine.length,
      myUnreplied: mine.filter((c) => Number(c.unreplied_count) > 0).length,
      unassigned: open.filter((c) => c.holder_id === null && c.assignees === '[]').length,
      totalUnreplied: open.filter((c) => Number(c.unreplied_count) > 0).length,
    };
  });

  app.get('/api/quick-replies', async (request) => {
    actor(request);
    return { items: await store.listQuickReplies() };
  });
  app.post('/api/quick-replies', { schema: { body: QuickReplyBody } }, async (request, reply) => {
    admin(request);
    checkZone(request.body.timezone);
    const saved = await store.saveQuickReply(null, request.body, now());
    bot.invalidate();
    reply.code(201);
    return saved;
  });
  app.put('/api/quick-replies/:id', { schema: { params: IdParams, body: QuickReplyBody } }, async (request) => {
    admin(request);
    checkZone(request.body.timezone);
    if (!(await store.getQuickReply(request.params.id))) throw notFound('Quick reply');
    const saved = await store.saveQuickReply(request.params.id, request.body, now());
    bot.invalidate();
    return saved;
  });
  app.delete('/api/quick-replies/:id', { schema: { params: IdParams } }, async (request) => {
    admin(request);
    if (!(await store.deleteQuickReply(request.params.id))) throw notFound('Quick reply');
    bot.invalidate();
    return { ok: true as const };
  });

  app.get('/api/settings', async (request) => {
    actor(request);
    return store.getSettings(DEFAULT_SETTINGS);
  });
  app.put('/api/settings', { schema: { body: SettingsBody } }, async (request) => {
    admin(request);
    const current = await store.getSettings(DEFAULT_SETTINGS);
    const next = { ...current, ...request.body };
    if (request.body.responderPriority) next.responderPriority = [...new Set(request.body.responderPriority)];
    await store.putSetting('bot', next);
    bot.invalidate();
    return next;
  });

  app.get('/api/agents', async (request) => {
    actor(request);
    return { items: await Promise.all((await store.listAgents()).map(async (a) => toAgent(a, await chat.agentOnline(a.id)))) };
  });
  app.post('/api/agents', { schema: { body: AgentBody } }, async (request, reply) => {
    admin(request);
    const { email, name, role, password } = request.body;
    if (await store.getAgentByEmail(email)) throw new HubError('conflict', 'An agent with this email already exists');
    const agent = await store.createAgent({ email, name, role, password_hash: await hashPassword(password), disabled: 0, created_at: now() });
    reply.code(201);
    return toAgent(agent, false);
  });
  app.put('/api/agents/:id', { schema: { params: IdParams, body: AgentPatchBody } }, async (request) => {
    const me = admin(request);
    const { name, role, password, disabled } = request.body;
    if (request.params.id === me.id && (role === 'agent' || disabled)) {
      throw new HubError('conflict', 'You cannot demote or disable yourself');
    }
    if (!(await store.getAgent(request.params.id))) throw notFound('Agent');
    const agent = await store.updateAgent(request.params.id, {
      ...(name !== undefined && { name }),
      ...(role !== undefined && { role }),
      ...(disabled !== undefined && { disabled: disabled ? 1 : 0 }),
      ...(password !== undefined && { password_hash: await hashPassword(password) }),
    });
    if (!agent) throw notFound('Agent');
    chat.forgetAgentName(agent.id);
    if (disabled || role !== undefined) chat.agents.in(rooms.agent(agent.id)).disconnectSockets(true);
    return toAgent(agent, await chat.agentOnline(agent.id));
  });
  app.delete('/api/agents/:id', { schema: { params: IdParams } }, async (request) => {
    const me = admin(request);
    if (request.params.id === me.id) throw new HubError('conflict', 'You cannot delete yourself');
    if (!(await store.deleteAgent(request.params.id))) throw notFound('Agent');
    chat.forgetAgentName(request.params.id);
    chat.agents.in(rooms.agent(request.params.id)).disconnectSockets(true);
    return { ok: true as const };
  });

  app.get('/api/sites', async (request) => {
    actor(request);
    const sites = await store.listSites();
    return { items: sites.map((s) => ({ id: s.id, name: s.name, allowedOrigins: JSON.parse(s.allowed_origins) as string[] })) };
  });
};
