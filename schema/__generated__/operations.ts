/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
};

/** Input of cancelOrder. */
export type CancelOrderInput = {
  /** The order to cancel. */
  orderId: Scalars['ID']['input'];
};

/**
 * A course with a fixed number of seats. Always
 * seatsAvailable + seatsHeld + seatsSold = capacity.
 */
export type Course = {
  __typename?: 'Course';
  /** Total number of seats. */
  capacity: Scalars['Int']['output'];
  /** When the course was created (ISO 8601). */
  createdAt: Scalars['String']['output'];
  /** Longer description, may be empty. */
  description: Scalars['String']['output'];
  /** Number of students holding a confirmed order for this course. */
  enrollmentCount: Scalars['Int']['output'];
  /** Stable identifier (UUID). */
  id: Scalars['ID']['output'];
  /** Identifier of the user who teaches and manages the course. */
  instructorId: Scalars['ID']['output'];
  /** Price of one seat. */
  price: Money;
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

/** A page of courses, oldest first. */
export type CourseConnection = {
  __typename?: 'CourseConnection';
  /** The courses in this page. */
  edges: Array<CourseEdge>;
  /** Where this page ends and whether more follow. */
  pageInfo: PageInfo;
};

/** One course in a page of courses. */
export type CourseEdge = {
  __typename?: 'CourseEdge';
  /** Opaque position of this course; pass it as `after` to continue after it. */
  cursor: Scalars['String']['output'];
  /** The course. */
  node: Course;
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

/** Where a course is in its life: only published courses sell seats. */
export type CourseStatus =
  /** Withdrawn: sells no more seats; existing orders stay. */
  | 'ARCHIVED'
  /** Being prepared by its instructor; not visible in the catalog, sells nothing. */
  | 'DRAFT'
  /** In the catalog and selling seats. */
  | 'PUBLISHED';

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
  /** Withdraw a course from sale. */
  archiveCourse: CoursePayload;
  /** Cancel a confirmed order: the seat goes back on sale. */
  cancelOrder: OrderPayload;
  /** Create a draft course taught by the caller (instructors and admins). */
  createCourse: CoursePayload;
  /** Buy one seat of a course: reserves the seat, records the order and confirms it. */
  placeOrder: OrderPayload;
  /** Put a draft course in the catalog so it sells seats. */
  publishCourse: CoursePayload;
  /** Change the number of seats; never below the seats held and sold. */
  updateCourseCapacity: CoursePayload;
  /** Change the price of one seat; orders already placed keep their price. */
  updateCoursePrice: CoursePayload;
};


export type MutationArchiveCourseArgs = {
  input: CourseIdInput;
};


export type MutationCancelOrderArgs = {
  input: CancelOrderInput;
};


export type MutationCreateCourseArgs = {
  input: CreateCourseInput;
};


export type MutationPlaceOrderArgs = {
  input: PlaceOrderInput;
};


export type MutationPublishCourseArgs = {
  input: CourseIdInput;
};


export type MutationUpdateCourseCapacityArgs = {
  input: UpdateCourseCapacityInput;
};


export type MutationUpdateCoursePriceArgs = {
  input: UpdateCoursePriceInput;
};

/** A student's purchase of one seat of a course. */
export type Order = {
  __typename?: 'Order';
  /** The course bought. */
  course: Course;
  /** When the order was placed (ISO 8601). */
  createdAt: Scalars['String']['output'];
  /** Why the order failed, when status is FAILED. */
  failureReason?: Maybe<Scalars['String']['output']>;
  /** Stable identifier (UUID); also the seat reservation's idempotency key. */
  id: Scalars['ID']['output'];
  /** The price paid (the price the student agreed to). */
  pricePaid: Money;
  /** Where the order is in the purchase saga. */
  status: OrderStatus;
  /** Identifier of the student who placed the order. */
  studentId: Scalars['ID']['output'];
  /** When the order last changed (ISO 8601). */
  updatedAt: Scalars['String']['output'];
};

/** Result of an order mutation. */
export type OrderPayload = {
  __typename?: 'OrderPayload';
  /** The order in its current state, or null when none was created. */
  order?: Maybe<Order>;
  /** Expected failures; empty on success. */
  userErrors: Array<UserError>;
};

/** Where an order is in the purchase saga. */
export type OrderStatus =
  /** The student cancelled; the seat went back on sale. */
  | 'CANCELLED'
  /** The seat is the student's. */
  | 'CONFIRMED'
  /** The purchase did not go through; no seat was kept. */
  | 'FAILED'
  /** The seat is being reserved and confirmed. */
  | 'PENDING';

/** Paging information of a connection. */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** Cursor of the last item returned, or null for an empty page. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** Whether more items follow the last one returned. */
  hasNextPage: Scalars['Boolean']['output'];
};

