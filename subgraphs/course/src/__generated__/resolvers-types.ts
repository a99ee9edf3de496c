import { GraphQLResolveInfo } from 'graphql';
import { Course as CourseEntity } from '../entities/course';
import { Category as CategoryEntity } from '../entities/category';
import { CourseConnection as CourseConnectionModel } from '../search';
import { Reservation as ReservationEntity } from '../entities/reservation';
import { SeatEvent } from '../seat-event';
import { UserRef, CourseContext } from '../context';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  _FieldSet: { input: unknown; output: unknown; }
};

/** Input of addCoursesToCategory. */
export type AddCoursesToCategoryInput = {
  /** The category to add the courses to. */
  categoryId: Scalars['ID']['input'];
  /** 1 to 100 courses; those already in the category stay as they are. */
  courseIds: Array<Scalars['ID']['input']>;
};

/** Input of cancelReservation. Internal. */
export type CancelReservationInput = {
  /** The course the key is for. With `holderId`: cancel the key even before it is used. */
  courseId?: InputMaybe<Scalars['ID']['input']>;
  /** The holder the key is for. With `courseId`: cancel the key even before it is used. */
  holderId?: InputMaybe<Scalars['ID']['input']>;
  /** The idempotency key the reservation was made with. */
  key: Scalars['String']['input'];
};

/**
 * A subject of the catalog, such as Databases. A course belongs to 0 to 10
 * categories; admins manage the categories.
 */
export type Category = {
  __typename?: 'Category';
  /** Number of published courses in the category. */
  courseCount: Scalars['Int']['output'];
  /**
   * Courses of the category, oldest first: the published ones, and drafts and
   * archived ones too for their instructor and admins. `first` defaults to 20
   * and is at most 100.
   */
  courses: CourseConnection;
  /** Longer description, at most 500 characters, may be empty. */
  description: Scalars['String']['output'];
  /** Stable identifier (UUID). */
  id: Scalars['ID']['output'];
  /** Display name, 1 to 80 characters. */
  name: Scalars['String']['output'];
  /** Unique name in URLs: lower-case letters, digits and single inner hyphens, 2 to 60 characters. */
  slug: Scalars['String']['output'];
};


/**
 * A subject of the catalog, such as Databases. A course belongs to 0 to 10
 * categories; admins manage the categories.
 */
export type CategoryCoursesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** A page of categories, by name. */
export type CategoryConnection = {
  __typename?: 'CategoryConnection';
  /** The categories in this page. */
  edges: Array<CategoryEdge>;
  /** Where this page ends and whether more follow. */
  pageInfo: PageInfo;
};

/** One category in a page of categories. */
export type CategoryEdge = {
  __typename?: 'CategoryEdge';
  /** Opaque position of this category; pass it as `after` to continue after it. */
  cursor: Scalars['String']['output'];
  /** The category. */
  node: Category;
};

/** A category and how many courses of it match a search and filter. */
export type CategoryFacet = {
  __typename?: 'CategoryFacet';
  /** The category. */
  category: Category;
  /** Courses of the category that match. */
  count: Scalars['Int']['output'];
};

/** Result of a mutation on a category. */
export type CategoryPayload = {
  __typename?: 'CategoryPayload';
  /** The category after the change, or null when nothing changed because of an error. */
  category?: Maybe<Category>;
  /** Expected failures; empty on success. */
  userErrors: Array<UserError>;
};

/**
 * A course with a fixed number of seats. Always
 * seatsAvailable + seatsHeld + seatsSold = capacity.
 */
export type Course = {
  __typename?: 'Course';
  /** Total number of seats. */
  capacity: Scalars['Int']['output'];
  /** The categories the course belongs to (0 to 10), by name. */
  categories: Array<Category>;
  /** When the course was created (ISO 8601). */
  createdAt: Scalars['String']['output'];
  /** Longer description, may be empty. */
  description: Scalars['String']['output'];
  /** Stable identifier (UUID). */
  id: Scalars['ID']['output'];
  /** The user who teaches and manages the course. */
  instructor: User;
  /** Identifier of the user who teaches and manages the course. */
  instructorId: Scalars['ID']['output'];
  /** Price of one seat. */
  price: Money;
  /**
   * Other published courses to take next, best first: the same instructor's
   * first, then those sharing the most categories with this one, then the most
   * seats sold, then the newest (ties by id). Never this course; for a signed-in
   * student, never a course the student already holds a confirmed seat of. A
   * short list, not a connection: there is no next page.
   */
  related: Array<Course>;
  /** Seats that can be bought right now. */
  seatsAvailable: Scalars['Int']['output'];
  /** Seats held by pending reservations (a checkout in progress). */
  seatsHeld: Scalars['Int']['output'];
  /** Seats sold to students. */
  seatsSold: Scalars['Int']['output'];
  /** Increases by one on every change of the seat counters; lets clients drop stale updates. */
  seatsVersion: Scalars['Int']['output'];
  /** Lifecycle status. */
  status: CourseStatus;
  /** Title shown in the catalog, 1 to 200 characters. */
  title: Scalars['String']['output'];
};


/**
 * A course with a fixed number of seats. Always
 * seatsAvailable + seatsHeld + seatsSold = capacity.
 */
export type CourseRelatedArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** A page of courses, oldest first. */
export type CourseConnection = {
  __typename?: 'CourseConnection';
  /** The courses in this page. */
  edges: Array<CourseEdge>;
  /** Where this page ends and whether more follow. */
  pageInfo: PageInfo;
  /** How many courses match in all pages (counted only when asked for). */
  totalCount: Scalars['Int']['output'];
};

