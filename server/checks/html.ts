/**
 * HTML compatibility of a stored message: the HTML and CSS features of its HTML body that mail
 * clients do not (fully) support, from caniemail.com's data (the `caniemail` package), placed at
 * their line and column in the body, and a score per client family.
 */
import { findHtmlIssues } from './html-findings.js';
import type { PlacedIssue } from './html-findings.js';
import { CANIEMAIL_CLIENTS, caniemailData, caniemailVersion, featureByTitle } from './html-data.js';
import type { CheckInput } from './service.js';
import type { HtmlCheck, HtmlClientScore, HtmlFinding } from './types.js';

/**
 * Checks the HTML body (`parse.parsed.html`). No HTML body: `hasHtml: false`, score 100, no findings.
 * A `<style>` or `style=""` caniemail cannot parse is skipped and named in `errors`. Never throws
 * for message content.
 */
export async function checkHtml(input: CheckInput): Promise<HtmlCheck> {
  const html = input.parse.parsed?.html;
  const dataVersion = caniemailVersion();
  if (!html) return { hasHtml: false, score: 100, clients: scoreFamilies([]), findings: [], nodes: 0, errors: [], dataVersion };
  const { issues, nodes, errors } = findHtmlIssues(html);
  return { hasHtml: true, score: score(issues, CANIEMAIL_CLIENTS), clients: scoreFamilies(issues), findings: mergeFindings(issues), nodes, errors, dataVersion };
}

/** One finding per feature, place and support, with every client that has it; sorted. */
export function mergeFindings(issues: PlacedIssue[]): HtmlFinding[] {
  const merged = new Map<string, HtmlFinding>();
  for (const issue of issues) {
    const feature = featureByTitle(issue.title);
    const slug = feature?.slug ?? issue.title;
    const key = `${slug}\u0000${issue.line}\u0000${issue.column}\u0000${issue.support}`;
    const finding = merged.get(key) ?? {
      feature: slug, title: issue.title, category: feature?.category ?? (issue.title.startsWith('<') ? 'html' : 'css'),
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

/**
 * 0–100: over the features found that some client supports less than fully, and the given
 * clients, the share of (feature, client) pairs supported, partial support counting half.
 */
function score(issues: PlacedIssue[], clients: readonly string[]): number {
  const features = new Set(issues.map((issue) => issue.title));
  if (features.size === 0 || clients.length === 0) return 100;
  const worst = new Map<string, 'none' | 'partial'>(); // `${title}\0${client}` → worst support anywhere
  for (const issue of issues) {
    if (!clients.includes(issue.client)) continue;
    const key = `${issue.title}\u0000${issue.client}`;
    if (worst.get(key) !== 'none') worst.set(key, issue.support);
  }
  let lost = 0;
  for (const support of worst.values()) lost += support === 'none' ? 1 : 0.5;
  return Math.round(100 - (100 * lost) / (features.size * clients.length));
}

/** One score per client family, in caniemail's client order. */
function scoreFamilies(issues: PlacedIssue[]): HtmlClientScore[] {
  const families = new Map<string, string[]>();
  for (const client of CANIEMAIL_CLIENTS) {
    const [family, platform] = client.split('.') as [string, string];
    families.set(family, [...(families.get(family) ?? []), platform]);
  }
  return [...families].map(([family, platforms]) => {
    const clients = platforms.map((platform) => `${family}.${platform}`);
    const own = issues.filter((issue) => clients.includes(issue.client));
    const none = new Set(own.filter((issue) => issue.support === 'none').map((issue) => issue.title));
    const partial = new Set(own.filter((issue) => issue.support === 'partial' && !none.has(issue.title)).map((issue) => issue.title));
    return {
      family, name: caniemailData.nicenames.family[family] ?? family, platforms,
      score: score(issues, clients), unsupported: none.size, partial: partial.size,
    };
  });
}
