/** Result of the HTML compatibility check (`GET /api/messages/:id/checks/html`). DRAFT: refined by the HTML check's author. */
export interface HtmlCheck {
  [key: string]: unknown;
}
