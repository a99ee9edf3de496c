/**
 * Signs in through the gateway's login mutation and returns the access token.
 * Throws an Error whose message says what went wrong in words a person can act
 * on: the gateway could not be reached (and where it was looked for), or the
 * sign-in was refused (the server's message).
 */
import { print } from 'graphql';
import { LoginDocument, type LoginMutation, type LoginMutationVariables } from '@coursegraph/client';

export async function login(gatewayUrl: string, email: string, password: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: print(LoginDocument), variables: { input: { email, password } } satisfies LoginMutationVariables }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new Error(`could not reach the gateway at ${gatewayUrl} (${cause}): is it running? (npm start; GATEWAY_PORT or GATEWAY_URL in .env)`, {
      cause: error,
    });
  }
  let body: { data?: LoginMutation; errors?: { message: string }[] };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new Error(`${gatewayUrl} answered HTTP ${response.status}, not GraphQL: is that the gateway's GraphQL URL (it ends in /graphql)?`);
  }
  const token = body.data?.login.accessToken;
  if (!token) throw new Error(body.data?.login.userErrors[0]?.message ?? body.errors?.[0]?.message ?? 'login failed');
  return token;
}
