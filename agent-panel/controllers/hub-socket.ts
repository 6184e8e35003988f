/** The panel's live connection (/agent namespace): forwards hub events to the host element. */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { type Socket, io } from 'socket.io-client';
import type { AgentClientToServer, AgentServerToClient } from '../../protocol/events.js';

export type AgentSocket = Socket<AgentServerToClient, AgentClientToServer>;

export class HubSocket implements ReactiveController {
  socket: AgentSocket | null = null;
  connected = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly wire: (socket: AgentSocket) => void,
  ) {
    host.addController(this);
  }

  connect(hub: string, token: string): void {
    this.socket?.disconnect();
    const socket: AgentSocket = io(`${hub}/agent`, { auth: { token }, transports: ['websocket', 'polling'] });
    socket.on('connect', () => {
      this.connected = true;
      this.host.requestUpdate();
    });
    socket.on('disconnect', () => {
      this.connected = false;
      this.host.requestUpdate();
    });
    this.wire(socket);
    this.socket = socket;
  }

  hostConnected(): void {
    this.socket?.connect();
  }

  hostDisconnected(): void {
    this.socket?.disconnect();
  }
}
