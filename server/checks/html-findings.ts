/**
 * Runs caniemail over an HTML body and places every issue at its 1-based line and column in that
 * body. caniemail 1.0.5 reports CSS of `<style>` elements relative to the CSS text (and at-rules
 * with no place at all), so each `<style>` is checked on its own and shifted by where its text
 * starts (a stylesheet caniemail cannot parse is skipped and named); the document itself is checked with the `<style>` texts blanked out (same length, same
 * line breaks), so its element and `style=""` issues keep their places. Line breaks are CRLF, CR
 * or LF, as caniemail counts them.
 */
import { caniemail, parseCss } from 'caniemail';
import type { CanIEmailResult } from 'caniemail';
import { parseDocument } from 'htmlparser2';

/** One client's issue with one feature at one place. */
export interface PlacedIssue {
  client: string;
  title: string;
  support: 'none' | 'partial';
  notes: string[];
  line: number;
  column: number;
}

/** Issues of a body, the number of its elements (Mailpit's `Nodes`) and what could not be parsed. */
export interface HtmlIssues {
  issues: PlacedIssue[];
  nodes: number;
  /** One human line per stylesheet or `style=""` caniemail could not parse (those are skipped). */
  errors: string[];
}

interface Place { line: number; column: number }
interface DomNode { type: string; name?: string; startIndex: number | null; data?: string; attribs?: Record<string, string>; children?: DomNode[] }

/** Finds the issues of `html` for every caniemail client. */
export function findHtmlIssues(html: string): HtmlIssues {
  const lines = lineStarts(html);
  // The tree caniemail builds (same parser, same options), without its CSS parse, which throws on bad CSS.
  const elements = walk(parseDocument(html, { withStartIndices: true, withEndIndices: true }) as unknown as DomNode);
  const styles = elements.flatMap((node) => (node.type === 'style' ? styleText(node) : []));
  let blanked = html;
  for (const style of styles) blanked = blanked.slice(0, style.start) + blank(style.text) + blanked.slice(style.start + style.text.length);
  const errors: string[] = [];
  const issues: PlacedIssue[] = [];
  const document = checkDocument(blanked, elements, lines, errors);
  collect(document, issues, (place) => place ?? { line: 1, column: 1 });
  for (const style of styles) {
    const base = locate(lines, style.start);
    let result: CanIEmailResult;
    try {
      result = caniemail({ clients: ['*'], css: style.text });
    } catch (err) {
      errors.push(`<style> at line ${base.line}, column ${base.column} could not be parsed: ${(err as Error).message.replace(/^[^:]*:\d+:\d+:\s*/, '')}`);
      continue;
    }
    collect(result, issues, (place, title) => shift(base, place ?? atRulePlace(style.text, title)));
  }
  const nodes = elements.filter((node) => node.type !== 'text' && !['html', 'head', 'meta'].includes(node.name ?? '')).length;
  return { issues, nodes, errors };
}

/** caniemail over the document; a `style=""` it cannot parse is blanked (and named in `errors`) and the run repeated. */
function checkDocument(html: string, elements: DomNode[], lines: number[], errors: string[]): CanIEmailResult | null {
  try {
    return caniemail({ clients: ['*'], html });
  } catch (err) {
    if (err instanceof RangeError) { // too deeply nested for caniemail's recursion: retrying cannot help
      errors.push(`the HTML could not be checked: ${err.message}`);
      return null;
    }
    let fixed = html;
    for (const node of elements) {
      const style = node.attribs?.['style'];
      if (style === undefined || node.startIndex === null || parsesInline(style)) continue;
      const place = locate(lines, node.startIndex);
      errors.push(`style="" of <${node.name}> at line ${place.line}, column ${place.column} could not be parsed`);
      const tag = fixed.slice(node.startIndex, node.startIndex + 65536).match(/^<[^\s>/]+[^>]*?\sstyle\s*=\s*/i);
      if (!tag) continue;
      const at = node.startIndex + tag[0].length;
      const value = fixed.slice(at, at + 65536).match(/^("[^"]*"|'[^']*'|[^\s>]*)/)?.[0] ?? '';
      fixed = fixed.slice(0, at) + value.replace(/[^"'\r\n]/g, ' ') + fixed.slice(at + value.length);
    }
    try {
      return caniemail({ clients: ['*'], html: fixed });
    } catch (err) {
      errors.push(`the HTML could not be checked: ${(err as Error).message}`);
      return null;
    }
  }
}

function parsesInline(style: string): boolean {
  try {
    caniemail({ clients: ['outlook.windows'], html: `<p style="${style.replace(/"/g, '&quot;')}"></p>` });
    return true;
  } catch {
    return false;
  }
}

function collect(result: CanIEmailResult | null, into: PlacedIssue[], place: (at: Place | undefined, title: string) => Place): void {
  if (!result) return;
  for (const map of [result.issues.errors, result.issues.warnings]) {
    for (const [client, list] of map) {
      for (const issue of list) {
        if (issue.support !== 'none' && issue.support !== 'partial') continue;
        const at = place(issue.position?.start, issue.title);
        into.push({ client, title: issue.title, support: issue.support, notes: issue.notes.filter((n): n is string => typeof n === 'string'), ...at });
      }
    }
  }
}

/** Where the first at-rule of a title (`@media`) starts in a stylesheet (caniemail gives none). */
function atRulePlace(css: string, title: string): Place {
  const rules = parseCss(css).stylesheet.rules as { type: string; position?: { start?: Place } }[];
  return rules.find((rule) => `@${rule.type}` === title)?.position?.start ?? { line: 1, column: 1 };
}

/** A place inside a `<style>` text, moved to the body: its first line starts at `base`. */
function shift(base: Place, at: Place): Place {
  return at.line === 1 ? { line: base.line, column: base.column + at.column - 1 } : { line: base.line + at.line - 1, column: at.column };
}

function styleText(node: DomNode): { start: number; text: string }[] {
  const text = node.children?.[0];
  return text?.type === 'text' && text.startIndex !== null && text.data ? [{ start: text.startIndex, text: text.data }] : [];
}

/** Elements in document order, without recursion (hostile mail nests deeply). */
function walk(root: DomNode): DomNode[] {
  const elements: DomNode[] = [];
  const stack = [...(root.children ?? [])].reverse();
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (node.type === 'tag' || node.type === 'style' || node.type === 'script') elements.push(node);
    for (let i = (node.children?.length ?? 0) - 1; i >= 0; i--) stack.push(node.children![i]!);
  }
  return elements;
}

/** The same text with every character but line breaks turned into a space. */
function blank(text: string): string {
  return text.replace(/[^\r\n]/g, ' ');
}

/** Offsets where each line starts (after CRLF, CR or LF). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (const match of text.matchAll(/\r\n|\r|\n/g)) starts.push(match.index + match[0].length);
  return starts;
}

/** The 1-based line and column of an offset. */
function locate(starts: number[], offset: number): Place {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: offset - starts[low]! + 1 };
}