/** One course in a page of courses. */
export type CourseEdge = {
  __typename?: 'CourseEdge';
  /** Opaque position of this course; pass it as `after` to continue after it. */
  cursor: Scalars['String']['output'];
  /** The course. */
  node: Course;
};

/** Conditions on a course list; every one given must hold. */
export type CourseFilter = {
  /** Courses in any of these categories, by id (with `categorySlugs`: in any category of either list). At most 20 in all. */
  categoryIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Courses in any of these categories, by slug. An unknown id or slug is BAD_USER_INPUT. */
  categorySlugs?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Only courses priced in this ISO 4217 currency; required with a price range. */
  currency?: InputMaybe<Scalars['String']['input']>;
  /** Only this instructor's courses. */
  instructorId?: InputMaybe<Scalars['ID']['input']>;
  /** Highest price, in minor units of `currency`, included. */
  maxPrice?: InputMaybe<Scalars['Int']['input']>;
  /** Lowest price, in minor units of `currency`, included. */
  minPrice?: InputMaybe<Scalars['Int']['input']>;
  /** Only courses with a seat left. */
  seatsAvailable?: InputMaybe<Scalars['Boolean']['input']>;
  /** Statuses to list (default: PUBLISHED). Others only for admins, or an instructor with `instructorId` set to themselves. */
  statuses?: InputMaybe<Array<CourseStatus>>;
};

/** Input of publishCourse and archiveCourse. */
export type CourseIdInput = {
  /** The course to change. */
  courseId: Scalars['ID']['input'];
};

/** Result of a mutation on a course. */
export type CoursePayload = {
  __typename?: 'CoursePayload';
  /** The course after the change, or null when nothing changed because of an error. */
  course?: Maybe<Course>;
  /** Expected failures; empty on success. */
  userErrors: Array<UserError>;
};

/** The order of a course list; ties are broken by id, so paging never repeats or skips a course that stays put. */
export type CourseSort =
  /** Newest first. */
  | 'NEWEST'
  /** Oldest first. */
  | 'OLDEST'
  /** Most seats sold first. */
  | 'POPULAR'
  /** Cheapest first. */
  | 'PRICE_ASC'
  /** Most expensive first. */
  | 'PRICE_DESC'
  /** Best match to `search` first, a title match before a description match. Only with `search`. */
  | 'RELEVANCE'
  /** Most seats left first. */
  | 'SEATS_LEFT'
  /** By title, A to Z, ignoring letter case. */
  | 'TITLE';

/** Where a course is in its life: only published courses sell seats. */
export type CourseStatus =
  /** Withdrawn: sells no more seats; existing orders stay. */
  | 'ARCHIVED'
  /** Being prepared by its instructor; not visible in the catalog, sells nothing. */
  | 'DRAFT'
  /** In the catalog and selling seats. */
  | 'PUBLISHED';

/** Input of createCategory. */
export type CreateCategoryInput = {
  /** Description, at most 500 characters. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** Display name, 1 to 80 characters after trimming. */
  name: Scalars['String']['input'];
  /** Unique slug: lower-case letters, digits and single inner hyphens, 2 to 60 characters. */
  slug: Scalars['String']['input'];
};

/** Input of createCourse. The caller becomes the instructor. */
export type CreateCourseInput = {
  /** Number of seats, an integer from 1 to 100000. */
  capacity: Scalars['Int']['input'];
  /** Description, at most 5000 characters. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** Price of one seat. */
  price: MoneyInput;
  /** Title, 1 to 200 characters after trimming. */
  title: Scalars['String']['input'];
};

/** Input of deleteCategory. */
export type DeleteCategoryInput = {
  /** The category to delete. */
  categoryId: Scalars['ID']['input'];
  /** Remove the category from its courses first; without it a category with courses is refused (CATEGORY_IN_USE). */
  detach?: InputMaybe<Scalars['Boolean']['input']>;
};

/** Result of deleteCategory. */
export type DeleteCategoryPayload = {
  __typename?: 'DeleteCategoryPayload';
  /** Id of the deleted category, or null when nothing was deleted. */
  deletedCategoryId?: Maybe<Scalars['ID']['output']>;
  /** How many courses the category was removed from (with `detach`). */
  detachedCourseCount?: Maybe<Scalars['Int']['output']>;
  /** Expected failures; empty on success. */
  userErrors: Array<UserError>;
};

/** Result of deleteCourse. */
export type DeleteCoursePayload = {
  __typename?: 'DeleteCoursePayload';
  /** The id of the course deleted, or null when nothing was deleted because of an error. */
  deletedCourseId?: Maybe<Scalars['ID']['output']>;
  /** Expected failures; empty on success. */
  userErrors: Array<UserError>;
};

/**
 * An amount of money: integer minor units (cents for USD) plus an ISO 4217
 * currency code. Never a float.
 */
export type Money = {
  __typename?: 'Money';
  /** Amount in the currency's minor units, for example 1999 for USD 19.99. */
  amount: Scalars['Int']['output'];
  /** ISO 4217 currency code, three upper-case letters, for example USD. */
  currency: Scalars['String']['output'];
};

