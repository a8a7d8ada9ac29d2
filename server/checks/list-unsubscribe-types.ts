/** Result shape of the List-Unsubscribe check (`GET /api/messages/:id/checks/list-unsubscribe`): RFC 2369, RFC 8058. */

/** `List-Unsubscribe` and one-click unsubscribe of one message. */
export interface ListUnsubscribeCheck {
  present: boolean;
  /** The `List-Unsubscribe` value, or `null`. */
  header: string | null;
  /** The `List-Unsubscribe-Post` value, or `null`. */
  post: string | null;
  /** RFC 8058 one-click. */
  oneClick: boolean;
  uris: { uri: string; scheme: string; valid: boolean }[];
  findings: { level: 'error' | 'warning' | 'info'; message: string }[];
  ok: boolean;
}
