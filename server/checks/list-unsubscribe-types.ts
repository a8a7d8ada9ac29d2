/** Result of the List-Unsubscribe check (`GET /api/messages/:id/checks/list-unsubscribe`). */

/** One URI of `List-Unsubscribe` (RFC 2369 §2). */
export interface ListUnsubscribeUri {
  /** As written, without the angle brackets. */
  uri: string;
  /** Lowercased scheme (`mailto`, `https`, `http`, …), `""` when there is none. */
  scheme: string;
  /** `true`: in angle brackets and a well-formed URI of its scheme (mailto: with an address, http(s): with a host). */
  valid: boolean;
}

/** One thing found, with one human line. `error` makes `ok` false. */
export interface ListUnsubscribeFinding {
  level: 'error' | 'warning' | 'info';
  message: string;
}

/** Presence and form of `List-Unsubscribe` (RFC 2369) and one-click unsubscribe (RFC 8058). */
export interface ListUnsubscribeCheck {
  /** A `List-Unsubscribe` header field is present. */
  present: boolean;
  /** Its value as written (the first one when there are several), unfolded; `null` without one. */
  header: string | null;
  /** The value of `List-Unsubscribe-Post`, or `null`. */
  post: string | null;
  /** RFC 8058 one-click is offered: `List-Unsubscribe-Post: List-Unsubscribe=One-Click` and an https URI. */
  oneClick: boolean;
  uris: ListUnsubscribeUri[];
  findings: ListUnsubscribeFinding[];
  /** The header is present and no finding is an `error`. */
  ok: boolean;
}
