/** Signs in through the gateway's login mutation and returns the access token. */
export async function login(gatewayUrl: string, email: string, password: string): Promise<string> {
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation Login($input: LoginInput!) { login(input: $input) { accessToken userErrors { code message } } }',
      variables: { input: { email, password } },
    }),
  });
  const body = (await response.json()) as {
    data?: { login: { accessToken: string | null; userErrors: { code: string; message: string }[] } };
    errors?: { message: string }[];
  };
  const token = body.data?.login.accessToken;
  if (!token) throw new Error(body.data?.login.userErrors[0]?.message ?? body.errors?.[0]?.message ?? 'login failed');
  return token;
}