/** An amount of money as input: integer minor units plus an ISO 4217 currency code. */
export type MoneyInput = {
  /** Amount in minor units; an integer between 0 and 100000000. */
  amount: Scalars['Int']['input'];
  /** ISO 4217 currency code, three upper-case letters. */
  currency: Scalars['String']['input'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Add many courses to one category (admins); idempotent. */
  addCoursesToCategory: CategoryPayload;
  /** Withdraw a course from sale. */
  archiveCourse: CoursePayload;
  /**
   * Give a reserved or sold seat back. With the key's course and holder, a key
   * not used yet is cancelled before it is used: a purchase or hold with it that
   * arrives later takes no seat. Internal: order saga only.
   */
  cancelReservation: ReservationPayload;
  /** Turn a pending reservation into a sold seat. Internal: order saga only. */
  confirmReservation: ReservationPayload;
  /** Create a category (admins). */
  createCategory: CategoryPayload;
  /** Create a draft course taught by the caller (instructors and admins). */
  createCourse: CoursePayload;
  /** Delete a category (admins); one with courses only with `detach: true`. */
  deleteCategory: DeleteCategoryPayload;
  /**
   * Delete a draft that never held a seat (its instructor or an admin). A course
   * that was published, or ever had a reservation, is not deleted
   * (ILLEGAL_TRANSITION): archive it instead, so its orders keep their course.
   */
  deleteCourse: DeleteCoursePayload;
  /** Put a draft course in the catalog so it sells seats. */
  publishCourse: CoursePayload;
  /**
   * Sell one seat for an order at once (available -> sold): reserveSeat and
   * confirmReservation in one call and one locked statement, idempotent on the
   * key. The order saga's call. Internal: order saga only.
   */
  purchaseSeat: ReservationPayload;
  /**
   * Hold one seat for an order until it is confirmed, cancelled or expires, for
   * checkouts that need a hold (e.g. a payment step). Internal: order saga only.
   */
  reserveSeat: ReservationPayload;
  /** Replace a course's categories (its instructor or an admin); idempotent, order does not matter. */
  setCourseCategories: CoursePayload;
  /** Change a category's slug, name or description (admins). */
  updateCategory: CategoryPayload;
  /**
   * Change a course's title or description (its instructor or an admin). Any
   * status but archived; a published course shows the change at once.
   */
  updateCourse: CoursePayload;
  /** Change the number of seats; never below the seats held and sold. */
  updateCourseCapacity: CoursePayload;
  /** Change the price of one seat; orders already placed keep their price. */
  updateCoursePrice: CoursePayload;
};


export type MutationAddCoursesToCategoryArgs = {
  input: AddCoursesToCategoryInput;
};


export type MutationArchiveCourseArgs = {
  input: CourseIdInput;
};


export type MutationCancelReservationArgs = {
  input: CancelReservationInput;
};


export type MutationConfirmReservationArgs = {
  input: ReservationKeyInput;
};


export type MutationCreateCategoryArgs = {
  input: CreateCategoryInput;
};


export type MutationCreateCourseArgs = {
  input: CreateCourseInput;
};


export type MutationDeleteCategoryArgs = {
  input: DeleteCategoryInput;
};


export type MutationDeleteCourseArgs = {
  input: CourseIdInput;
};


export type MutationPublishCourseArgs = {
  input: CourseIdInput;
};


export type MutationPurchaseSeatArgs = {
  input: ReserveSeatInput;
};


export type MutationReserveSeatArgs = {
  input: ReserveSeatInput;
};


export type MutationSetCourseCategoriesArgs = {
  input: SetCourseCategoriesInput;
};


export type MutationUpdateCategoryArgs = {
  input: UpdateCategoryInput;
};


export type MutationUpdateCourseArgs = {
  input: UpdateCourseInput;
};


export type MutationUpdateCourseCapacityArgs = {
  input: UpdateCourseCapacityInput;
};


export type MutationUpdateCoursePriceArgs = {
  input: UpdateCoursePriceInput;
};

/** Paging information of a connection. */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** Cursor of the last item returned, or null for an empty page. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** Whether more items follow the last one returned. */
  hasNextPage: Scalars['Boolean']['output'];
};

export type Query = {
  __typename?: 'Query';
  /** All categories by name (then id). `first` defaults to 100, the maximum, so one page holds a storefront's menu. */
  categories: CategoryConnection;
  /** A category by slug, or null when there is none. */
  category?: Maybe<Category>;
  /** A course by id. Drafts and archived courses are visible to their instructor and to admins only. */
  course?: Maybe<Course>;
  /**
   * Every category with how many courses match `search` and `filter`, the
   * filter's own categories left out: what a storefront shows beside its
   * category choices. The same arguments, and errors, as `courses`.
   */
  courseFacets: Array<CategoryFacet>;
  /**
   * The catalog: published courses (and, for admins or an instructor filtering
   * on their own courses, other statuses), searched, filtered and sorted, a page
   * at a time. Without `sort`: RELEVANCE with `search`, OLDEST without. `first`
   * defaults to 20 and is at most 100; `after` must come from the same search,
   * filter and sort. Bad arguments are BAD_USER_INPUT errors.
   */
  courses: CourseConnection;
  /**
   * Of `ids` (at most 2000), those that are published courses, in the order
   * given; unknown and malformed ids are left out. Internal: the order
   * subgraph's Course.alsoBought only.
   */
  publishedCourseIds: Array<Scalars['ID']['output']>;
  /** A reservation by its idempotency key. Internal: order saga only. */
  reservation?: Maybe<Reservation>;
  /** A course's seat counters and reservation keys, or null for no such course. Internal: order reconciliation audit only. */
  seatLedger?: Maybe<SeatLedger>;
};


