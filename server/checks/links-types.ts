/** Result of the link check (`GET /api/messages/:id/checks/links`). */

/** The state of one URL a message names, now. */
export interface LinkStatus {
  /** The URL as written in the message (character references decoded). */
  url: string;
  /** `link`: `<a href>`/`<area href>` of the HTML body or a URL of the text body; `image`: `<img src>` or a `background` attribute. */
  kind: 'link' | 'image';
  /** HTTP status of the last response (after the redirects followed), `null` when none came (see {@link error}). */
  status: number | null;
  /** Reason phrase of that response (`Not Found`), or one human line about the error (`no answer within 10000 ms`). */
  statusText: string;
  /** `true` when a response came, without error, with a status below 400. */
  ok: boolean;
  /** Each response that redirected, in order: the URL asked and its 3xx status (empty with `follow=false`). */
  redirects: { url: string; status: number }[];
  /** The URL of the last request (`url` resolved, after the redirects). */
  finalUrl: string;
  /**
   * Why no usable response came: `timeout`, `ECONNREFUSED`, `ENOTFOUND`, `ECONNRESET` (any network error
   * code), `too-many-redirects`, `redirect-loop`, `bad-redirect` (a `Location` that is missing or not http(s)),
   * `bad-port` (a port browsers refuse, e.g. 25), `network` (other); `null` when there is none.
   */
  error: string | null;
  /** Time spent on this URL, all requests included, in milliseconds. */
  durationMs: number;
}

/** The link check of one message. */
export interface LinkCheck {
  /** URLs checked (= `links.length`). */
  checked: number;
  /** Links that are not `ok`. */
  errors: number;
  /** Distinct http(s) URLs beyond the per-message cap (100), not checked. */
  skipped: number;
  /** One entry per distinct http(s) URL, HTML links first, then images, then text-body URLs. */
  links: LinkStatus[];
}
