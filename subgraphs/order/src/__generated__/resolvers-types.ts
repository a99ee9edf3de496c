import { GraphQLResolveInfo } from 'graphql';
import { Order as OrderEntity } from '../entities/order';
import { CourseRef, UserRef, OrderContext } from '../context';
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
  /**
   * Published courses most often bought by the students who bought this one
   * (confirmed orders), most buyers first, ties by course id. Never this course;
   * for a signed-in student, never a course the student has a confirmed or
   * pending order of. A short list, not a connection: there is no next page.
   */
  alsoBought: Array<Course>;
  /** Number of students holding a confirmed order for this course. */
  enrollmentCount: Scalars['Int']['output'];
  /** Stable identifier (UUID). */
  id: Scalars['ID']['output'];
  /** Identifier of the user who teaches and manages the course. */
  instructorId: Scalars['ID']['output'];
  /**
   * Orders for this course, newest first; visible to its instructor and to
   * admins. `first` defaults to 20 and is at most 100.
   */
  orders: OrderConnection;
  /**
   * The signed-in user's active order for this course, PENDING or CONFIRMED
   * (there is at most one): what a storefront needs to say "you have a seat"
   * instead of offering to sell one. Null when signed out or when there is none.
   */
  viewerOrder?: Maybe<Order>;
};


/**
 * A course with a fixed number of seats. Always
 * seatsAvailable + seatsHeld + seatsSold = capacity.
 */
export type CourseAlsoBoughtArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};


/**
 * A course with a fixed number of seats. Always
 * seatsAvailable + seatsHeld + seatsSold = capacity.
 */
export type CourseOrdersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
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

/**
 * GraphQL errors (`extensions.code`) of this subgraph besides the client codes
 * (UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT): SERVICE_UNAVAILABLE, with
 * `extensions.retryable: true`, when a dependency (the course subgraph, the
 * order database) is down or too slow; retrying is safe for queries, for
 * placeOrder with the same idempotency key and for cancelOrder.
 * INTERNAL_SERVER_ERROR only for bugs.
 */
export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Cancel a confirmed order: the seat goes back on sale. Idempotent. User
   * errors: VALIDATION, NOT_FOUND, ILLEGAL_TRANSITION, ORDER_PENDING (the
   * cancellation is recorded and will complete; cancel again for the outcome).
   */
  cancelOrder: OrderPayload;
  /**
   * Buy one seat of a course: records the order, reserves the seat and
   * confirms it. Idempotent on `idempotencyKey`: a repeated request returns the
   * same order, waiting for it at most as long as the caller's time budget.
   * User errors: VALIDATION, NOT_FOUND, COURSE_NOT_PUBLISHED, SOLD_OUT,
   * PRICE_CHANGED, RESERVATION_EXPIRED, IDEMPOTENCY_KEY_REUSED,
   * ALREADY_ENROLLED, UNAVAILABLE (certainly nothing bought) and ORDER_PENDING
   * (outcome not known yet; retry with the same key).
   */
  placeOrder: OrderPayload;
};


/**
 * GraphQL errors (`extensions.code`) of this subgraph besides the client codes
 * (UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT): SERVICE_UNAVAILABLE, with
 * `extensions.retryable: true`, when a dependency (the course subgraph, the
 * order database) is down or too slow; retrying is safe for queries, for
 * placeOrder with the same idempotency key and for cancelOrder.
 * INTERNAL_SERVER_ERROR only for bugs.
 */
export type MutationCancelOrderArgs = {
  input: CancelOrderInput;
};


/**
 * GraphQL errors (`extensions.code`) of this subgraph besides the client codes
 * (UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT): SERVICE_UNAVAILABLE, with
 * `extensions.retryable: true`, when a dependency (the course subgraph, the
 * order database) is down or too slow; retrying is safe for queries, for
 * placeOrder with the same idempotency key and for cancelOrder.
 * INTERNAL_SERVER_ERROR only for bugs.
 */
export type MutationPlaceOrderArgs = {
  input: PlaceOrderInput;
};

/** A student's purchase of one seat of a course. */
export type Order = {
  __typename?: 'Order';
  /** The course bought. */
  course: Course;
  /** When the order was placed (ISO 8601). */
  createdAt: Scalars['String']['output'];
  /**
   * Why the order failed, when status is FAILED: UNAVAILABLE (the seat service
   * could not complete it), RESERVATION_EXPIRED (the seat hold ran out before the
   * order was confirmed) or ABANDONED (its request stopped and the order was
   * finished later).
   */
  failureReason?: Maybe<Scalars['String']['output']>;
  /** Stable identifier (UUID); also the seat reservation's idempotency key. */
  id: Scalars['ID']['output'];
  /** The price paid (the price the student agreed to). */
  pricePaid: Money;
  /** Where the order is in the purchase saga. */
  status: OrderStatus;
  /** The student who placed the order. */
  student: User;
  /** Identifier of the student who placed the order. */
  studentId: Scalars['ID']['output'];
  /** When the order last changed (ISO 8601). */
  updatedAt: Scalars['String']['output'];
};

