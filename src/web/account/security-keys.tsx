// Security keys and passkeys: list, add (a WebAuthn ceremony in the browser), rename, remove.
// Adding and removing change how the account signs in, so they need a fresh code (step-up).
import { isIP } from 'node:net';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { SecurityKey } from '../../db/schema.js';
import type { MessageKey } from '../../i18n/translate.js';
import {
  KEY_NAME_MAX_LENGTH, keyNameProblem, listSecurityKeys, MAX_SECURITY_KEYS, parseRegistrationResponse, registerSecurityKey,
  registrationOptions, removeSecurityKey, renameSecurityKey,
} from '../../auth/security-keys.js';
import { audit } from '../audit.js';
import { ErrorPage } from '../errors.js';
import { WebauthnForm } from '../mfa/other-factor-views.js';
import { redirect, sendPage } from '../render.js';
import { csrfField, field } from '../validation.js';
import { Form, TextField } from '../views/form.js';
import { Notice } from '../views/layout.js';
import { usePage } from '../views/page-context.js';
import { doneQuery, type DoneKey } from './notices.js';
import { AccountPage, hidden } from './views.js';

const addForm = z.object({ name: field('field.keyName', KEY_NAME_MAX_LENGTH), credential: field('field.securityKeyAnswer', 32_000), _csrf: csrfField });
const renameForm = z.object({ key: field('field.key', 64), name: field('field.keyName', KEY_NAME_MAX_LENGTH), _csrf: csrfField });
const removeForm = z.object({ key: field('field.key', 64), _csrf: csrfField });

/** What a refused key is told, by outcome. */
const ADD_KEY_PROBLEMS = {
  failed: 'password.keys.failed',
  duplicate: 'password.keys.duplicate',
  'too-many': 'password.keys.tooMany',
} as const satisfies Record<string, MessageKey>;

export const securityKeyRoutes: FastifyPluginAsync = async (app) => {
  const { ctx } = app;
  const STEP_UP = { stepUp: true } as const;
  const base = '/account/security/keys';
  const rpIdIsAddress = isIP(ctx.config.webauthn.rpId) !== 0;
  const notFound = (request: FastifyRequest) => <ErrorPage title={request.t('password.keys.notFoundTitle')} message={request.t('password.keys.notFound')} />;

  async function sendAddPage(request: FastifyRequest, reply: FastifyReply, status: number, problems: { name?: string; error?: string },
    name = request.t('password.keys.defaultName')) {
    const { session, user } = request.current!;
    const options = status === 200 ? JSON.stringify(await registrationOptions(ctx, user, session.id_hash)) : null;
    return sendPage(reply, status, <AddKeyPage optionsJson={options} name={name} problems={problems} />);
  }

  app.get<{ Querystring: z.infer<typeof doneQuery> }>(base, { schema: { querystring: doneQuery } }, async (request, reply) => {
    const keys = await listSecurityKeys(ctx, request.current!.user.id);
    return sendPage(reply, 200, <KeysPage keys={keys} done={request.query.done} rpIdIsAddress={rpIdIsAddress} />);
  });

  app.get(`${base}/new`, { config: STEP_UP }, async (request, reply) => sendAddPage(request, reply, 200, {}));

  app.post<{ Body: z.infer<typeof addForm> }>(`${base}/new`, { config: STEP_UP, schema: { body: addForm } }, async (request, reply) => {
    const { session, user } = request.current!;
    const nameProblem = keyNameProblem(request.body.name);
    if (nameProblem) return sendAddPage(request, reply, 400, { name: request.t(nameProblem.key, nameProblem.values) }, request.body.name);
    const response = parseRegistrationResponse(request.body.credential);
    if (!response) return sendAddPage(request, reply, 400, { error: request.t('password.keys.noAnswer') }, request.body.name);
    const result = await registerSecurityKey(ctx, user.id, session.id_hash, response, request.body.name);
    if (result.outcome !== 'added') return sendAddPage(request, reply, result.outcome === 'failed' ? 401 : 409, { error: request.t(ADD_KEY_PROBLEMS[result.outcome], { max: MAX_SECURITY_KEYS }) }, request.body.name);
    await audit(request, 'security_key.added', { actorUserId: user.id, subjectUserId: user.id, details: { key_id: result.key.id, name: result.key.name } });
    return redirect(reply, `${base}?done=key-added`);
  });

  app.post<{ Body: z.infer<typeof renameForm> }>(`${base}/rename`, { schema: { body: renameForm } }, async (request, reply) => {
    const { user } = request.current!;
    const problem = keyNameProblem(request.body.name);
    if (problem) return sendPage(reply, 400, <ErrorPage title={request.t('password.keys.nameInvalidTitle')} message={request.t(problem.key, problem.values)} />);
    if (!(await renameSecurityKey(ctx, user.id, request.body.key, request.body.name))) return sendPage(reply, 404, notFound(request));
    await audit(request, 'security_key.renamed', { actorUserId: user.id, subjectUserId: user.id, details: { key_id: request.body.key, name: request.body.name.trim() } });
    return redirect(reply, `${base}?done=key-renamed`);
  });

  app.post<{ Body: z.infer<typeof removeForm> }>(`${base}/remove`, { config: STEP_UP, schema: { body: removeForm } }, async (request, reply) => {
    const { user } = request.current!;
    const removed = await removeSecurityKey(ctx, user.id, request.body.key);
    if (!removed) return sendPage(reply, 404, notFound(request));
    await audit(request, 'security_key.removed', { actorUserId: user.id, subjectUserId: user.id, details: { key_id: removed.id, name: removed.name } });
    return redirect(reply, `${base}?done=key-removed`);
  });
};