export type QueryCategoriesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryCategoryArgs = {
  slug: Scalars['String']['input'];
};


export type QueryCourseArgs = {
  id: Scalars['ID']['input'];
};


export type QueryCourseFacetsArgs = {
  filter?: InputMaybe<CourseFilter>;
  search?: InputMaybe<Scalars['String']['input']>;
};


export type QueryCoursesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<CourseFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  search?: InputMaybe<Scalars['String']['input']>;
  sort?: InputMaybe<CourseSort>;
};


export type QueryPublishedCourseIdsArgs = {
  ids: Array<Scalars['ID']['input']>;
};


export type QueryReservationArgs = {
  key: Scalars['String']['input'];
};


export type QuerySeatLedgerArgs = {
  courseId: Scalars['ID']['input'];
};

/** A hold on one seat of a course, made by the order saga. Internal. */
export type Reservation = {
  __typename?: 'Reservation';
  /** The course the seat belongs to. */
  courseId: Scalars['ID']['output'];
  /** When a PENDING reservation expires (ISO 8601). */
  expiresAt: Scalars['String']['output'];
  /** Stable identifier (UUID). */
  id: Scalars['ID']['output'];
  /** The caller's idempotency key (the order id). */
  key: Scalars['String']['output'];
  /** Price of the seat when it was reserved. */
  price: Money;
  /** Current state. */
  status: ReservationStatus;
};

/** Input of confirmReservation. Internal. */
export type ReservationKeyInput = {
  /** The idempotency key the reservation was made with. */
  key: Scalars['String']['input'];
};

/** Result of a reservation mutation. Internal. */
export type ReservationPayload = {
  __typename?: 'ReservationPayload';
  /** The course's counters after the call, when known. */
  course?: Maybe<Course>;
  /** The reservation in its current state, or null when none was made. */
  reservation?: Maybe<Reservation>;
  /** Expected failures; empty on success. */
  userErrors: Array<UserError>;
};

/** State of a seat reservation. */
export type ReservationStatus =
  /** Seat given back by the buyer or the order saga. */
  | 'CANCELLED'
  /** Seat sold. */
  | 'CONFIRMED'
  /** Seat given back because the reservation was not confirmed in time. */
  | 'EXPIRED'
  /** Seat held until expiresAt, waiting for confirmation. */
  | 'PENDING';

/** Input of purchaseSeat and reserveSeat. Internal. */
export type ReserveSeatInput = {
  /** The course to take a seat of. */
  courseId: Scalars['ID']['input'];
  /** The price the buyer agreed to; the seat is taken only if it is still the price. */
  expectedPrice: MoneyInput;
  /** Who the seat is for. */
  holderId: Scalars['ID']['input'];
  /** The caller's idempotency key (the order id): a repeated call returns the same reservation. */
  key: Scalars['String']['input'];
};

/**
 * What changed a course's seat counts. CURRENT and RESYNC carry the state as it
 * is, not a change: CURRENT when a subscription starts, RESYNC after the server
 * lost and regained its event stream.
 */
export type SeatChangeReason =
  /** A reservation or a sold seat was given back (held or sold -> available). */
  | 'CANCELLED'
  /** The instructor changed the capacity. */
  | 'CAPACITY_CHANGED'
  /** A reservation was confirmed (held -> sold). */
  | 'CONFIRMED'
  /** The state when the subscription started. */
  | 'CURRENT'
  /** A reservation expired unconfirmed (held -> available). */
  | 'EXPIRED'
  /** A seat was sold at once, without a hold (available -> sold). */
  | 'PURCHASED'
  /** A seat was reserved (available -> held). */
  | 'RESERVED'
  /** The state after the server's event stream reconnected. */
  | 'RESYNC';

/**
 * One course's seat counters and the reservations behind them, for the order
 * subgraph's reconciliation audit. Internal.
 */
export type SeatLedger = {
  __typename?: 'SeatLedger';
  /** Total seats. */
  capacity: Scalars['Int']['output'];
  /** Keys (order ids) of the CONFIRMED reservations. */
  confirmedKeys: Array<Scalars['String']['output']>;
  /** The course. */
  courseId: Scalars['ID']['output'];
  /** Keys (order ids) of the PENDING reservations. */
  pendingKeys: Array<Scalars['String']['output']>;
  /** Seats free to reserve. */
  seatsAvailable: Scalars['Int']['output'];
  /** Seats held by PENDING reservations. */
  seatsHeld: Scalars['Int']['output'];
  /** Seats sold (CONFIRMED reservations). */
  seatsSold: Scalars['Int']['output'];
};

/**
 * A committed change of one course's seat counts. Events of a course carry a
 * strictly increasing `version`: drop any event whose version is not above the
 * last one seen.
 */
export type SeatsChangedEvent = {
  __typename?: 'SeatsChangedEvent';
  /** Total number of seats. */
  capacity: Scalars['Int']['output'];
  /** When the change was made in the database (ISO 8601, millisecond precision). */
  changedAt: Scalars['String']['output'];
  /** The course itself, for any other fields (title, price, enrollmentCount...). */
  course: Course;
  /** The course whose seats changed. */
  courseId: Scalars['ID']['output'];
  /** What changed the counts. */
  reason: SeatChangeReason;
  /** Seats that can be bought now. */
  seatsAvailable: Scalars['Int']['output'];
  /** Seats held by pending reservations. */
  seatsHeld: Scalars['Int']['output'];
  /** Seats sold. */
  seatsSold: Scalars['Int']['output'];
  /** The course's seatsVersion after the change; strictly increasing per course. */
  version: Scalars['Int']['output'];
};

