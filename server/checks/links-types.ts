/** Result of the link check (`GET /api/messages/:id/checks/links`). DRAFT: refined by the link check's author. */
export interface LinkCheck {
  [key: string]: unknown;
}
