/**
 * One course in a list: title, instructor, price and its live seat count.
 * It reads only the fields of its fragment (fragment masking): a page that
 * lists courses spreads `...CourseCard_course` and passes the masked value.
 */
import { graphql, getFragmentData, type FragmentType } from '../__generated__';
import { formatMoney } from '../money';
import { courseHref } from '../router';
import { SeatCount } from './SeatCount';

export const CourseCardFragment = graphql(`
  fragment CourseCard_course on Course {
    id
    title
    price {
      amount
      currency
    }
    seatsAvailable
    capacity
    instructor {
      id
      displayName
    }
  }
`);

export function CourseCard(props: { course: FragmentType<typeof CourseCardFragment>; seatsAvailable?: number }) {
  const course = getFragmentData(CourseCardFragment, props.course);
  return (
    <a className="card" href={courseHref(course.id)} data-testid="course-card" data-course-id={course.id}>
      <h3>{course.title}</h3>
      <p className="muted">{course.instructor.displayName}</p>
      <p className="card-footer">
        <span className="price">{formatMoney(course.price)}</span>
        <SeatCount seatsAvailable={props.seatsAvailable ?? course.seatsAvailable} capacity={course.capacity} />
      </p>
    </a>
  );
}
