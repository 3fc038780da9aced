import type { FastifyReply, FastifyRequest } from 'fastify';
import { audit } from './audit.js';
import { ErrorPage } from './errors.js';
import { sendPage } from './render.js';

/**
 * A patient or record that does not exist or is outside the viewer's care: the same 404 either
 * way (ids reveal nothing), and an audit entry, since guessing ids is worth knowing about.
 */
export async function notInYourCare(request: FastifyRequest, reply: FastifyReply, resource: 'patient' | 'record' | 'flag', id: string) {
  const { user } = request.current!;
  await audit(request, 'health.access_refused', { actorUserId: user.id, subjectUserId: user.id, details: { resource, id: id.slice(0, 64), url: request.url.slice(0, 200) } });
  return sendPage(reply, 404, <ErrorPage title="Not found" message={`There is no ${resource} at this address, or it is not in your care. Check the link, or go back to your patients.`} />);
}
