/**
 * Agent accounts: sign-in (throttled per account), bearer tokens, and the admin's agent management.
 * Whatever ends an agent's right to work (password reset, disable, delete, role change) revokes every
 * token of theirs and disconnects their panels on every hub; disable, delete and demotion from admin also
 * revoke the API tokens they created (api-tokens.ts).
 */
import type { AgentInput, AgentPatch, LoginResponse, MePatch } from '../../protocol/api.js';
import type { Agent, Me, Role } from '../../protocol/types.js';
import { hashPassword, hashToken, newAgentToken, unmatchableHash, verifyPassword } from '../auth.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { HubError, notFound } from '../errors.js';
import type { Actor } from '../rules/handoff.js';
import { LoginThrottle } from '../rules/login-throttle.js';
import { toAgent } from '../store/mappers.js';
import type { Store } from '../store/store.js';
import type { ApiTokens } from './api-tokens.js';
import type { Assignment } from './assignment.js';
import type { Broadcaster } from './broadcaster.js';
import type { Views } from './views.js';

export interface Authenticated {
  actor: Actor;
  tokenHash: string;
}

export class Accounts {
  readonly #throttle: LoginThrottle;
  /** Compared against when the email is unknown, at the configured cost, so timing doesn't reveal which emails exist. */
  readonly #unknownEmailHash: string;

  constructor(
    private readonly store: Store,
    private readonly views: Views,
    private readonly broadcaster: Broadcaster,
    private readonly clock: Clock,
    private readonly config: Config,
    private readonly assignment?: Assignment,
    private readonly apiTokens?: ApiTokens,
  ) {
    this.#throttle = new LoginThrottle(() => this.clock.now().getTime());
    this.#unknownEmailHash = unmatchableHash(config.passwordHashCost);
  }

  /** @param source the client's address (as trusted per TRUST_PROXY). */
  async login(email: string, password: string, source: string): Promise<LoginResponse> {
    const account = email.trim().toLowerCase();
    const wait = this.#throttle.waitFor(account, source);
    if (wait > 0) throw new HubError('rate_limited', `Too many failed sign-ins; try again in ${Math.ceil(wait / 1000)} s`);
    const agent = await this.store.agents.byEmail(account);
    const ok = await verifyPassword(password, agent?.password_hash ?? this.#unknownEmailHash);
    if (!agent || !ok || agent.disabled === 1) {
      this.#throttle.failed(account, source);
      throw new HubError('unauthorized', 'Wrong email or password');
    }
    this.#throttle.succeeded(account, source);
    const { token, hash } = newAgentToken();
    const expiresAt = new Date(this.clock.now().getTime() + this.config.agentTokenHours * 3_600_000).toISOString();
    await this.store.agents.insertToken(hash, agent.id, expiresAt);
    return { token, expiresAt, agent: toAgent(agent, await this.broadcaster.agentOnline(agent.id)) };
  }

  /** The agent behind a live token, or null. */
  async authenticate(token: string): Promise<Authenticated | null> {
    const tokenHash = hashToken(token);
    const agent = await this.store.agents.byToken(tokenHash, this.clock.now().toISOString());
    return agent ? { actor: { id: agent.id, name: agent.name, role: agent.role as Role }, tokenHash } : null;
  }

  async logout(tokenHash: string): Promise<void> {
    await this.store.agents.revokeToken(tokenHash);
    this.broadcaster.disconnectToken(tokenHash);
  }

  /** The signed-in agent, and whether the hub sends email (their escalation emails need it). */
  async me(actor: Actor): Promise<Me> {
    const agent = await this.store.agents.get(actor.id);
    if (!agent) throw new HubError('unauthorized', 'Account removed');
    return { ...toAgent(agent, await this.broadcaster.agentOnline(agent.id)), mailEnabled: this.config.smtpUrl !== null };
  }

  /** The agent's own preferences (any role): today, whether escalations are emailed while offline. */
  async updateMe(actor: Actor, patch: MePatch): Promise<Me> {
    if (patch.emailOnEscalation !== undefined) await this.store.agents.update(actor.id, { email_on_escalation: patch.emailOnEscalation ? 1 : 0 });
    return this.me(actor);
  }

  async list(): Promise<Agent[]> {
    const agents = await this.store.agents.list();
    return Promise.all(agents.map(async (a) => toAgent(a, await this.broadcaster.agentOnline(a.id))));
  }

  async create(input: AgentInput): Promise<Agent> {
    if (await this.store.agents.byEmail(input.email)) throw new HubError('conflict', 'An agent with this email already exists');
    const agent = await this.store.agents.create({
      email: input.email,
      name: input.name,
      role: input.role,
      password_hash: await hashPassword(input.password, this.config.passwordHashCost),
      disabled: 0,
      created_at: this.clock.now().toISOString(),
    });
    return toAgent(agent, false);
  }

  async update(admin: Actor, id: string, patch: AgentPatch): Promise<Agent> {
    const { name, role, password, disabled, maxOpen, emailOnEscalation } = patch;
    if (id === admin.id && (role === 'agent' || disabled)) throw new HubError('conflict', 'You cannot demote or disable yourself');
    const before = await this.store.agents.get(id);
    if (!before) throw notFound('Agent');
    const agent = await this.store.agents.update(id, {
      ...(name !== undefined && { name }),
      ...(role !== undefined && { role }),
      ...(disabled !== undefined && { disabled: disabled ? 1 : 0 }),
      ...(password !== undefined && { password_hash: await hashPassword(password, this.config.passwordHashCost) }),
      ...(maxOpen !== undefined && { max_open: maxOpen }),
      ...(emailOnEscalation !== undefined && { email_on_escalation: emailOnEscalation ? 1 : 0 }),
    });
    if (!agent) throw notFound('Agent');
    this.views.forgetAgentName(agent.id);
    // A new password or a disable ends every session; re-enabling later does not bring them back.
    if (password !== undefined || disabled) await this.store.agents.revokeAllTokens(agent.id);
    // API tokens act as an enabled admin: a disable or a demotion ends them (a password change does not).
    if (disabled || (before.role === 'admin' && agent.role !== 'admin')) await this.apiTokens?.revokeAllOf(agent.id);
    if (password !== undefined || disabled || role !== undefined) this.broadcaster.disconnectAgent(agent.id);
    // A raised (or removed) cap may let queued conversations in.
    if (maxOpen !== undefined) await this.assignment?.drain().catch(() => undefined);
    return toAgent(agent, await this.broadcaster.agentOnline(agent.id));
  }

  async delete(admin: Actor, id: string): Promise<void> {
    if (id === admin.id) throw new HubError('conflict', 'You cannot delete yourself');
    if (!(await this.store.agents.delete(id))) throw notFound('Agent');
    await this.apiTokens?.revokeAllOf(id);
    this.views.forgetAgentName(id);
    this.broadcaster.disconnectAgent(id);
  }
}