/** A page of orders, newest first. */
export type OrderConnection = {
  __typename?: 'OrderConnection';
  /** The orders in this page. */
  edges: Array<OrderEdge>;
  /** Where this page ends and whether more follow. */
  pageInfo: PageInfo;
};

/** One order in a page of orders. */
export type OrderEdge = {
  __typename?: 'OrderEdge';
  /** Opaque position of this order; pass it as `after` to continue after it. */
  cursor: Scalars['String']['output'];
  /** The order. */
  node: Order;
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
  /** The student cancelled; the seat went back on sale. Final. */
  | 'CANCELLED'
  /**
   * The order's seat is being given back: the student cancelled (it ends
   * CANCELLED), or the purchase could not be completed (it ends FAILED, with
   * `failureReason` already set). Recorded before the seat service is asked,
   * so it is always finished, by the request or by the reconciler. Not final.
   */
  | 'CANCELLING'
  /** The seat is the student's. Final unless cancelled. */
  | 'CONFIRMED'
  /** The purchase did not go through; no seat was kept. Final. */
  | 'FAILED'
  /** The seat is being reserved and confirmed. Not final. */
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
  /** An order by id; visible to the student who placed it and to admins. */
  order?: Maybe<Order>;
};


export type QueryOrderArgs = {
  id: Scalars['ID']['input'];
};

/** A person with an account. */
export type User = {
  __typename?: 'User';
  /** Stable identifier (UUID). */
  id: Scalars['ID']['output'];
  /** This user's orders, newest first; visible to the user and to admins. `first` defaults to 20 and is at most 100. */
  orders: OrderConnection;
};


