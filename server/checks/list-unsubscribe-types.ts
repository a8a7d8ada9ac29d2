/** Result of the List-Unsubscribe check (`GET /api/messages/:id/checks/list-unsubscribe`). DRAFT: refined by its author. */
export interface ListUnsubscribeCheck {
  [key: string]: unknown;
}