/** Input of placeOrder. The student is the caller. */
export type PlaceOrderInput = {
  /** The course to buy a seat of. */
  courseId: Scalars['ID']['input'];
  /** The price the student saw and agrees to pay; the order fails with PRICE_CHANGED if it moved. */
  expectedPrice: MoneyInput;
  /** A key the client makes up once per purchase (8 to 100 characters); retrying with it never buys twice. */
  idempotencyKey: Scalars['String']['input'];
};

export type Query = {
  __typename?: 'Query';
  /** A course by id. Drafts and archived courses are visible to their instructor and to admins only. */
  course?: Maybe<Course>;
  /** Published courses, oldest first. `first` defaults to 20 and is at most 100. */
  courses: CourseConnection;
  /** An order by id; visible to the student who placed it and to admins. */
  order?: Maybe<Order>;
};


export type QueryCourseArgs = {
  id: Scalars['ID']['input'];
};


export type QueryCoursesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryOrderArgs = {
  id: Scalars['ID']['input'];
};

/** Input of updateCourseCapacity. */
export type UpdateCourseCapacityInput = {
  /** The new number of seats; never below seatsHeld + seatsSold. */
  capacity: Scalars['Int']['input'];
  /** The course to resize. */
  courseId: Scalars['ID']['input'];
};

/** Input of updateCoursePrice. */
export type UpdateCoursePriceInput = {
  /** The course to reprice. */
  courseId: Scalars['ID']['input'];
  /** The new price of one seat. */
  price: MoneyInput;
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
};

/** What went wrong with an expected failure of a mutation. */
export type UserErrorCode =
  /** The student already holds an active order for this course. */
  | 'ALREADY_ENROLLED'
  /** The requested capacity is below the seats already held and sold. */
  | 'CAPACITY_BELOW_TAKEN'
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
  /** The reservation expired before it was confirmed. */
  | 'RESERVATION_EXPIRED'
  /** No seat is free. */
  | 'SOLD_OUT'
  /** A downstream service did not answer in time; nothing was charged and no seat kept. */
  | 'UNAVAILABLE'
  /** An argument failed validation; `field` names it. */
  | 'VALIDATION';

/** Input of cancelOrder. */
export type CancelOrderInput = {
  /** The order to cancel. */
  orderId: string | number;
};

/** Input of publishCourse and archiveCourse. */
export type CourseIdInput = {
  /** The course to change. */
  courseId: string | number;
};

/** Where a course is in its life: only published courses sell seats. */
export type CourseStatus =
  /** Withdrawn: sells no more seats; existing orders stay. */
  | 'ARCHIVED'
  /** Being prepared by its instructor; not visible in the catalog, sells nothing. */
  | 'DRAFT'
  /** In the catalog and selling seats. */
  | 'PUBLISHED';

/** Input of createCourse. The caller becomes the instructor. */
export type CreateCourseInput = {
  /** Number of seats, an integer from 1 to 100000. */
  capacity: number;
  /** Description, at most 5000 characters. */
  description?: string | null | undefined;
  /** Price of one seat. */
  price: MoneyInput;
  /** Title, 1 to 200 characters after trimming. */
  title: string;
};

/** An amount of money as input: integer minor units plus an ISO 4217 currency code. */
export type MoneyInput = {
  /** Amount in minor units; an integer between 0 and 100000000. */
  amount: number;
  /** ISO 4217 currency code, three upper-case letters. */
  currency: string;
};

/** Where an order is in the purchase saga. */
export type OrderStatus =
  /** The student cancelled; the seat went back on sale. */
  | 'CANCELLED'
  /** The seat is the student's. */
  | 'CONFIRMED'
  /** The purchase did not go through; no seat was kept. */
  | 'FAILED'
  /** The seat is being reserved and confirmed. */
  | 'PENDING';

/** Input of placeOrder. The student is the caller. */
export type PlaceOrderInput = {
  /** The course to buy a seat of. */
  courseId: string | number;
  /** The price the student saw and agrees to pay; the order fails with PRICE_CHANGED if it moved. */
  expectedPrice: MoneyInput;
  /** A key the client makes up once per purchase (8 to 100 characters); retrying with it never buys twice. */
  idempotencyKey: string;
};

