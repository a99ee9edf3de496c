/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation PlaceOrder($input: PlaceOrderInput!) {\n    placeOrder(input: $input) {\n      order {\n        id\n        status\n      }\n      userErrors {\n        code\n        message\n        currentPrice {\n          amount\n          currency\n        }\n        retryAfterSeconds\n      }\n    }\n  }\n": typeof types.PlaceOrderDocument,
    "\n  fragment CourseCard_course on Course {\n    id\n    title\n    price {\n      amount\n      currency\n    }\n    seatsAvailable\n    capacity\n    instructor {\n      id\n      displayName\n    }\n  }\n": typeof types.CourseCard_CourseFragmentDoc,
    "\n  subscription LiveSeats($courseIds: [ID!]!) {\n    seatsChanged(courseIds: $courseIds) {\n      courseId\n      seatsAvailable\n      version\n    }\n  }\n": typeof types.LiveSeatsDocument,
    "\n  query Catalog($first: Int!, $after: String, $search: String, $filter: CourseFilter, $sort: CourseSort) {\n    courses(first: $first, after: $after, search: $search, filter: $filter, sort: $sort) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          ...CourseCard_course\n        }\n      }\n    }\n    courseFacets(search: $search, filter: $filter) {\n      count\n      category {\n        id\n        slug\n        name\n      }\n    }\n  }\n": typeof types.CatalogDocument,
    "\n  query CoursePage($id: ID!) {\n    course(id: $id) {\n      id\n      title\n      description\n      status\n      seatsAvailable\n      capacity\n      price {\n        amount\n        currency\n      }\n      categories {\n        id\n        slug\n        name\n      }\n      instructor {\n        id\n        displayName\n        headline\n        bio\n        website\n      }\n      related(first: 4) {\n        id\n        ...CourseCard_course\n      }\n      alsoBought(first: 4) {\n        id\n        ...CourseCard_course\n      }\n      viewerOrder {\n        id\n        status\n      }\n    }\n  }\n": typeof types.CoursePageDocument,
    "\n  query MyOrders {\n    me {\n      id\n      orders(first: 50) {\n        edges {\n          node {\n            id\n            status\n            createdAt\n            pricePaid {\n              amount\n              currency\n            }\n            course {\n              id\n              title\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.MyOrdersDocument,
    "\n  mutation CancelOrder($input: CancelOrderInput!) {\n    cancelOrder(input: $input) {\n      order {\n        id\n        status\n      }\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n": typeof types.CancelOrderDocument,
    "\n  fragment AuthFields on AuthPayload {\n    accessToken\n    accessTokenExpiresIn\n    refreshToken\n    user {\n      id\n      displayName\n    }\n    userErrors {\n      code\n      field\n      message\n      retryAfterSeconds\n    }\n  }\n": typeof types.AuthFieldsFragmentDoc,
    "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      ...AuthFields\n    }\n  }\n": typeof types.LoginDocument,
    "\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      ...AuthFields\n    }\n  }\n": typeof types.RegisterDocument,
    "\n  mutation RefreshToken($input: RefreshTokenInput!) {\n    refreshToken(input: $input) {\n      ...AuthFields\n    }\n  }\n": typeof types.RefreshTokenDocument,
    "\n  mutation Logout($input: RefreshTokenInput!) {\n    logout(input: $input) {\n      loggedOut\n    }\n  }\n": typeof types.LogoutDocument,
};
const documents: Documents = {
    "\n  mutation PlaceOrder($input: PlaceOrderInput!) {\n    placeOrder(input: $input) {\n      order {\n        id\n        status\n      }\n      userErrors {\n        code\n        message\n        currentPrice {\n          amount\n          currency\n        }\n        retryAfterSeconds\n      }\n    }\n  }\n": types.PlaceOrderDocument,
    "\n  fragment CourseCard_course on Course {\n    id\n    title\n    price {\n      amount\n      currency\n    }\n    seatsAvailable\n    capacity\n    instructor {\n      id\n      displayName\n    }\n  }\n": types.CourseCard_CourseFragmentDoc,
    "\n  subscription LiveSeats($courseIds: [ID!]!) {\n    seatsChanged(courseIds: $courseIds) {\n      courseId\n      seatsAvailable\n      version\n    }\n  }\n": types.LiveSeatsDocument,
    "\n  query Catalog($first: Int!, $after: String, $search: String, $filter: CourseFilter, $sort: CourseSort) {\n    courses(first: $first, after: $after, search: $search, filter: $filter, sort: $sort) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          ...CourseCard_course\n        }\n      }\n    }\n    courseFacets(search: $search, filter: $filter) {\n      count\n      category {\n        id\n        slug\n        name\n      }\n    }\n  }\n": types.CatalogDocument,
    "\n  query CoursePage($id: ID!) {\n    course(id: $id) {\n      id\n      title\n      description\n      status\n      seatsAvailable\n      capacity\n      price {\n        amount\n        currency\n      }\n      categories {\n        id\n        slug\n        name\n      }\n      instructor {\n        id\n        displayName\n        headline\n        bio\n        website\n      }\n      related(first: 4) {\n        id\n        ...CourseCard_course\n      }\n      alsoBought(first: 4) {\n        id\n        ...CourseCard_course\n      }\n      viewerOrder {\n        id\n        status\n      }\n    }\n  }\n": types.CoursePageDocument,
    "\n  query MyOrders {\n    me {\n      id\n      orders(first: 50) {\n        edges {\n          node {\n            id\n            status\n            createdAt\n            pricePaid {\n              amount\n              currency\n            }\n            course {\n              id\n              title\n            }\n          }\n        }\n      }\n    }\n  }\n": types.MyOrdersDocument,
    "\n  mutation CancelOrder($input: CancelOrderInput!) {\n    cancelOrder(input: $input) {\n      order {\n        id\n        status\n      }\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n": types.CancelOrderDocument,
    "\n  fragment AuthFields on AuthPayload {\n    accessToken\n    accessTokenExpiresIn\n    refreshToken\n    user {\n      id\n      displayName\n    }\n    userErrors {\n      code\n      field\n      message\n      retryAfterSeconds\n    }\n  }\n": types.AuthFieldsFragmentDoc,
    "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      ...AuthFields\n    }\n  }\n": types.LoginDocument,
    "\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      ...AuthFields\n    }\n  }\n": types.RegisterDocument,
    "\n  mutation RefreshToken($input: RefreshTokenInput!) {\n    refreshToken(input: $input) {\n      ...AuthFields\n    }\n  }\n": types.RefreshTokenDocument,
    "\n  mutation Logout($input: RefreshTokenInput!) {\n    logout(input: $input) {\n      loggedOut\n    }\n  }\n": types.LogoutDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PlaceOrder($input: PlaceOrderInput!) {\n    placeOrder(input: $input) {\n      order {\n        id\n        status\n      }\n      userErrors {\n        code\n        message\n        currentPrice {\n          amount\n          currency\n        }\n        retryAfterSeconds\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation PlaceOrder($input: PlaceOrderInput!) {\n    placeOrder(input: $input) {\n      order {\n        id\n        status\n      }\n      userErrors {\n        code\n        message\n        currentPrice {\n          amount\n          currency\n        }\n        retryAfterSeconds\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CourseCard_course on Course {\n    id\n    title\n    price {\n      amount\n      currency\n    }\n    seatsAvailable\n    capacity\n    instructor {\n      id\n      displayName\n    }\n  }\n"): (typeof documents)["\n  fragment CourseCard_course on Course {\n    id\n    title\n    price {\n      amount\n      currency\n    }\n    seatsAvailable\n    capacity\n    instructor {\n      id\n      displayName\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LiveSeats($courseIds: [ID!]!) {\n    seatsChanged(courseIds: $courseIds) {\n      courseId\n      seatsAvailable\n      version\n    }\n  }\n"): (typeof documents)["\n  subscription LiveSeats($courseIds: [ID!]!) {\n    seatsChanged(courseIds: $courseIds) {\n      courseId\n      seatsAvailable\n      version\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Catalog($first: Int!, $after: String, $search: String, $filter: CourseFilter, $sort: CourseSort) {\n    courses(first: $first, after: $after, search: $search, filter: $filter, sort: $sort) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          ...CourseCard_course\n        }\n      }\n    }\n    courseFacets(search: $search, filter: $filter) {\n      count\n      category {\n        id\n        slug\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  query Catalog($first: Int!, $after: String, $search: String, $filter: CourseFilter, $sort: CourseSort) {\n    courses(first: $first, after: $after, search: $search, filter: $filter, sort: $sort) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          ...CourseCard_course\n        }\n      }\n    }\n    courseFacets(search: $search, filter: $filter) {\n      count\n      category {\n        id\n        slug\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CoursePage($id: ID!) {\n    course(id: $id) {\n      id\n      title\n      description\n      status\n      seatsAvailable\n      capacity\n      price {\n        amount\n        currency\n      }\n      categories {\n        id\n        slug\n        name\n      }\n      instructor {\n        id\n        displayName\n        headline\n        bio\n        website\n      }\n      related(first: 4) {\n        id\n        ...CourseCard_course\n      }\n      alsoBought(first: 4) {\n        id\n        ...CourseCard_course\n      }\n      viewerOrder {\n        id\n        status\n      }\n    }\n  }\n"): (typeof documents)["\n  query CoursePage($id: ID!) {\n    course(id: $id) {\n      id\n      title\n      description\n      status\n      seatsAvailable\n      capacity\n      price {\n        amount\n        currency\n      }\n      categories {\n        id\n        slug\n        name\n      }\n      instructor {\n        id\n        displayName\n        headline\n        bio\n        website\n      }\n      related(first: 4) {\n        id\n        ...CourseCard_course\n      }\n      alsoBought(first: 4) {\n        id\n        ...CourseCard_course\n      }\n      viewerOrder {\n        id\n        status\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyOrders {\n    me {\n      id\n      orders(first: 50) {\n        edges {\n          node {\n            id\n            status\n            createdAt\n            pricePaid {\n              amount\n              currency\n            }\n            course {\n              id\n              title\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query MyOrders {\n    me {\n      id\n      orders(first: 50) {\n        edges {\n          node {\n            id\n            status\n            createdAt\n            pricePaid {\n              amount\n              currency\n            }\n            course {\n              id\n              title\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelOrder($input: CancelOrderInput!) {\n    cancelOrder(input: $input) {\n      order {\n        id\n        status\n      }\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CancelOrder($input: CancelOrderInput!) {\n    cancelOrder(input: $input) {\n      order {\n        id\n        status\n      }\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AuthFields on AuthPayload {\n    accessToken\n    accessTokenExpiresIn\n    refreshToken\n    user {\n      id\n      displayName\n    }\n    userErrors {\n      code\n      field\n      message\n      retryAfterSeconds\n    }\n  }\n"): (typeof documents)["\n  fragment AuthFields on AuthPayload {\n    accessToken\n    accessTokenExpiresIn\n    refreshToken\n    user {\n      id\n      displayName\n    }\n    userErrors {\n      code\n      field\n      message\n      retryAfterSeconds\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      ...AuthFields\n    }\n  }\n"): (typeof documents)["\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      ...AuthFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      ...AuthFields\n    }\n  }\n"): (typeof documents)["\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      ...AuthFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefreshToken($input: RefreshTokenInput!) {\n    refreshToken(input: $input) {\n      ...AuthFields\n    }\n  }\n"): (typeof documents)["\n  mutation RefreshToken($input: RefreshTokenInput!) {\n    refreshToken(input: $input) {\n      ...AuthFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Logout($input: RefreshTokenInput!) {\n    logout(input: $input) {\n      loggedOut\n    }\n  }\n"): (typeof documents)["\n  mutation Logout($input: RefreshTokenInput!) {\n    logout(input: $input) {\n      loggedOut\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;