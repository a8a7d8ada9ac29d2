/** Result of the authentication check (`GET /api/messages/:id/checks/auth`). DRAFT: refined by the auth check's author. */
export interface AuthCheck {
  dkim: Array<{ result: string; domain: string | null; selector: string | null; [key: string]: unknown }>;
  arc: { result: string; [key: string]: unknown };
  dmarc: { result: string; [key: string]: unknown };
  spf: { result: string; [key: string]: unknown };
  /** A ready `Authentication-Results` header field (RFC 8601), name included. */
  authenticationResults: string;
}
