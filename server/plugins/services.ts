/** Makes the hub's services available to every route as `app.services` (fastify-plugin: not encapsulated). */
import fp from 'fastify-plugin';
import type { HubServices } from '../services/hub-services.js';

export const servicesPlugin = fp<{ services: HubServices }>(
  async (app, { services }) => {
    app.decorate('services', services);
  },
  { name: 'switchboard-services' },
);
