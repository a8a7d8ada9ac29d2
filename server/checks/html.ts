/**
 * HTML compatibility of a stored message: the HTML and CSS features of its HTML body that mail
 * clients do not (fully) support, from caniemail.com's data (the `caniemail` package), placed at
 * their line and column in the body, and a score per client family.
 */
import { CheckUnavailableError } from './errors.js';
import { findHtmlIssues } from './html-findings.js';
import type { PlacedIssue } from './html-findings.js';
import { CANIEMAIL_CLIENTS, caniemailData, caniemailVersion, featureByTitle } from './html-data.js';
import type { CheckInput } from './service.js';
import type { HtmlCheck, HtmlClientScore, HtmlFinding } from './types.js';

/**
 * Largest HTML body checked, in UTF-16 code units: caniemail is synchronous (about 2 s for a dense
 * 512 KiB body on one core) and blocks the sink meanwhile. Gmail clips messages at 102 KB.
 */
export const MAX_HTML_CHARS = 512 * 1024;

/**
 * Checks the HTML body (`parse.parsed.html`). No HTML body: `hasHtml: false`, score 100, no findings.
 * A `<style>` or `style=""` caniemail cannot parse is skipped and named in `errors`. Never throws
 * for message content except one over {@link MAX_HTML_CHARS}.
 *
 * @throws CheckUnavailableError when the HTML body is longer than {@link MAX_HTML_CHARS} (HTTP 409).
 */
export async function checkHtml(input: CheckInput): Promise<HtmlCheck> {
  const html = input.parse.parsed?.html;
  const dataVersion = caniemailVersion();
  if (!html) return { hasHtml: false, ...scoreClients([]), findings: [], nodes: 0, errors: [], dataVersion };
  if (html.length > MAX_HTML_CHARS) {
    throw new CheckUnavailableError('html', `the HTML body has ${html.length} characters; the HTML check reads at most ${MAX_HTML_CHARS}`);
  }
  const { issues, nodes, errors } = findHtmlIssues(html);
  return { hasHtml: true, ...scoreClients(issues), findings: mergeFindings(issues), nodes, errors, dataVersion };
}

/** One finding per feature, place and support, with every client that has it; sorted. */
export function mergeFindings(issues: PlacedIssue[]): HtmlFinding[] {
  const merged = new Map<string, HtmlFinding>();
  for (const issue of issues) {
    const feature = featureByTitle(issue.title);
    const slug = feature?.slug ?? issue.title;
    const key = `${slug}\u0000${issue.line}\u0000${issue.column}\u0000${issue.support}`;
    const finding = merged.get(key) ?? {
      feature: slug, title: issue.title, category: (feature ? feature.category === 'css' : !issue.title.startsWith('<')) ? 'css' : 'html',
      support: issue.support, line: issue.line, column: issue.column, clients: [], notes: [],
    };
    merged.set(key, finding);
    if (!finding.clients.includes(issue.client)) finding.clients.push(issue.client);
    for (const note of issue.notes) if (!finding.notes.includes(note)) finding.notes.push(note);
  }
  const findings = [...merged.values()];
  for (const finding of findings) finding.clients.sort();
  return findings.sort((a, b) => a.line - b.line || a.column - b.column || a.feature.localeCompare(b.feature) || (a.support === 'none' ? -1 : 1) - (b.support === 'none' ? -1 : 1));
}

/** The worst support of each (feature title, client) pair found: `none` or `partial`. */
function worstSupport(issues: PlacedIssue[]): Map<string, Map<string, 'none' | 'partial'>> {
  const worst = new Map<string, Map<string, 'none' | 'partial'>>(); // client → title → support
  for (const issue of issues) {
    const titles = worst.get(issue.client) ?? new Map<string, 'none' | 'partial'>();
    worst.set(issue.client, titles);
    if (titles.get(issue.title) !== 'none') titles.set(issue.title, issue.support);
  }
  return worst;
}

/**
 * 0–100: over the `features` found that some client supports less than fully, and the given
 * clients, the share of (feature, client) pairs supported, partial support counting half.
 */
function score(worst: Map<string, Map<string, 'none' | 'partial'>>, features: number, clients: readonly string[]): number {
  if (features === 0 || clients.length === 0) return 100;
  let lost = 0;
  for (const client of clients) for (const support of worst.get(client)?.values() ?? []) lost += support === 'none' ? 1 : 0.5;
  return Math.round(100 - (100 * lost) / (features * clients.length));
}

/** The overall score and one score per client family, in caniemail's client order. */
function scoreClients(issues: PlacedIssue[]): { score: number; clients: HtmlClientScore[] } {
  const worst = worstSupport(issues);
  const features = new Set(issues.map((issue) => issue.title)).size;
  const families = new Map<string, string[]>();
  for (const client of CANIEMAIL_CLIENTS) {
    const [family, platform] = client.split('.') as [string, string];
    families.set(family, [...(families.get(family) ?? []), platform]);
  }
  const clients = [...families].map(([family, platforms]) => {
    const ids = platforms.map((platform) => `${family}.${platform}`);
    const none = new Set<string>();
    const partial = new Set<string>();
    for (const id of ids) for (const [title, support] of worst.get(id) ?? []) (support === 'none' ? none : partial).add(title);
    for (const title of none) partial.delete(title);
    return { family, name: caniemailData.nicenames.family[family] ?? family, platforms, score: score(worst, features, ids), unsupported: none.size, partial: partial.size };
  });
  return { score: score(worst, features, CANIEMAIL_CLIENTS), clients };
}