/** Input of updateCourseCapacity. */
export type UpdateCourseCapacityInput = {
  /** The new number of seats; never below seatsHeld + seatsSold. */
  capacity: number;
  /** The course to resize. */
  courseId: string | number;
};

/** Input of updateCoursePrice. */
export type UpdateCoursePriceInput = {
  /** The course to reprice. */
  courseId: string | number;
  /** The new price of one seat. */
  price: MoneyInput;
};

/** What went wrong with an expected failure of a mutation. */
export type UserErrorCode =
  /** The student already holds an active order for this course. */
  | 'ALREADY_ENROLLED'
  /** The requested capacity is below the seats already held and sold. */
  | 'CAPACITY_BELOW_TAKEN'
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
  /** The reservation expired before it was confirmed. */
  | 'RESERVATION_EXPIRED'
  /** No seat is free. */
  | 'SOLD_OUT'
  /** A downstream service did not answer in time; nothing was charged and no seat kept. */
  | 'UNAVAILABLE'
  /** An argument failed validation; `field` names it. */
  | 'VALIDATION';

export type CourseFieldsFragment = { id: string, title: string, description: string, status: CourseStatus, instructorId: string, capacity: number, seatsAvailable: number, seatsHeld: number, seatsSold: number, seatsVersion: number, price: { amount: number, currency: string } };

export type UserErrorFieldsFragment = { code: UserErrorCode, field: string | null, message: string, currentPrice: { amount: number, currency: string } | null };

export type CourseQueryVariables = Exact<{
  id: string | number;
}>;


export type CourseQuery = { course: { enrollmentCount: number, id: string, title: string, description: string, status: CourseStatus, instructorId: string, capacity: number, seatsAvailable: number, seatsHeld: number, seatsSold: number, seatsVersion: number, price: { amount: number, currency: string } } | null };

