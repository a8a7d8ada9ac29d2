/** Result shapes of the HTML compatibility check (`GET /api/messages/:id/checks/html`), from caniemail data. */

/** One HTML or CSS feature of the body that some clients do not (fully) support. */
export interface HtmlFinding {
  /** caniemail slug. */
  feature: string;
  title: string;
  category: 'html' | 'css';
  support: 'none' | 'partial';
  /** 1-based line in the HTML body as sent (decoded). */
  line: number;
  column: number;
  /** Clients affected, e.g. `outlook.windows`. */
  clients: string[];
  notes: string[];
}

/** Support of the body in one client family. */
export interface HtmlClientScore {
  /** e.g. `outlook`. */
  family: string;
  /** e.g. `Outlook`. */
  name: string;
  platforms: string[];
  /** 0–100. */
  score: number;
  unsupported: number;
  partial: number;
}

/** HTML compatibility of one message. */
export interface HtmlCheck {
  hasHtml: boolean;
  /** 0–100 over all clients. */
  score: number;
  clients: HtmlClientScore[];
  findings: HtmlFinding[];
  dataVersion: string;
}