/** A person with an account. */
export type UserOrdersArgs = {
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
  /** The student already holds an active order for this course. */
  | 'ALREADY_ENROLLED'
  /** The course is not published (draft or archived). */
  | 'COURSE_NOT_PUBLISHED'
  /** The idempotency key was already used for a different request. */
  | 'IDEMPOTENCY_KEY_REUSED'
  /** The entity is not in a state that allows this transition. */
  | 'ILLEGAL_TRANSITION'
  /** No such entity, or not visible to the caller. */
  | 'NOT_FOUND'
  /**
   * The outcome is not known yet (a service did not answer in time). The
   * payload's order is the order as it stands (PENDING or CANCELLING); retrying
   * with the same idempotency key, or cancelling again, returns the final outcome.
   */
  | 'ORDER_PENDING'
  /** The price changed since the buyer saw it; `currentPrice` carries the new one. */
  | 'PRICE_CHANGED'
  /** The reservation expired before it was confirmed. */
  | 'RESERVATION_EXPIRED'
  /** No seat is free. */
  | 'SOLD_OUT'
  /** A downstream service did not answer in time; it is certain that nothing was charged and no seat kept. */
  | 'UNAVAILABLE'
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
  Order: Order;
  User: User;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Course:
    ( { __typename: 'Course' }
    & GraphQLRecursivePick<FederationTypes['Course'], {"id":true}>
    & ( Record<PropertyKey, never>
        | GraphQLRecursivePick<FederationTypes['Course'], {"instructorId":true}> ) );
  Order:
    ( { __typename: 'Order' }
    & GraphQLRecursivePick<FederationTypes['Order'], {"id":true}> );
  User:
    ( { __typename: 'User' }
    & GraphQLRecursivePick<FederationTypes['User'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  CancelOrderInput: CancelOrderInput;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Course: ResolverTypeWrapper<CourseRef>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Money: ResolverTypeWrapper<Money>;
  MoneyInput: MoneyInput;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Order: ResolverTypeWrapper<OrderEntity>;
  OrderConnection: ResolverTypeWrapper<Omit<OrderConnection, 'edges'> & { edges: Array<ResolversTypes['OrderEdge']> }>;
  OrderEdge: ResolverTypeWrapper<Omit<OrderEdge, 'node'> & { node: ResolversTypes['Order'] }>;
  OrderPayload: ResolverTypeWrapper<Omit<OrderPayload, 'order'> & { order?: Maybe<ResolversTypes['Order']> }>;
  OrderStatus: OrderStatus;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  PlaceOrderInput: PlaceOrderInput;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  User: ResolverTypeWrapper<UserRef>;
  UserError: ResolverTypeWrapper<UserError>;
  UserErrorCode: UserErrorCode;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  CancelOrderInput: CancelOrderInput;
  ID: Scalars['ID']['output'];
  Course: CourseRef;
  Int: Scalars['Int']['output'];
  String: Scalars['String']['output'];
  Money: Money;
  MoneyInput: MoneyInput;
  Mutation: Record<PropertyKey, never>;
  Order: OrderEntity;
  OrderConnection: Omit<OrderConnection, 'edges'> & { edges: Array<ResolversParentTypes['OrderEdge']> };
  OrderEdge: Omit<OrderEdge, 'node'> & { node: ResolversParentTypes['Order'] };
  OrderPayload: Omit<OrderPayload, 'order'> & { order?: Maybe<ResolversParentTypes['Order']> };
  PageInfo: PageInfo;
  Boolean: Scalars['Boolean']['output'];
  PlaceOrderInput: PlaceOrderInput;
  Query: Record<PropertyKey, never>;
  User: UserRef;
  UserError: UserError;
}>;

export type CourseResolvers<ContextType = OrderContext, ParentType extends ResolversParentTypes['Course'] = ResolversParentTypes['Course'], FederationReferenceType extends FederationReferenceTypes['Course'] = FederationReferenceTypes['Course']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Course']> | FederationReferenceType, FederationReferenceType, ContextType>;
  alsoBought?: Resolver<Array<ResolversTypes['Course']>, ParentType, ContextType, RequireFields<CourseAlsoBoughtArgs, 'first'>>;
  enrollmentCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  orders?: Resolver<ResolversTypes['OrderConnection'], ParentType, ContextType, RequireFields<CourseOrdersArgs, 'first'>>;
  viewerOrder?: Resolver<Maybe<ResolversTypes['Order']>, ParentType, ContextType>;
}>;

export type MoneyResolvers<ContextType = OrderContext, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = ResolversObject<{
  amount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = OrderContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  cancelOrder?: Resolver<ResolversTypes['OrderPayload'], ParentType, ContextType, RequireFields<MutationCancelOrderArgs, 'input'>>;
  placeOrder?: Resolver<ResolversTypes['OrderPayload'], ParentType, ContextType, RequireFields<MutationPlaceOrderArgs, 'input'>>;
}>;

export type OrderResolvers<ContextType = OrderContext, ParentType extends ResolversParentTypes['Order'] = ResolversParentTypes['Order'], FederationReferenceType extends FederationReferenceTypes['Order'] = FederationReferenceTypes['Order']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Order']> | FederationReferenceType, FederationReferenceType, ContextType>;
  course?: Resolver<ResolversTypes['Course'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  failureReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  pricePaid?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['OrderStatus'], ParentType, ContextType>;
  student?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
  studentId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type OrderConnectionResolvers<ContextType = OrderContext, ParentType extends ResolversParentTypes['OrderConnection'] = ResolversParentTypes['OrderConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['OrderEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type OrderEdgeResolvers<ContextType = OrderContext, ParentType extends ResolversParentTypes['OrderEdge'] = ResolversParentTypes['OrderEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Order'], ParentType, ContextType>;
}>;

export type OrderPayloadResolvers<ContextType = OrderContext, ParentType extends ResolversParentTypes['OrderPayload'] = ResolversParentTypes['OrderPayload']> = ResolversObject<{
  order?: Resolver<Maybe<ResolversTypes['Order']>, ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export type PageInfoResolvers<ContextType = OrderContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = OrderContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  order?: Resolver<Maybe<ResolversTypes['Order']>, ParentType, ContextType, RequireFields<QueryOrderArgs, 'id'>>;
}>;

export type UserResolvers<ContextType = OrderContext, ParentType extends ResolversParentTypes['User'] = ResolversParentTypes['User'], FederationReferenceType extends FederationReferenceTypes['User'] = FederationReferenceTypes['User']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['User']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  orders?: Resolver<ResolversTypes['OrderConnection'], ParentType, ContextType, RequireFields<UserOrdersArgs, 'first'>>;
}>;

export type UserErrorResolvers<ContextType = OrderContext, ParentType extends ResolversParentTypes['UserError'] = ResolversParentTypes['UserError']> = ResolversObject<{
  code?: Resolver<ResolversTypes['UserErrorCode'], ParentType, ContextType>;
  currentPrice?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  field?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  retryAfterSeconds?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
}>;

export type Resolvers<ContextType = OrderContext> = ResolversObject<{
  Course?: CourseResolvers<ContextType>;
  Money?: MoneyResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Order?: OrderResolvers<ContextType>;
  OrderConnection?: OrderConnectionResolvers<ContextType>;
  OrderEdge?: OrderEdgeResolvers<ContextType>;
  OrderPayload?: OrderPayloadResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  User?: UserResolvers<ContextType>;
  UserError?: UserErrorResolvers<ContextType>;
}>;

