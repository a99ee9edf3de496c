/**
 * The search scenario's catalog, generated in memory from a fixed seed (the
 * same catalog every run, so the measured and the SQL-logging databases
 * hold the same rows): `courses` published courses in the 30 categories of
 * search-words.ts, each in 1 to 3 of them (its primary one first), titled and
 * described with its categories' topic words; 120 instructors; prices in USD
 * cents from a list of price points; capacity 20-199 seats; and 5 CONFIRMED
 * orders per course on average, spread unevenly (a few courses sell hundreds,
 * many a handful). `sold` = the course's confirmed orders; about 8 % of the
 * courses with orders are sold out (capacity = sold).
 */
import { ADJECTIVES, AUDIENCES, CATEGORY_WORDS, CLOSINGS, FIRST_NAMES, FORMATS, LAST_NAMES, NOUNS } from './search-words';

export interface SearchCategory {
  id: string;
  slug: string;
  name: string;
  topics: string[];
}

export interface SearchCourse {
  id: string;
  title: string;
  description: string;
  /** USD cents. */
  price: number;
  capacity: number;
  /** Confirmed orders = seats sold. */
  sold: number;
  instructorId: string;
  /** Category ids, the primary one first. */
  categoryIds: string[];
}

export interface SearchCatalog {
  categories: SearchCategory[];
  instructors: { id: string; displayName: string }[];
  /** In catalog (created_at) order. */
  courses: SearchCourse[];
  /** Confirmed orders in all. */
  orders: number;
}

/** USD cents. */
export const PRICE_POINTS = [999, 1499, 1999, 2499, 2999, 3999, 4999, 7999, 9999, 12999, 14999, 19999];
const INSTRUCTORS = 120;
const ORDERS_PER_COURSE = 5;

/** mulberry32: a small deterministic PRNG, uniform in [0, 1). */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A version-4-shaped UUID from `random` (deterministic, unlike crypto's). */
function uuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = (8 + Math.floor(random() * 4)).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

const capital = (word: string): string => word[0]!.toUpperCase() + word.slice(1);

/** Title and description of a course whose categories' topic words are `primary` (its own) and `secondary`. */
function text(random: () => number, primary: string[], secondary: string[]): { title: string; description: string } {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const [a, b, c] = [pick(primary), pick(primary), pick(secondary.length ? secondary : primary)];
  const titles = [
    `${pick(ADJECTIVES)} ${capital(a)} ${pick(NOUNS)}`,
    `${capital(a)} ${pick(NOUNS)}: ${pick(ADJECTIVES)} ${capital(b)}`,
    `${pick(NOUNS)} in ${capital(a)} and ${capital(c)}`,
  ];
  const description =
    `Learn ${a}, ${b} and ${c} through ${pick(FORMATS)} and ${pick(FORMATS)}. ` +
    `Suited to ${pick(AUDIENCES)} who want ${pick(ADJECTIVES).toLowerCase()} ${pick(primary)} skills. ${pick(CLOSINGS)}`;
  return { title: pick(titles), description };
}

/** Confirmed orders per course: ORDERS_PER_COURSE × count in all, course rank r drawn as count × u² (popular ones first), shuffled by a stride. */
function ordersPerCourse(random: () => number, count: number): number[] {
  const sold = new Array<number>(count).fill(0);
  const stride = count % 7919 ? 7919 : 7907; // primes: a permutation of the ranks when the stride does not divide count
  for (let index = 0; index < ORDERS_PER_COURSE * count; index++) {
    const rank = Math.floor(count * random() ** 2);
    sold[(rank * stride) % count]! += 1;
  }
  return sold;
}

/** The catalog of `count` courses; the same for the same count. */
export function searchCatalog(count: number): SearchCatalog {
  const random = prng(12);
  const categories = CATEGORY_WORDS.map((words) => ({ id: uuid(random), ...words }));
  const instructors = Array.from({ length: INSTRUCTORS }, (_, index) => ({
    id: uuid(random),
    displayName: `${FIRST_NAMES[index % FIRST_NAMES.length]} ${LAST_NAMES[Math.floor(index / FIRST_NAMES.length) % LAST_NAMES.length]}`,
  }));
  const sold = ordersPerCourse(random, count);
  const courses = sold.map((orders): SearchCourse => {
    const primary = categories[Math.floor(random() * categories.length)]!;
    const others = categories.filter((category) => category !== primary);
    const extra = Array.from({ length: Math.floor(random() * 3) }, () => others[Math.floor(random() * others.length)]!);
    const chosen = [...new Set([primary, ...extra])];
    const soldOut = orders > 0 && random() < 0.08;
    return {
      id: uuid(random),
      ...text(
        random,
        primary.topics,
        chosen.slice(1).flatMap((category) => category.topics),
      ),
      price: PRICE_POINTS[Math.floor(random() * PRICE_POINTS.length)]!,
      capacity: soldOut ? orders : Math.max(orders, 20 + Math.floor(random() * 180)),
      sold: orders,
      instructorId: instructors[Math.floor(random() * instructors.length)]!.id,
      categoryIds: chosen.map((category) => category.id),
    };
  });
  return { categories, instructors, courses, orders: sold.reduce((sum, n) => sum + n, 0) };
}