/** Input of setCourseCategories. */
export type SetCourseCategoriesInput = {
  /** The course's categories from now on, 0 to 10 distinct ids, in any order; repeats count once. */
  categoryIds: Array<Scalars['ID']['input']>;
  /** The course whose categories are replaced. */
  courseId: Scalars['ID']['input'];
};

export type Subscription = {
  __typename?: 'Subscription';
  /**
   * Live seat counts of 1 to 50 courses: first their current state, then every
   * committed change, in order. Anyone may watch published courses.
   */
  seatsChanged: SeatsChangedEvent;
};


export type SubscriptionSeatsChangedArgs = {
  courseIds: Array<Scalars['ID']['input']>;
};

/** Input of updateCategory: the fields given change, the others stay. */
export type UpdateCategoryInput = {
  /** The category to change. */
  categoryId: Scalars['ID']['input'];
  /** A new description. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** A new display name. */
  name?: InputMaybe<Scalars['String']['input']>;
  /** A new unique slug. */
  slug?: InputMaybe<Scalars['String']['input']>;
};

/** Input of updateCourseCapacity. */
export type UpdateCourseCapacityInput = {
  /** The new number of seats; never below seatsHeld + seatsSold. */
  capacity: Scalars['Int']['input'];
  /** The course to resize. */
  courseId: Scalars['ID']['input'];
};

/** Input of updateCourse: the catalog fields to change; a field left out (or null) stays as it is. */
export type UpdateCourseInput = {
  /** The course to change. */
  courseId: Scalars['ID']['input'];
  /** New description, at most 5000 characters; an empty string clears it. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** New title, 1 to 200 characters after trimming. */
  title?: InputMaybe<Scalars['String']['input']>;
};

/** Input of updateCoursePrice. */
export type UpdateCoursePriceInput = {
  /** The course to reprice. */
  courseId: Scalars['ID']['input'];
  /** The new price of one seat. */
  price: MoneyInput;
};

/** A person with an account. */
export type User = {
  __typename?: 'User';
  /**
   * Courses this user teaches, oldest first: the published ones, or all of them
   * for the user and admins. `first` defaults to 20 and is at most 100.
   */
  coursesTaught: CourseConnection;
  /** Stable identifier (UUID). */
  id: Scalars['ID']['output'];
  /** How many published courses this user teaches (0 for a user who teaches none). */
  publishedCourseCount: Scalars['Int']['output'];
};


/** A person with an account. */
export type UserCoursesTaughtArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** An expected failure of a mutation, for the client to show or act on. */
export type UserError = {
  __typename?: 'UserError';
  /** Machine-readable reason. */
  code: UserErrorCode;
  /** For PRICE_CHANGED: the price now asked. */
  currentPrice?: Maybe<Money>;
  /** Input field the error is about, as a path such as `input.price.amount`, or null. */
  field?: Maybe<Scalars['String']['output']>;
  /** Human-readable explanation. */
  message: Scalars['String']['output'];
  /** For RATE_LIMITED: seconds until the next attempt is allowed. */
  retryAfterSeconds?: Maybe<Scalars['Int']['output']>;
};

