// Security keys and passkeys: list, add (a WebAuthn ceremony in the browser), rename, remove.
// Adding and removing change how the account signs in, so they need a fresh code (step-up).
import { isIP } from 'node:net';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { SecurityKey } from '../../db/schema.js';
import {
  KEY_NAME_MAX_LENGTH, keyNameProblem, listSecurityKeys, MAX_SECURITY_KEYS, parseRegistrationResponse, registerSecurityKey,
  registrationOptions, removeSecurityKey, renameSecurityKey,
} from '../../auth/security-keys.js';
import { audit } from '../audit.js';
import { ErrorPage } from '../errors.js';
import { timeFormat } from '../format.js';
import { WebauthnForm } from '../mfa/other-factor-views.js';
import { redirect, sendPage } from '../render.js';
import { csrfField, field } from '../validation.js';
import { Form, TextField } from '../views/form.js';
import { Notice } from '../views/layout.js';
import { doneQuery, type DoneKey } from './notices.js';
import { AccountPage } from './views.js';

const addForm = z.object({ name: field('field.keyName', KEY_NAME_MAX_LENGTH), credential: field('field.securityKeyAnswer', 32_000), _csrf: csrfField });
const renameForm = z.object({ key: field('field.key', 64), name: field('field.keyName', KEY_NAME_MAX_LENGTH), _csrf: csrfField });
const removeForm = z.object({ key: field('field.key', 64), _csrf: csrfField });

export const ADD_KEY_MESSAGES = {
  noAnswer: 'No answer from a security key arrived. Use the button and follow your browser\'s prompts (JavaScript must be on).',
  failed: 'The key\'s answer could not be verified, or the request expired. Try again.',
  duplicate: 'That key is already registered.',
  'too-many': `An account can have at most ${MAX_SECURITY_KEYS} keys. Remove one first.`,
} as const;

export const securityKeyRoutes: FastifyPluginAsync = async (app) => {
  const { ctx } = app;
  const STEP_UP = { stepUp: true } as const;
  const base = '/account/security/keys';
  const time = timeFormat(ctx.config.timeZone);
  const rpIdIsAddress = isIP(ctx.config.webauthn.rpId) !== 0;
  const notFound = <ErrorPage title="Security key not found" message="That key is not registered to your account (any more)." />;

  async function sendAddPage(request: FastifyRequest, reply: FastifyReply, status: number, problems: { name?: string; error?: string }, name = 'Security key') {
    const { session, user } = request.current!;
    const options = status === 200 ? JSON.stringify(await registrationOptions(ctx, user, session.id_hash)) : null;
    return sendPage(reply, status, <AddKeyPage optionsJson={options} name={name} problems={problems} />);
  }

  app.get<{ Querystring: z.infer<typeof doneQuery> }>(base, { schema: { querystring: doneQuery } }, async (request, reply) => {
    const keys = await listSecurityKeys(ctx, request.current!.user.id);
    return sendPage(reply, 200, <KeysPage keys={keys} at={(ms) => (ms === null ? 'never' : time.date(ms))} done={request.query.done} rpIdIsAddress={rpIdIsAddress} />);
  });

  app.get(`${base}/new`, { config: STEP_UP }, async (request, reply) => sendAddPage(request, reply, 200, {}));

  app.post<{ Body: z.infer<typeof addForm> }>(`${base}/new`, { config: STEP_UP, schema: { body: addForm } }, async (request, reply) => {
    const { session, user } = request.current!;
    const nameProblem = keyNameProblem(request.body.name);
    if (nameProblem) return sendAddPage(request, reply, 400, { name: nameProblem }, request.body.name);
    const response = parseRegistrationResponse(request.body.credential);
    if (!response) return sendAddPage(request, reply, 400, { error: ADD_KEY_MESSAGES.noAnswer }, request.body.name);
    const result = await registerSecurityKey(ctx, user.id, session.id_hash, response, request.body.name);
    if (result.outcome !== 'added') return sendAddPage(request, reply, result.outcome === 'failed' ? 401 : 409, { error: ADD_KEY_MESSAGES[result.outcome] }, request.body.name);
    await audit(request, 'security_key.added', { actorUserId: user.id, subjectUserId: user.id, details: { key_id: result.key.id, name: result.key.name } });
    return redirect(reply, `${base}?done=key-added`);
  });

  app.post<{ Body: z.infer<typeof renameForm> }>(`${base}/rename`, { schema: { body: renameForm } }, async (request, reply) => {
    const { user } = request.current!;
    const problem = keyNameProblem(request.body.name);
    if (problem) return sendPage(reply, 400, <ErrorPage title="Name not valid" message={problem} />);
    if (!(await renameSecurityKey(ctx, user.id, request.body.key, request.body.name))) return sendPage(reply, 404, notFound);
    await audit(request, 'security_key.renamed', { actorUserId: user.id, subjectUserId: user.id, details: { key_id: request.body.key, name: request.body.name.trim() } });
    return redirect(reply, `${base}?done=key-renamed`);
  });

  app.post<{ Body: z.infer<typeof removeForm> }>(`${base}/remove`, { config: STEP_UP, schema: { body: removeForm } }, async (request, reply) => {
    const { user } = request.current!;
    const removed = await removeSecurityKey(ctx, user.id, request.body.key);
    if (!removed) return sendPage(reply, 404, notFound);
    await audit(request, 'security_key.removed', { actorUserId: user.id, subjectUserId: user.id, details: { key_id: removed.id, name: removed.name } });
    return redirect(reply, `${base}?done=key-removed`);
  });
};

