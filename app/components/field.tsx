import { PASSWORD_RULES } from '~/password-rules';

/** A labelled form input with its error message beside it (the sign-up, log-in and password forms). */
export function Field({ name, label, error, hint, ...input }: { name: string; label: string; error?: string; hint?: React.ReactNode } & React.InputHTMLAttributes<HTMLInputElement>) {
  const id = `field-${name}`;
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <p className="field">
      <label htmlFor={id}>{label}</label>
      <br />
      <input id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy || undefined} {...input} />
      {hint ? (
        <span id={`${id}-hint`} className="field-hint">
          {' '}
          {hint}
        </span>
      ) : null}
      <FieldError id={id} message={error} />
    </p>
  );
}

/** A field's error beside it, `${id}-error` (what the field's aria-describedby names); nothing when there is none. */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <span id={`${id}-error`} className="field-error" role="alert" data-testid={`${id}-error`}>
      {' '}
      {message}
    </span>
  );
}

/** A new password's field: its rules as the label says them and as the browser checks them (the server checks them again). */
export function NewPasswordField({ label, error }: { label: string; error?: string }) {
  return (
    <Field
      name="password"
      label={`${label} (at least ${PASSWORD_RULES.minLength} characters)`}
      type="password"
      autoComplete="new-password"
      required
      minLength={PASSWORD_RULES.minLength}
      maxLength={PASSWORD_RULES.maxLength}
      {...(error !== undefined && { error })}
    />
  );
}