function KeysPage(props: { keys: SecurityKey[]; done: DoneKey | undefined; rpIdIsAddress: boolean }) {
  const { t, times } = usePage();
  const at = (ms: number | null) => (ms === null ? t('password.keys.never') : times.date(ms));
  return (
    <AccountPage title={t('password.keys.title')} done={props.done}>
      <p>{t('password.keys.intro')}</p>
      {props.rpIdIsAddress && <Notice kind="info">{t('password.keys.needsName')}</Notice>}
      {props.keys.length === 0 ? <p class="empty">{t('password.keys.none')}</p> : (
        <ul class="key-list">
          {props.keys.map((key) => (
            <li class="panel">
              <h2>{key.name}</h2>
              <p class="muted">{t('password.keys.used', { added: at(key.created_at), used: at(key.last_used_at) })}</p>
              <div class="key-actions">
                <Form action="/account/security/keys/rename" class="inline-form">
                  <input type="hidden" name="key" value={key.id} />
                  <label for={`name-${key.id}`}>{t('password.keys.newName')}</label>
                  <input id={`name-${key.id}`} name="name" type="text" maxLength={KEY_NAME_MAX_LENGTH} value={key.name} required />
                  <button type="submit" class="button-secondary">{t('password.keys.rename')}</button>
                </Form>
                <Form action="/account/security/keys/remove" class="inline-form">
                  <input type="hidden" name="key" value={key.id} />
                  <button type="submit" class="button-link">{t.rich('password.keys.remove', { name: key.name, hidden })}</button>
                </Form>
              </div>
            </li>
          ))}
        </ul>
      )}
      {props.keys.length < MAX_SECURITY_KEYS && <p><a class="button-primary" href="/account/security/keys/new">{t('password.keys.add')}</a></p>}
    </AccountPage>
  );
}

function AddKeyPage(props: { optionsJson: string | null; name: string; problems: { name?: string; error?: string } }) {
  const { t } = usePage();
  return (
    <AccountPage title={t('password.keys.addTitle')} narrow>
      <p>{t('password.keys.addIntro')}</p>
      {(props.problems.error ?? (props.optionsJson ? null : props.problems.name)) && <Notice kind="error">{props.problems.error ?? props.problems.name}</Notice>}
      {props.optionsJson ? (
        <WebauthnForm action="/account/security/keys/new" mode="register" optionsJson={props.optionsJson} button={t('password.keys.addButton')}>
          <TextField name="name" label={t('password.keys.nameLabel')} value={props.name} maxLength={KEY_NAME_MAX_LENGTH} autofocus error={props.problems.name}
            hint={t('password.keys.nameHint')} />
        </WebauthnForm>
      ) : <p><a class="button-primary" href="/account/security/keys/new">{t('password.keys.tryAgain')}</a></p>}
    </AccountPage>
  );
}
