/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Input of cancelReservation. Internal. */
export type CancelReservationInput = {
  /** The course the key is for. With `holderId`: cancel the key even before it is used. */
  courseId?: string | number | null | undefined;
  /** The holder the key is for. With `courseId`: cancel the key even before it is used. */
  holderId?: string | number | null | undefined;
  /** The idempotency key the reservation was made with. */
  key: string;
};

/** An amount of money as input: integer minor units plus an ISO 4217 currency code. */
export type MoneyInput = {
  /** Amount in minor units; an integer between 0 and 100000000. */
  amount: number;
  /** ISO 4217 currency code, three upper-case letters. */
  currency: string;
};

/** Input of confirmReservation. Internal. */
export type ReservationKeyInput = {
  /** The idempotency key the reservation was made with. */
  key: string;
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
  courseId: string | number;
  /** The price the buyer agreed to; the seat is taken only if it is still the price. */
  expectedPrice: MoneyInput;
  /** Who the seat is for. */
  holderId: string | number;
  /** The caller's idempotency key (the order id): a repeated call returns the same reservation. */
  key: string;
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

export type ReservationStateFragment = { key: string, courseId: string, status: ReservationStatus };

export type ReservationResultFragment = { reservation: { key: string, courseId: string, status: ReservationStatus } | null, userErrors: Array<{ code: UserErrorCode, field: string | null, message: string, currentPrice: { amount: number, currency: string } | null }> };

export type PurchaseMutationVariables = Exact<{
  input: ReserveSeatInput;
}>;


export type PurchaseMutation = { purchaseSeat: { reservation: { key: string, courseId: string, status: ReservationStatus } | null, userErrors: Array<{ code: UserErrorCode, field: string | null, message: string, currentPrice: { amount: number, currency: string } | null }> } };

export type ConfirmMutationVariables = Exact<{
  input: ReservationKeyInput;
}>;


export type ConfirmMutation = { confirmReservation: { reservation: { key: string, courseId: string, status: ReservationStatus } | null, userErrors: Array<{ code: UserErrorCode, field: string | null, message: string, currentPrice: { amount: number, currency: string } | null }> } };

export type CancelMutationVariables = Exact<{
  input: CancelReservationInput;
}>;


export type CancelMutation = { cancelReservation: { reservation: { key: string, courseId: string, status: ReservationStatus } | null, userErrors: Array<{ code: UserErrorCode, field: string | null, message: string, currentPrice: { amount: number, currency: string } | null }> } };

export type FindQueryVariables = Exact<{
  key: string;
}>;


export type FindQuery = { reservation: { key: string, courseId: string, status: ReservationStatus } | null };

export type LedgerQueryVariables = Exact<{
  courseId: string | number;
}>;


export type LedgerQuery = { seatLedger: { courseId: string, capacity: number, seatsAvailable: number, seatsHeld: number, seatsSold: number, confirmedKeys: Array<string>, pendingKeys: Array<string> } | null };

export type PublishedCourseIdsQueryVariables = Exact<{
  ids: Array<string | number> | string | number;
}>;


export type PublishedCourseIdsQuery = { publishedCourseIds: Array<string> };

export const ReservationStateFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ReservationState"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Reservation"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"courseId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]} as unknown as DocumentNode<ReservationStateFragment, unknown>;
export const ReservationResultFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ReservationResult"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReservationPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reservation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ReservationState"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"currentPrice"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ReservationState"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Reservation"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"courseId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]} as unknown as DocumentNode<ReservationResultFragment, unknown>;
export const PurchaseDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Purchase"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ReserveSeatInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"purchaseSeat"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ReservationResult"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ReservationState"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Reservation"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"courseId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ReservationResult"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReservationPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reservation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ReservationState"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"currentPrice"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}}]}}]}}]} as unknown as DocumentNode<PurchaseMutation, PurchaseMutationVariables>;
export const ConfirmDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Confirm"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ReservationKeyInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"confirmReservation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ReservationResult"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ReservationState"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Reservation"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"courseId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ReservationResult"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReservationPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reservation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ReservationState"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"currentPrice"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}}]}}]}}]} as unknown as DocumentNode<ConfirmMutation, ConfirmMutationVariables>;
export const CancelDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Cancel"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CancelReservationInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cancelReservation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ReservationResult"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ReservationState"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Reservation"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"courseId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ReservationResult"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReservationPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reservation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ReservationState"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"currentPrice"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}}]}}]}}]} as unknown as DocumentNode<CancelMutation, CancelMutationVariables>;
export const FindDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Find"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"key"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reservation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"key"},"value":{"kind":"Variable","name":{"kind":"Name","value":"key"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ReservationState"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ReservationState"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Reservation"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"courseId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]} as unknown as DocumentNode<FindQuery, FindQueryVariables>;
export const LedgerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Ledger"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"courseId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"seatLedger"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"courseId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"courseId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"courseId"}},{"kind":"Field","name":{"kind":"Name","value":"capacity"}},{"kind":"Field","name":{"kind":"Name","value":"seatsAvailable"}},{"kind":"Field","name":{"kind":"Name","value":"seatsHeld"}},{"kind":"Field","name":{"kind":"Name","value":"seatsSold"}},{"kind":"Field","name":{"kind":"Name","value":"confirmedKeys"}},{"kind":"Field","name":{"kind":"Name","value":"pendingKeys"}}]}}]}}]} as unknown as DocumentNode<LedgerQuery, LedgerQueryVariables>;
export const PublishedCourseIdsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PublishedCourseIds"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"publishedCourseIds"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ids"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}}]}]}}]} as unknown as DocumentNode<PublishedCourseIdsQuery, PublishedCourseIdsQueryVariables>;