/** What went wrong with an expected failure of a mutation. */
export type UserErrorCode =
  /** The requested capacity is below the seats already held and sold. */
  | 'CAPACITY_BELOW_TAKEN'
  /** The category still has courses; delete it with `detach: true` to remove them from it first. */
  | 'CATEGORY_IN_USE'
  /** The course is not published (draft or archived). */
  | 'COURSE_NOT_PUBLISHED'
  /** The idempotency key was already used for a different request. */
  | 'IDEMPOTENCY_KEY_REUSED'
  /** The entity is not in a state that allows this transition. */
  | 'ILLEGAL_TRANSITION'
  /** No such entity, or not visible to the caller. */
  | 'NOT_FOUND'
  /** The price changed since the buyer saw it; `currentPrice` carries the new one. */
  | 'PRICE_CHANGED'
  /** Too many attempts; `retryAfterSeconds` says when to try again. */
  | 'RATE_LIMITED'
  /** The reservation expired before it was confirmed. */
  | 'RESERVATION_EXPIRED'
  /** Another category already has this slug. */
  | 'SLUG_TAKEN'
  /** No seat is free. */
  | 'SOLD_OUT'
  /** A course would belong to more than 10 categories. */
  | 'TOO_MANY_CATEGORIES'
  /** An argument failed validation; `field` names it. */
  | 'VALIDATION';

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = ResolversObject<{
  Course: Course;
  User: User;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Course:
    ( { __typename: 'Course' }
    & GraphQLRecursivePick<FederationTypes['Course'], {"id":true}> );
  User:
    ( { __typename: 'User' }
    & GraphQLRecursivePick<FederationTypes['User'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  AddCoursesToCategoryInput: AddCoursesToCategoryInput;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  CancelReservationInput: CancelReservationInput;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Category: ResolverTypeWrapper<CategoryEntity>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  CategoryConnection: ResolverTypeWrapper<Omit<CategoryConnection, 'edges'> & { edges: Array<ResolversTypes['CategoryEdge']> }>;
  CategoryEdge: ResolverTypeWrapper<Omit<CategoryEdge, 'node'> & { node: ResolversTypes['Category'] }>;
  CategoryFacet: ResolverTypeWrapper<Omit<CategoryFacet, 'category'> & { category: ResolversTypes['Category'] }>;
  CategoryPayload: ResolverTypeWrapper<Omit<CategoryPayload, 'category'> & { category?: Maybe<ResolversTypes['Category']> }>;
  Course: ResolverTypeWrapper<CourseEntity>;
  CourseConnection: ResolverTypeWrapper<CourseConnectionModel>;
  CourseEdge: ResolverTypeWrapper<Omit<CourseEdge, 'node'> & { node: ResolversTypes['Course'] }>;
  CourseFilter: CourseFilter;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  CourseIdInput: CourseIdInput;
  CoursePayload: ResolverTypeWrapper<Omit<CoursePayload, 'course'> & { course?: Maybe<ResolversTypes['Course']> }>;
  CourseSort: CourseSort;
  CourseStatus: CourseStatus;
  CreateCategoryInput: CreateCategoryInput;
  CreateCourseInput: CreateCourseInput;
  DeleteCategoryInput: DeleteCategoryInput;
  DeleteCategoryPayload: ResolverTypeWrapper<DeleteCategoryPayload>;
  DeleteCoursePayload: ResolverTypeWrapper<DeleteCoursePayload>;
  Money: ResolverTypeWrapper<Money>;
  MoneyInput: MoneyInput;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Reservation: ResolverTypeWrapper<ReservationEntity>;
  ReservationKeyInput: ReservationKeyInput;
  ReservationPayload: ResolverTypeWrapper<Omit<ReservationPayload, 'course' | 'reservation'> & { course?: Maybe<ResolversTypes['Course']>, reservation?: Maybe<ResolversTypes['Reservation']> }>;
  ReservationStatus: ReservationStatus;
  ReserveSeatInput: ReserveSeatInput;
  SeatChangeReason: SeatChangeReason;
  SeatLedger: ResolverTypeWrapper<SeatLedger>;
  SeatsChangedEvent: ResolverTypeWrapper<SeatEvent>;
  SetCourseCategoriesInput: SetCourseCategoriesInput;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  UpdateCategoryInput: UpdateCategoryInput;
  UpdateCourseCapacityInput: UpdateCourseCapacityInput;
  UpdateCourseInput: UpdateCourseInput;
  UpdateCoursePriceInput: UpdateCoursePriceInput;
  User: ResolverTypeWrapper<UserRef>;
  UserError: ResolverTypeWrapper<UserError>;
  UserErrorCode: UserErrorCode;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  AddCoursesToCategoryInput: AddCoursesToCategoryInput;
  ID: Scalars['ID']['output'];
  CancelReservationInput: CancelReservationInput;
  String: Scalars['String']['output'];
  Category: CategoryEntity;
  Int: Scalars['Int']['output'];
  CategoryConnection: Omit<CategoryConnection, 'edges'> & { edges: Array<ResolversParentTypes['CategoryEdge']> };
  CategoryEdge: Omit<CategoryEdge, 'node'> & { node: ResolversParentTypes['Category'] };
  CategoryFacet: Omit<CategoryFacet, 'category'> & { category: ResolversParentTypes['Category'] };
  CategoryPayload: Omit<CategoryPayload, 'category'> & { category?: Maybe<ResolversParentTypes['Category']> };
  Course: CourseEntity;
  CourseConnection: CourseConnectionModel;
  CourseEdge: Omit<CourseEdge, 'node'> & { node: ResolversParentTypes['Course'] };
  CourseFilter: CourseFilter;
  Boolean: Scalars['Boolean']['output'];
  CourseIdInput: CourseIdInput;
  CoursePayload: Omit<CoursePayload, 'course'> & { course?: Maybe<ResolversParentTypes['Course']> };
  CreateCategoryInput: CreateCategoryInput;
  CreateCourseInput: CreateCourseInput;
  DeleteCategoryInput: DeleteCategoryInput;
  DeleteCategoryPayload: DeleteCategoryPayload;
  DeleteCoursePayload: DeleteCoursePayload;
  Money: Money;
  MoneyInput: MoneyInput;
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  Query: Record<PropertyKey, never>;
  Reservation: ReservationEntity;
  ReservationKeyInput: ReservationKeyInput;
  ReservationPayload: Omit<ReservationPayload, 'course' | 'reservation'> & { course?: Maybe<ResolversParentTypes['Course']>, reservation?: Maybe<ResolversParentTypes['Reservation']> };
  ReserveSeatInput: ReserveSeatInput;
  SeatLedger: SeatLedger;
  SeatsChangedEvent: SeatEvent;
  SetCourseCategoriesInput: SetCourseCategoriesInput;
  Subscription: Record<PropertyKey, never>;
  UpdateCategoryInput: UpdateCategoryInput;
  UpdateCourseCapacityInput: UpdateCourseCapacityInput;
  UpdateCourseInput: UpdateCourseInput;
  UpdateCoursePriceInput: UpdateCoursePriceInput;
  User: UserRef;
  UserError: UserError;
}>;

export type CategoryResolvers<ContextType = CourseContext, ParentType extends ResolversParentTypes['Category'] = ResolversParentTypes['Category']> = ResolversObject<{
  courseCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  courses?: Resolver<ResolversTypes['CourseConnection'], ParentType, ContextType, RequireFields<CategoryCoursesArgs, 'first'>>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  slug?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type CategoryConnectionResolvers<ContextType = CourseContext, ParentType extends ResolversParentTypes['CategoryConnection'] = ResolversParentTypes['CategoryConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['CategoryEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type CategoryEdgeResolvers<ContextType = CourseContext, ParentType extends ResolversParentTypes['CategoryEdge'] = ResolversParentTypes['CategoryEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Category'], ParentType, ContextType>;
}>;

export type CategoryFacetResolvers<ContextType = CourseContext, ParentType extends ResolversParentTypes['CategoryFacet'] = ResolversParentTypes['CategoryFacet']> = ResolversObject<{
  category?: Resolver<ResolversTypes['Category'], ParentType, ContextType>;
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type CategoryPayloadResolvers<ContextType = CourseContext, ParentType extends ResolversParentTypes['CategoryPayload'] = ResolversParentTypes['CategoryPayload']> = ResolversObject<{
  category?: Resolver<Maybe<ResolversTypes['Category']>, ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export type CourseResolvers<ContextType = CourseContext, ParentType extends ResolversParentTypes['Course'] = ResolversParentTypes['Course'], FederationReferenceType extends FederationReferenceTypes['Course'] = FederationReferenceTypes['Course']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Course']> | FederationReferenceType, FederationReferenceType, ContextType>;
  capacity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  categories?: Resolver<Array<ResolversTypes['Category']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  instructor?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
  instructorId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  price?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  related?: Resolver<Array<ResolversTypes['Course']>, ParentType, ContextType, RequireFields<CourseRelatedArgs, 'first'>>;
  seatsAvailable?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  seatsHeld?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  seatsSold?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  seatsVersion?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['CourseStatus'], ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type CourseConnectionResolvers<ContextType = CourseContext, ParentType extends ResolversParentTypes['CourseConnection'] = ResolversParentTypes['CourseConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['CourseEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type CourseEdgeResolvers<ContextType = CourseContext, ParentType extends ResolversParentTypes['CourseEdge'] = ResolversParentTypes['CourseEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Course'], ParentType, ContextType>;
}>;

export type CoursePayloadResolvers<ContextType = CourseContext, ParentType extends ResolversParentTypes['CoursePayload'] = ResolversParentTypes['CoursePayload']> = ResolversObject<{
  course?: Resolver<Maybe<ResolversTypes['Course']>, ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export type DeleteCategoryPayloadResolvers<ContextType = CourseContext, ParentType extends ResolversParentTypes['DeleteCategoryPayload'] = ResolversParentTypes['DeleteCategoryPayload']> = ResolversObject<{
  deletedCategoryId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  detachedCourseCount?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export type DeleteCoursePayloadResolvers<ContextType = CourseContext, ParentType extends ResolversParentTypes['DeleteCoursePayload'] = ResolversParentTypes['DeleteCoursePayload']> = ResolversObject<{
  deletedCourseId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export type MoneyResolvers<ContextType = CourseContext, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = ResolversObject<{
  amount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = CourseContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  addCoursesToCategory?: Resolver<ResolversTypes['CategoryPayload'], ParentType, ContextType, RequireFields<MutationAddCoursesToCategoryArgs, 'input'>>;
  archiveCourse?: Resolver<ResolversTypes['CoursePayload'], ParentType, ContextType, RequireFields<MutationArchiveCourseArgs, 'input'>>;
  cancelReservation?: Resolver<ResolversTypes['ReservationPayload'], ParentType, ContextType, RequireFields<MutationCancelReservationArgs, 'input'>>;
  confirmReservation?: Resolver<ResolversTypes['ReservationPayload'], ParentType, ContextType, RequireFields<MutationConfirmReservationArgs, 'input'>>;
  createCategory?: Resolver<ResolversTypes['CategoryPayload'], ParentType, ContextType, RequireFields<MutationCreateCategoryArgs, 'input'>>;
  createCourse?: Resolver<ResolversTypes['CoursePayload'], ParentType, ContextType, RequireFields<MutationCreateCourseArgs, 'input'>>;
  deleteCategory?: Resolver<ResolversTypes['DeleteCategoryPayload'], ParentType, ContextType, RequireFields<MutationDeleteCategoryArgs, 'input'>>;
  deleteCourse?: Resolver<ResolversTypes['DeleteCoursePayload'], ParentType, ContextType, RequireFields<MutationDeleteCourseArgs, 'input'>>;
  publishCourse?: Resolver<ResolversTypes['CoursePayload'], ParentType, ContextType, RequireFields<MutationPublishCourseArgs, 'input'>>;
  purchaseSeat?: Resolver<ResolversTypes['ReservationPayload'], ParentType, ContextType, RequireFields<MutationPurchaseSeatArgs, 'input'>>;
  reserveSeat?: Resolver<ResolversTypes['ReservationPayload'], ParentType, ContextType, RequireFields<MutationReserveSeatArgs, 'input'>>;
  setCourseCategories?: Resolver<ResolversTypes['CoursePayload'], ParentType, ContextType, RequireFields<MutationSetCourseCategoriesArgs, 'input'>>;
  updateCategory?: Resolver<ResolversTypes['CategoryPayload'], ParentType, ContextType, RequireFields<MutationUpdateCategoryArgs, 'input'>>;
  updateCourse?: Resolver<ResolversTypes['CoursePayload'], ParentType, ContextType, RequireFields<MutationUpdateCourseArgs, 'input'>>;
  updateCourseCapacity?: Resolver<ResolversTypes['CoursePayload'], ParentType, ContextType, RequireFields<MutationUpdateCourseCapacityArgs, 'input'>>;
  updateCoursePrice?: Resolver<ResolversTypes['CoursePayload'], ParentType, ContextType, RequireFields<MutationUpdateCoursePriceArgs, 'input'>>;
}>;

export type PageInfoResolvers<ContextType = CourseContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = CourseContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  categories?: Resolver<ResolversTypes['CategoryConnection'], ParentType, ContextType, RequireFields<QueryCategoriesArgs, 'first'>>;
  category?: Resolver<Maybe<ResolversTypes['Category']>, ParentType, ContextType, RequireFields<QueryCategoryArgs, 'slug'>>;
  course?: Resolver<Maybe<ResolversTypes['Course']>, ParentType, ContextType, RequireFields<QueryCourseArgs, 'id'>>;
  courseFacets?: Resolver<Array<ResolversTypes['CategoryFacet']>, ParentType, ContextType, Partial<QueryCourseFacetsArgs>>;
  courses?: Resolver<ResolversTypes['CourseConnection'], ParentType, ContextType, RequireFields<QueryCoursesArgs, 'first'>>;
  publishedCourseIds?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType, RequireFields<QueryPublishedCourseIdsArgs, 'ids'>>;
  reservation?: Resolver<Maybe<ResolversTypes['Reservation']>, ParentType, ContextType, RequireFields<QueryReservationArgs, 'key'>>;
  seatLedger?: Resolver<Maybe<ResolversTypes['SeatLedger']>, ParentType, ContextType, RequireFields<QuerySeatLedgerArgs, 'courseId'>>;
}>;

export type ReservationResolvers<ContextType = CourseContext, ParentType extends ResolversParentTypes['Reservation'] = ResolversParentTypes['Reservation']> = ResolversObject<{
  courseId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  expiresAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  price?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ReservationStatus'], ParentType, ContextType>;
}>;

export type ReservationPayloadResolvers<ContextType = CourseContext, ParentType extends ResolversParentTypes['ReservationPayload'] = ResolversParentTypes['ReservationPayload']> = ResolversObject<{
  course?: Resolver<Maybe<ResolversTypes['Course']>, ParentType, ContextType>;
  reservation?: Resolver<Maybe<ResolversTypes['Reservation']>, ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export type SeatLedgerResolvers<ContextType = CourseContext, ParentType extends ResolversParentTypes['SeatLedger'] = ResolversParentTypes['SeatLedger']> = ResolversObject<{
  capacity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  confirmedKeys?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  courseId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  pendingKeys?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  seatsAvailable?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  seatsHeld?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  seatsSold?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type SeatsChangedEventResolvers<ContextType = CourseContext, ParentType extends ResolversParentTypes['SeatsChangedEvent'] = ResolversParentTypes['SeatsChangedEvent']> = ResolversObject<{
  capacity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  changedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  course?: Resolver<ResolversTypes['Course'], ParentType, ContextType>;
  courseId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['SeatChangeReason'], ParentType, ContextType>;
  seatsAvailable?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  seatsHeld?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  seatsSold?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type SubscriptionResolvers<ContextType = CourseContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = ResolversObject<{
  seatsChanged?: SubscriptionResolver<ResolversTypes['SeatsChangedEvent'], "seatsChanged", ParentType, ContextType, RequireFields<SubscriptionSeatsChangedArgs, 'courseIds'>>;
}>;

export type UserResolvers<ContextType = CourseContext, ParentType extends ResolversParentTypes['User'] = ResolversParentTypes['User'], FederationReferenceType extends FederationReferenceTypes['User'] = FederationReferenceTypes['User']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['User']> | FederationReferenceType, FederationReferenceType, ContextType>;
  coursesTaught?: Resolver<ResolversTypes['CourseConnection'], ParentType, ContextType, RequireFields<UserCoursesTaughtArgs, 'first'>>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  publishedCourseCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type UserErrorResolvers<ContextType = CourseContext, ParentType extends ResolversParentTypes['UserError'] = ResolversParentTypes['UserError']> = ResolversObject<{
  code?: Resolver<ResolversTypes['UserErrorCode'], ParentType, ContextType>;
  currentPrice?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  field?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  retryAfterSeconds?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
}>;

export type Resolvers<ContextType = CourseContext> = ResolversObject<{
  Category?: CategoryResolvers<ContextType>;
  CategoryConnection?: CategoryConnectionResolvers<ContextType>;
  CategoryEdge?: CategoryEdgeResolvers<ContextType>;
  CategoryFacet?: CategoryFacetResolvers<ContextType>;
  CategoryPayload?: CategoryPayloadResolvers<ContextType>;
  Course?: CourseResolvers<ContextType>;
  CourseConnection?: CourseConnectionResolvers<ContextType>;
  CourseEdge?: CourseEdgeResolvers<ContextType>;
  CoursePayload?: CoursePayloadResolvers<ContextType>;
  DeleteCategoryPayload?: DeleteCategoryPayloadResolvers<ContextType>;
  DeleteCoursePayload?: DeleteCoursePayloadResolvers<ContextType>;
  Money?: MoneyResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Reservation?: ReservationResolvers<ContextType>;
  ReservationPayload?: ReservationPayloadResolvers<ContextType>;
  SeatLedger?: SeatLedgerResolvers<ContextType>;
  SeatsChangedEvent?: SeatsChangedEventResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  User?: UserResolvers<ContextType>;
  UserError?: UserErrorResolvers<ContextType>;
}>;

