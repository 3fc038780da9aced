// /account/security and its pages (issue #4): every one needs a signed-in session (the access
// guard's default); changes of factors also declare stepUp.
import type { FastifyPluginAsync } from 'fastify';
import { authenticatorRoutes } from './authenticator.js';
import { devicesAndSessionsRoutes } from './devices-and-sessions.js';
import { overviewRoutes } from './overview.js';
import { passwordRoutes } from './password.js';
import { preferencesRoutes } from './preferences.js';
import { recoveryCodeRoutes } from './recovery-codes.js';
import { securityKeyRoutes } from './security-keys.js';

export const accountRoutes: FastifyPluginAsync = async (app) => {
  await app.register(overviewRoutes);
  await app.register(passwordRoutes);
  await app.register(authenticatorRoutes);
  await app.register(recoveryCodeRoutes);
  await app.register(devicesAndSessionsRoutes);
  await app.register(securityKeyRoutes);
  await app.register(preferencesRoutes);
};
