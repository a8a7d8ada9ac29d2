/** Result shapes of the link check (`GET /api/messages/:id/checks/links`). */

/** The state of one URL the message names. */
export interface LinkStatus {
  url: string;
  kind: 'link' | 'image';
  /** HTTP status of the last response, `null` when none came. */
  status: number | null;
  statusText: string;
  ok: boolean;
  redirects: { url: string; status: number }[];
  finalUrl: string;
  /** e.g. `timeout`, `ECONNREFUSED`; `null` when a response came. */
  error: string | null;
  durationMs: number;
}

/** Every link and image URL of one message, checked now. */
export interface LinkCheck {
  checked: number;
  errors: number;
  links: LinkStatus[];
}
