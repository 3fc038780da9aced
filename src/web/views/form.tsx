import type { ComponentChildren } from 'preact';
import { usePage } from './page-context.js';

/** A POST form that carries the CSRF token; every state-changing form is one of these. */
export function Form(props: { action: string; children: ComponentChildren; class?: string; novalidate?: boolean; multipart?: boolean }) {
  const { csrfToken } = usePage();
  // The token comes first: an upload's handler checks it before reading the file that follows.
  return (
    <form method="post" action={props.action} class={props.class} noValidate={props.novalidate}
      enctype={props.multipart ? 'multipart/form-data' : undefined}>
      <input type="hidden" name="_csrf" value={csrfToken()} />
      {props.children}
    </form>
  );
}

interface TextFieldProps {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password';
  value?: string;
  hint?: ComponentChildren;
  error?: string | null;
  /** An error shown elsewhere on the page that concerns this field too (e.g. "wrong email or password"). */
  sharedErrorId?: string;
  autocomplete?: string;
  inputmode?: 'numeric' | 'decimal' | 'email' | 'text';
  maxLength?: number;
  autofocus?: boolean;
  required?: boolean;
  class?: string;
}

/** A labelled input whose hint and error are tied to it (aria-describedby) for screen readers. */
export function TextField(props: TextFieldProps) {
  const hintId = props.hint ? `${props.name}-hint` : null;
  const errorId = props.error ? `${props.name}-error` : null;
  const describedBy = [hintId, errorId, props.sharedErrorId].filter(Boolean).join(' ') || undefined;
  const invalid = Boolean(props.error || props.sharedErrorId);
  const { t } = usePage();
  return (
    <div class={`field${invalid ? ' field-invalid' : ''}`}>
      <label for={props.name}>{props.label}</label>
      {props.hint && <p class="hint" id={hintId!}>{props.hint}</p>}
      {props.error && <p class="field-error" id={errorId!}><span class="visually-hidden">{t('signin.form.errorPrefix')}</span>{props.error}</p>}
      <input
        id={props.name}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value ?? ''}
        class={props.class}
        autocomplete={props.autocomplete}
        inputMode={props.inputmode}
        maxLength={props.maxLength}
        autofocus={props.autofocus}
        required={props.required ?? true}
        aria-invalid={invalid ? 'true' : undefined}
        aria-describedby={describedBy}
        spellcheck={false}
      />
    </div>
  );
}

export function RememberDeviceCheckbox(props: { checked?: boolean }) {
  const { t } = usePage();
  return (
    <div class="field field-checkbox">
      <input type="checkbox" id="remember" name="remember" value="on" checked={props.checked} aria-describedby="remember-hint" />
      <label for="remember">{t('signin.form.rememberDevice')}</label>
      <p class="hint" id="remember-hint">{t('signin.form.rememberDeviceHint')}</p>
    </div>
  );
}

/** A box the user must tick to go on ("I have saved these codes"), its error tied to it. */
export function RequiredCheckbox(props: { name: string; label: string; error?: string | null }) {
  const { t } = usePage();
  const errorId = `${props.name}-error`;
  return (
    <div class={`field field-checkbox${props.error ? ' field-invalid' : ''}`}>
      <input type="checkbox" id={props.name} name={props.name} value="on" required aria-describedby={props.error ? errorId : undefined} aria-invalid={props.error ? 'true' : undefined} />
      <label for={props.name}>{props.label}</label>
      {props.error && <p class="field-error" id={errorId}><span class="visually-hidden">{t('password.fields.errorPrefix')} </span>{props.error}</p>}
    </div>
  );
}

/** A labelled multi-line field, with its error tied to it like TextField's. */
export function TextArea(props: { name: string; label: string; value?: string; hint?: string; error?: string | null; maxLength: number; rows?: number; required?: boolean }) {
  const hintId = props.hint ? `${props.name}-hint` : null;
  const errorId = props.error ? `${props.name}-error` : null;
  const { t } = usePage();
  return (
    <div class={`field${props.error ? ' field-invalid' : ''}`}>
      <label for={props.name}>{props.label}</label>
      {props.hint && <p class="hint" id={hintId!}>{props.hint}</p>}
      {props.error && <p class="field-error" id={errorId!}><span class="visually-hidden">{t('signin.form.errorPrefix')}</span>{props.error}</p>}
      <textarea id={props.name} name={props.name} rows={props.rows ?? 3} maxLength={props.maxLength} required={props.required ?? true}
        aria-invalid={props.error ? 'true' : undefined} aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}>{props.value ?? ''}</textarea>
    </div>
  );
}
