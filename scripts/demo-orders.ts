/**
 * The demo orders of `npm start`, so that sorting by POPULAR (seats sold) and
 * `alsoBought` have something to show: each demo buyer (the `buyer*`
 * accounts of DEMO_USERS in @coursegraph/domain) signs in and buys the courses of its basket through the
 * gateway, at the price the catalog shows, as a student in Sandbox would.
 *
 * Why through the running services rather than by writing both databases:
 * orders belong to the order subgraph and seats to the course subgraph, and
 * the seat invariant (seats sold = CONFIRMED reservations = CONFIRMED orders,
 * with the order id as the reservation key) is what the order saga keeps.
 * Placing the orders through it keeps the invariant by construction; a seed of
 * both databases would repeat the saga's writes in two more places, which
 * would have to be kept in step with every later change of either schema.
 *
 * Idempotent: every order has a fixed idempotency key per buyer and course,
 * so a second start replays the same orders (the saga answers the order it
 * already has) and adds nothing. A refusal (a seat sold out by somebody else,
 * a changed price, an archived course) or a buyer who cannot sign in (the
 * login rate limit) is counted and skipped, never fatal.
 */
import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { DEMO_USERS, demoCourseId, type DemoAccount, type Money } from '@coursegraph/domain';
import { CourseDocument, PlaceOrderDocument } from '@coursegraph/client';
import { login } from './login';

/**
 * What each buyer buys, by demo course number (subgraphs/course/src/demo-catalog.ts).
 * Course 21 is bought most (7), then 14 (6); 8, 13, 33 and 38 are bought by as many
 * buyers as they have seats (4, 3, 2, 5), so they end sold out.
 */
export const DEMO_BASKETS: Partial<Record<keyof typeof DEMO_USERS, number[]>> = {
  buyerMaya: [1, 2, 5, 8, 14, 21, 35, 38, 40],
  buyerJonas: [1, 5, 7, 8, 21, 22, 23, 38, 41],
  buyerChloe: [3, 9, 10, 12, 13, 14, 21, 28, 43],
  buyerDiego: [14, 15, 16, 18, 19, 21, 45],
  buyerAisha: [8, 21, 24, 28, 29, 30, 33, 38, 46],
  buyerTom: [1, 3, 9, 11, 12, 13, 14, 38, 39],
  buyerYuki: [8, 14, 21, 34, 35, 36, 38, 42],
  buyerOlivia: [13, 14, 16, 17, 19, 20, 21, 28, 33],
};

export interface DemoOrdersResult {
  /** Orders CONFIRMED (placed now or earlier). */
  confirmed: number;
  /** Orders not confirmed, by user error or GraphQL error code. */
  refused: Record<string, number>;
  /** Buyers who could not sign in, with the reason. */
  skipped: string[];
}

/** The idempotency key of a buyer's order of course `n` (keys are per student): the same on every start. */
export const demoOrderKey = (n: number) => `demo-order-${demoCourseId(n)}`;

type Answer<T> = { data?: T | null; errors?: { message: string; extensions?: { code?: string } }[] };

async function call<T, V>(url: string, document: TypedDocumentNode<T, V>, variables: V, token?: string): Promise<Answer<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: print(document), variables }),
    signal: AbortSignal.timeout(30_000),
  });
  return (await response.json()) as Answer<T>;
}

/** Places the demo orders through the gateway at `gatewayUrl`; throws only when the gateway cannot be reached. */
export async function placeDemoOrders(gatewayUrl: string): Promise<DemoOrdersResult> {
  const result: DemoOrdersResult = { confirmed: 0, refused: {}, skipped: [] };
  const refuse = (code: string) => (result.refused[code] = (result.refused[code] ?? 0) + 1);
  const prices = new Map<number, Promise<Money | null>>();
  const priceOf = (n: number) => {
    if (!prices.has(n)) {
      prices.set(
        n,
        call(gatewayUrl, CourseDocument, { id: demoCourseId(n) }).then((answer) => answer.data?.course?.price ?? null),
      );
    }
    return prices.get(n)!;
  };
  const buy = async (buyer: DemoAccount, basket: number[]) => {
    let token: string;
    try {
      token = await login(gatewayUrl, buyer.email, buyer.password);
    } catch (error) {
      if ((error as Error).message.startsWith('could not reach')) throw error;
      result.skipped.push(`${buyer.email}: ${(error as Error).message}`);
      return;
    }
    for (const n of basket) {
      const price = await priceOf(n);
      if (!price) {
        refuse('NOT_FOUND');
        continue;
      }
      const input = { courseId: demoCourseId(n), expectedPrice: price, idempotencyKey: demoOrderKey(n) };
      const answer = await call(gatewayUrl, PlaceOrderDocument, { input }, token);
      const placed = answer.data?.placeOrder;
      if (placed?.order?.status === 'CONFIRMED') result.confirmed++;
      else refuse(placed?.userErrors[0]?.code ?? placed?.order?.status ?? answer.errors?.[0]?.extensions?.code ?? 'UNKNOWN');
    }
  };
  const baskets = Object.entries(DEMO_BASKETS) as [keyof typeof DEMO_USERS, number[]][];
  await Promise.all(baskets.map(([buyer, basket]) => buy(DEMO_USERS[buyer], basket)));
  return result;
}