function KeysPage(props: { keys: SecurityKey[]; at: (ms: number | null) => string; done: DoneKey | undefined; rpIdIsAddress: boolean }) {
  return (
    <AccountPage title="Security keys and passkeys" done={props.done}>
      <p>A FIDO2 security key (such as a YubiKey) or a passkey on this computer or phone can be used at sign-in instead of the code from your app. Your authenticator app stays required: keys are an extra way in, not a replacement.</p>
      {props.rpIdIsAddress && <Notice kind="info">Security keys work only when HMS is reached by a name (such as hms.example.org or localhost), not by an IP address. Ask your administrator.</Notice>}
      {props.keys.length === 0 ? <p class="empty">No security key yet.</p> : (
        <ul class="key-list">
          {props.keys.map((key) => (
            <li class="panel">
              <h2>{key.name}</h2>
              <p class="muted">Added {props.at(key.created_at)} · last used {props.at(key.last_used_at)}</p>
              <div class="key-actions">
                <Form action="/account/security/keys/rename" class="inline-form">
                  <input type="hidden" name="key" value={key.id} />
                  <label for={`name-${key.id}`}>New name</label>
                  <input id={`name-${key.id}`} name="name" type="text" maxLength={KEY_NAME_MAX_LENGTH} value={key.name} required />
                  <button type="submit" class="button-secondary">Rename</button>
                </Form>
                <Form action="/account/security/keys/remove" class="inline-form">
                  <input type="hidden" name="key" value={key.id} />
                  <button type="submit" class="button-link">Remove<span class="visually-hidden"> {key.name}</span></button>
                </Form>
              </div>
            </li>
          ))}
        </ul>
      )}
      {props.keys.length < MAX_SECURITY_KEYS && <p><a class="button-primary" href="/account/security/keys/new">Add a security key</a></p>}
    </AccountPage>
  );
}

function AddKeyPage(props: { optionsJson: string | null; name: string; problems: { name?: string; error?: string } }) {
  return (
    <AccountPage title="Add a security key" narrow>
      <p>Name the key so you can tell it apart later, then follow your browser's prompts: insert and touch the key, or confirm the passkey with your fingerprint, face or PIN.</p>
      {(props.problems.error ?? (props.optionsJson ? null : props.problems.name)) && <Notice kind="error">{props.problems.error ?? props.problems.name}</Notice>}
      {props.optionsJson ? (
        <WebauthnForm action="/account/security/keys/new" mode="register" optionsJson={props.optionsJson} button="Add security key">
          <TextField name="name" label="Name" value={props.name} maxLength={KEY_NAME_MAX_LENGTH} autofocus error={props.problems.name}
            hint="For example: Blue YubiKey, or Work laptop fingerprint." />
        </WebauthnForm>
      ) : <p><a class="button-primary" href="/account/security/keys/new">Try again</a></p>}
    </AccountPage>
  );
}
