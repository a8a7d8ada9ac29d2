/** Result of the spam check (`GET /api/messages/:id/checks/spam`). DRAFT: refined by the spam check's author. */
export interface SpamCheck {
  [key: string]: unknown;
}