export type CatalogQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type CatalogQuery = { courses: { edges: Array<{ cursor: string, node: { enrollmentCount: number, id: string, title: string, description: string, status: CourseStatus, instructorId: string, capacity: number, seatsAvailable: number, seatsHeld: number, seatsSold: number, seatsVersion: number, price: { amount: number, currency: string } } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type CreateCourseMutationVariables = Exact<{
  input: CreateCourseInput;
}>;


export type CreateCourseMutation = { createCourse: { course: { id: string, title: string, description: string, status: CourseStatus, instructorId: string, capacity: number, seatsAvailable: number, seatsHeld: number, seatsSold: number, seatsVersion: number, price: { amount: number, currency: string } } | null, userErrors: Array<{ code: UserErrorCode, field: string | null, message: string, currentPrice: { amount: number, currency: string } | null }> } };

export type UpdateCoursePriceMutationVariables = Exact<{
  input: UpdateCoursePriceInput;
}>;


export type UpdateCoursePriceMutation = { updateCoursePrice: { course: { id: string, title: string, description: string, status: CourseStatus, instructorId: string, capacity: number, seatsAvailable: number, seatsHeld: number, seatsSold: number, seatsVersion: number, price: { amount: number, currency: string } } | null, userErrors: Array<{ code: UserErrorCode, field: string | null, message: string, currentPrice: { amount: number, currency: string } | null }> } };

export type UpdateCourseCapacityMutationVariables = Exact<{
  input: UpdateCourseCapacityInput;
}>;


export type UpdateCourseCapacityMutation = { updateCourseCapacity: { course: { id: string, title: string, description: string, status: CourseStatus, instructorId: string, capacity: number, seatsAvailable: number, seatsHeld: number, seatsSold: number, seatsVersion: number, price: { amount: number, currency: string } } | null, userErrors: Array<{ code: UserErrorCode, field: string | null, message: string, currentPrice: { amount: number, currency: string } | null }> } };

export type PublishCourseMutationVariables = Exact<{
  input: CourseIdInput;
}>;


export type PublishCourseMutation = { publishCourse: { course: { id: string, title: string, description: string, status: CourseStatus, instructorId: string, capacity: number, seatsAvailable: number, seatsHeld: number, seatsSold: number, seatsVersion: number, price: { amount: number, currency: string } } | null, userErrors: Array<{ code: UserErrorCode, field: string | null, message: string, currentPrice: { amount: number, currency: string } | null }> } };

export type ArchiveCourseMutationVariables = Exact<{
  input: CourseIdInput;
}>;


export type ArchiveCourseMutation = { archiveCourse: { course: { id: string, title: string, description: string, status: CourseStatus, instructorId: string, capacity: number, seatsAvailable: number, seatsHeld: number, seatsSold: number, seatsVersion: number, price: { amount: number, currency: string } } | null, userErrors: Array<{ code: UserErrorCode, field: string | null, message: string, currentPrice: { amount: number, currency: string } | null }> } };

export type OrderFieldsFragment = { id: string, status: OrderStatus, studentId: string, failureReason: string | null, pricePaid: { amount: number, currency: string }, course: { id: string, title: string, seatsAvailable: number } };

export type OrderQueryVariables = Exact<{
  id: string | number;
}>;


export type OrderQuery = { order: { id: string, status: OrderStatus, studentId: string, failureReason: string | null, pricePaid: { amount: number, currency: string }, course: { id: string, title: string, seatsAvailable: number } } | null };

export type PlaceOrderMutationVariables = Exact<{
  input: PlaceOrderInput;
}>;


export type PlaceOrderMutation = { placeOrder: { order: { id: string, status: OrderStatus, studentId: string, failureReason: string | null, pricePaid: { amount: number, currency: string }, course: { id: string, title: string, seatsAvailable: number } } | null, userErrors: Array<{ code: UserErrorCode, field: string | null, message: string, currentPrice: { amount: number, currency: string } | null }> } };

export type CancelOrderMutationVariables = Exact<{
  input: CancelOrderInput;
}>;


export type CancelOrderMutation = { cancelOrder: { order: { id: string, status: OrderStatus, studentId: string, failureReason: string | null, pricePaid: { amount: number, currency: string }, course: { id: string, title: string, seatsAvailable: number } } | null, userErrors: Array<{ code: UserErrorCode, field: string | null, message: string, currentPrice: { amount: number, currency: string } | null }> } };

export const CourseFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CourseFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Course"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"instructorId"}},{"kind":"Field","name":{"kind":"Name","value":"price"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"capacity"}},{"kind":"Field","name":{"kind":"Name","value":"seatsAvailable"}},{"kind":"Field","name":{"kind":"Name","value":"seatsHeld"}},{"kind":"Field","name":{"kind":"Name","value":"seatsSold"}},{"kind":"Field","name":{"kind":"Name","value":"seatsVersion"}}]}}]} as unknown as DocumentNode<CourseFieldsFragment, unknown>;
export const UserErrorFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UserErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"currentPrice"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}}]}}]} as unknown as DocumentNode<UserErrorFieldsFragment, unknown>;
export const OrderFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"OrderFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Order"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"studentId"}},{"kind":"Field","name":{"kind":"Name","value":"failureReason"}},{"kind":"Field","name":{"kind":"Name","value":"pricePaid"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"course"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"seatsAvailable"}}]}}]}}]} as unknown as DocumentNode<OrderFieldsFragment, unknown>;
export const CourseDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Course"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"course"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CourseFields"}},{"kind":"Field","name":{"kind":"Name","value":"enrollmentCount"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CourseFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Course"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"instructorId"}},{"kind":"Field","name":{"kind":"Name","value":"price"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"capacity"}},{"kind":"Field","name":{"kind":"Name","value":"seatsAvailable"}},{"kind":"Field","name":{"kind":"Name","value":"seatsHeld"}},{"kind":"Field","name":{"kind":"Name","value":"seatsSold"}},{"kind":"Field","name":{"kind":"Name","value":"seatsVersion"}}]}}]} as unknown as DocumentNode<CourseQuery, CourseQueryVariables>;
export const CatalogDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Catalog"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"courses"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CourseFields"}},{"kind":"Field","name":{"kind":"Name","value":"enrollmentCount"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CourseFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Course"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"instructorId"}},{"kind":"Field","name":{"kind":"Name","value":"price"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"capacity"}},{"kind":"Field","name":{"kind":"Name","value":"seatsAvailable"}},{"kind":"Field","name":{"kind":"Name","value":"seatsHeld"}},{"kind":"Field","name":{"kind":"Name","value":"seatsSold"}},{"kind":"Field","name":{"kind":"Name","value":"seatsVersion"}}]}}]} as unknown as DocumentNode<CatalogQuery, CatalogQueryVariables>;
export const CreateCourseDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateCourse"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateCourseInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createCourse"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"course"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CourseFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"UserErrorFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CourseFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Course"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"instructorId"}},{"kind":"Field","name":{"kind":"Name","value":"price"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"capacity"}},{"kind":"Field","name":{"kind":"Name","value":"seatsAvailable"}},{"kind":"Field","name":{"kind":"Name","value":"seatsHeld"}},{"kind":"Field","name":{"kind":"Name","value":"seatsSold"}},{"kind":"Field","name":{"kind":"Name","value":"seatsVersion"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UserErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"currentPrice"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}}]}}]} as unknown as DocumentNode<CreateCourseMutation, CreateCourseMutationVariables>;
export const UpdateCoursePriceDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateCoursePrice"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateCoursePriceInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateCoursePrice"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"course"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CourseFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"UserErrorFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CourseFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Course"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"instructorId"}},{"kind":"Field","name":{"kind":"Name","value":"price"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"capacity"}},{"kind":"Field","name":{"kind":"Name","value":"seatsAvailable"}},{"kind":"Field","name":{"kind":"Name","value":"seatsHeld"}},{"kind":"Field","name":{"kind":"Name","value":"seatsSold"}},{"kind":"Field","name":{"kind":"Name","value":"seatsVersion"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UserErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"currentPrice"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}}]}}]} as unknown as DocumentNode<UpdateCoursePriceMutation, UpdateCoursePriceMutationVariables>;
export const UpdateCourseCapacityDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateCourseCapacity"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateCourseCapacityInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateCourseCapacity"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"course"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CourseFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"UserErrorFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CourseFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Course"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"instructorId"}},{"kind":"Field","name":{"kind":"Name","value":"price"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"capacity"}},{"kind":"Field","name":{"kind":"Name","value":"seatsAvailable"}},{"kind":"Field","name":{"kind":"Name","value":"seatsHeld"}},{"kind":"Field","name":{"kind":"Name","value":"seatsSold"}},{"kind":"Field","name":{"kind":"Name","value":"seatsVersion"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UserErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"currentPrice"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}}]}}]} as unknown as DocumentNode<UpdateCourseCapacityMutation, UpdateCourseCapacityMutationVariables>;
export const PublishCourseDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PublishCourse"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CourseIdInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"publishCourse"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"course"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CourseFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"UserErrorFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CourseFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Course"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"instructorId"}},{"kind":"Field","name":{"kind":"Name","value":"price"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"capacity"}},{"kind":"Field","name":{"kind":"Name","value":"seatsAvailable"}},{"kind":"Field","name":{"kind":"Name","value":"seatsHeld"}},{"kind":"Field","name":{"kind":"Name","value":"seatsSold"}},{"kind":"Field","name":{"kind":"Name","value":"seatsVersion"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UserErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"currentPrice"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}}]}}]} as unknown as DocumentNode<PublishCourseMutation, PublishCourseMutationVariables>;
export const ArchiveCourseDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ArchiveCourse"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CourseIdInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"archiveCourse"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"course"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CourseFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"UserErrorFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CourseFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Course"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"instructorId"}},{"kind":"Field","name":{"kind":"Name","value":"price"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"capacity"}},{"kind":"Field","name":{"kind":"Name","value":"seatsAvailable"}},{"kind":"Field","name":{"kind":"Name","value":"seatsHeld"}},{"kind":"Field","name":{"kind":"Name","value":"seatsSold"}},{"kind":"Field","name":{"kind":"Name","value":"seatsVersion"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UserErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"currentPrice"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}}]}}]} as unknown as DocumentNode<ArchiveCourseMutation, ArchiveCourseMutationVariables>;
export const OrderDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Order"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"order"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"OrderFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"OrderFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Order"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"studentId"}},{"kind":"Field","name":{"kind":"Name","value":"failureReason"}},{"kind":"Field","name":{"kind":"Name","value":"pricePaid"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"course"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"seatsAvailable"}}]}}]}}]} as unknown as DocumentNode<OrderQuery, OrderQueryVariables>;
export const PlaceOrderDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PlaceOrder"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"PlaceOrderInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"placeOrder"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"order"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"OrderFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"UserErrorFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"OrderFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Order"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"studentId"}},{"kind":"Field","name":{"kind":"Name","value":"failureReason"}},{"kind":"Field","name":{"kind":"Name","value":"pricePaid"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"course"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"seatsAvailable"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UserErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"currentPrice"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}}]}}]} as unknown as DocumentNode<PlaceOrderMutation, PlaceOrderMutationVariables>;
export const CancelOrderDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CancelOrder"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CancelOrderInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cancelOrder"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"order"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"OrderFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"UserErrorFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"OrderFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Order"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"studentId"}},{"kind":"Field","name":{"kind":"Name","value":"failureReason"}},{"kind":"Field","name":{"kind":"Name","value":"pricePaid"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"course"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"seatsAvailable"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UserErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"currentPrice"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}}]}}]} as unknown as DocumentNode<CancelOrderMutation, CancelOrderMutationVariables>;