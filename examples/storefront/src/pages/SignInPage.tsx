/**
 * Sign in, or create a student account, then go back where the buyer was
 * (`#/signin?next=...`). Wrong credentials, a taken e-mail, a weak password
 * and the sign-in rate limit come back as `userErrors` and are shown beside
 * the form.
 */
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { ErrorNote } from '../components/ErrorNote';
import { getFragmentData } from '../__generated__';
import { AuthFieldsFragment, LoginDocument, RegisterDocument, sessionOf, signIn } from '../session';

export function SignInPage() {
  const [mode, setMode] = useState<'login' | 'register'>('login');
  const [login, loginMutation] = useMutation(LoginDocument);
  const [register, registerMutation] = useMutation(RegisterDocument);
  const [message, setMessage] = useState<string | null>(null);
  const state = mode === 'login' ? login : register;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setMessage(null);
    const form = new FormData(event.currentTarget);
    const email = String(form.get('email'));
    const password = String(form.get('password'));
    const result =
      mode === 'login'
        ? (await loginMutation({ input: { email, password } })).data?.login
        : (await registerMutation({ input: { email, password, displayName: String(form.get('displayName')) } })).data?.register;
    if (!result) return; // The request failed: ErrorNote shows why.
    const session = sessionOf(result);
    const error = getFragmentData(AuthFieldsFragment, result).userErrors[0];
    if (session) {
      // The page then goes on to `next` by itself (App's AlreadySignedIn), in place of this form in the history.
      signIn(session);
    } else if (error?.code === 'RATE_LIMITED') {
      setMessage(`Too many attempts. Try again in ${error.retryAfterSeconds ?? 60} s.`);
    } else {
      setMessage(error?.message ?? 'That did not work.');
    }
  };

  return (
    <form className="signin" onSubmit={(event) => void submit(event)}>
      <h1>{mode === 'login' ? 'Sign in' : 'Create an account'}</h1>
      {mode === 'register' && (
        <label>
          Name
          <input name="displayName" required maxLength={80} autoComplete="name" />
        </label>
      )}
      <label>
        E-mail
        <input name="email" type="email" required autoComplete="email" data-testid="email" />
      </label>
      <label>
        Password
        <input
          name="password"
          type="password"
          required
          minLength={mode === 'register' ? 10 : undefined}
          autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
          data-testid="password"
        />
      </label>
      {message && (
        <p className="error" role="alert" data-testid="signin-error">
          {message}
        </p>
      )}
      <ErrorNote error={state.error} />
      <button type="submit" disabled={state.fetching} data-testid="signin-submit">
        {mode === 'login' ? 'Sign in' : 'Create account'}
      </button>
      <button type="button" className="link" onClick={() => setMode(mode === 'login' ? 'register' : 'login')}>
        {mode === 'login' ? 'New here? Create an account' : 'Have an account? Sign in'}
      </button>
    </form>
  );
}
