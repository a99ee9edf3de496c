/**
 * A course: its description, its instructor's public profile, the live seat
 * count and the buy button (or, for a student who has one, their seat:
 * `viewerOrder`), then related courses (same instructor, shared
 * categories; course subgraph) and courses bought together with it (order
 * subgraph), both leaving out courses the signed-in student already owns.
 */
import { useQuery } from 'urql';
import { graphql, type FragmentType } from '../__generated__';
import { BuyButton } from '../components/BuyButton';
import { CourseCard, CourseCardFragment } from '../components/CourseCard';
import { ErrorNote } from '../components/ErrorNote';
import { SeatCount } from '../components/SeatCount';
import { useLiveSeats } from '../live-seats';
import { formatMoney } from '../money';
import { catalogHref } from '../router';
import { useSession } from '../use-session';

const CoursePageDocument = graphql(`
  query CoursePage($id: ID!) {
    course(id: $id) {
      id
      title
      description
      status
      seatsAvailable
      capacity
      price {
        amount
        currency
      }
      categories {
        id
        slug
        name
      }
      instructor {
        id
        displayName
        headline
        bio
        website
      }
      related(first: 4) {
        id
        ...CourseCard_course
      }
      alsoBought(first: 4) {
        id
        ...CourseCard_course
      }
      viewerOrder {
        id
        status
      }
    }
  }
`);

/** Refetch after any order mutation: a purchase or a cancel changes viewerOrder, even from null. */
const ORDER_CONTEXT = { additionalTypenames: ['Order'] };

export function CoursePage({ courseId }: { courseId: string }) {
  const session = useSession();
  const [result] = useQuery({ query: CoursePageDocument, variables: { id: courseId }, context: ORDER_CONTEXT });
  const course = result.data?.course;
  const listed = course ? [course.id, ...course.related.map((other) => other.id), ...course.alsoBought.map((other) => other.id)] : [];
  const live = useLiveSeats(listed);

  if (result.error) return <ErrorNote error={result.error} />;
  if (!course) return result.fetching ? <p className="muted">Loading…</p> : <p data-testid="not-found">There is no such course.</p>;
  const seatsAvailable = live.get(course.id)?.seatsAvailable ?? course.seatsAvailable;
  return (
    <article className="course">
      <p className="muted">
        {course.categories.map((category) => (
          <a key={category.id} className="tag" href={catalogHref(new URLSearchParams({ category: category.slug }))}>
            {category.name}
          </a>
        ))}
      </p>
      <h1 data-testid="course-title">{course.title}</h1>
      <div className="purchase">
        <span className="price">{formatMoney(course.price)}</span>
        <SeatCount seatsAvailable={seatsAvailable} capacity={course.capacity} />
        {course.viewerOrder ? (
          <p className="success" data-testid="has-seat">
            {course.viewerOrder.status === 'CONFIRMED' ? 'You have a seat in this course.' : 'Your order for this course is being confirmed.'}{' '}
            <a href="#/orders">My orders</a>
          </p>
        ) : course.status === 'PUBLISHED' ? (
          <BuyButton key={course.id} courseId={course.id} price={course.price} seatsAvailable={seatsAvailable} signedIn={session !== null} />
        ) : (
          <p className="muted">Not on sale ({course.status.toLowerCase()}).</p>
        )}
      </div>
      <p className="description">{course.description}</p>
      <section className="instructor" data-testid="instructor">
        <h2>Your instructor: {course.instructor.displayName}</h2>
        {course.instructor.headline && <p className="muted">{course.instructor.headline}</p>}
        {course.instructor.bio && <p className="bio">{course.instructor.bio}</p>}
        {course.instructor.website && (
          <a href={course.instructor.website} rel="noopener noreferrer nofollow" target="_blank">
            {course.instructor.website}
          </a>
        )}
      </section>
      <CourseList title="Related courses" testId="related" courses={course.related} live={live} />
      <CourseList title="Students also bought" testId="also-bought" courses={course.alsoBought} live={live} />
    </article>
  );
}

function CourseList(props: {
  title: string;
  testId: string;
  courses: ({ id: string } & FragmentType<typeof CourseCardFragment>)[];
  live: ReturnType<typeof useLiveSeats>;
}) {
  if (props.courses.length === 0) return null;
  return (
    <section data-testid={props.testId}>
      <h2>{props.title}</h2>
      <div className="grid">
        {props.courses.map((course) => (
          <CourseCard key={course.id} course={course} seatsAvailable={props.live.get(course.id)?.seatsAvailable} />
        ))}
      </div>
    </section>
  );
}
