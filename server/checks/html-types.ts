/** Result of the HTML compatibility check (`GET /api/messages/:id/checks/html`), from caniemail.com's data. */

/** One HTML or CSS feature at one place of the HTML body that some mail clients do not (fully) support. */
export interface HtmlFinding {
  /** caniemail slug, e.g. `css-display-flex`. */
  feature: string;
  /** caniemail title, e.g. `display:flex`. */
  title: string;
  category: 'html' | 'css';
  /** How the listed clients support it: `none` (not at all) or `partial`. */
  support: 'none' | 'partial';
  /** 1-based line in the HTML body as sent (transfer encoding and charset decoded). */
  line: number;
  /** 1-based column (UTF-16 code units) on that line. */
  column: number;
  /** caniemail client ids with this support, sorted, e.g. `outlook.windows`. */
  clients: string[];
  /** caniemail's notes on that support for these clients (Markdown), without repeats. */
  notes: string[];
}

/** How well one client family supports the features found. */
export interface HtmlClientScore {
  /** caniemail family id, e.g. `outlook`. */
  family: string;
  /** Its display name, e.g. `Outlook`. */
  name: string;
  /** The family's platforms in caniemail's client list, e.g. `windows`, `ios`. */
  platforms: string[];
  /**
   * 0–100: the share of (feature found × platform) pairs the family supports, a partial support
   * counting half, rounded. 100 when nothing is found that any client supports less than fully.
   */
  score: number;
  /** Features found that at least one of the family's platforms does not support. */
  unsupported: number;
  /** Features found that some platform supports partially and none leaves unsupported. */
  partial: number;
}

/** HTML compatibility of a message's HTML body. */
export interface HtmlCheck {
  /** `false`: the message has no HTML body (score 100, nothing else). */
  hasHtml: boolean;
  /** 0–100 over all clients (same rule as {@link HtmlClientScore.score}). */
  score: number;
  /** One entry per client family, in caniemail's order. */
  clients: HtmlClientScore[];
  /** Sorted by line, column, feature, then `none` before `partial`. */
  findings: HtmlFinding[];
  /** Elements in the body other than `html`, `head` and `meta` (Mailpit's `Total.Nodes`). */
  nodes: number;
  /** One human line per `<style>` or `style=""` caniemail could not parse (its features are not reported). */
  errors: string[];
  /** `caniemail@<package version> (data <last update date>)`. */
  dataVersion: string;
}
