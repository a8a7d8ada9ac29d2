/**
 * Link check of a stored message: every link (`<a href>`, `<area href>`) and image URL (`<img src>`,
 * `background=`) of the HTML body and every URL of the text body, fetched now (see `link-probe.ts`).
 * Only `http:` and `https:` URLs are fetched (`mailto:`, `cid:`, `data:` … are not listed), each
 * distinct URL once, at most {@link LINK_CONCURRENCY} at a time. Off unless the operator started the
 * sink with `--enable-link-check`: it makes the sink connect where a message (hostile content) says.
 */
import { extractImages, extractLinks } from '../core/links.js';
import { CheckUnavailableError } from './errors.js';
import { probeUrl } from './link-probe.js';
import type { CheckInput } from './service.js';
import type { CheckSettings } from './settings.js';
import type { LinkCheck, LinkStatus } from './types.js';

/** Per-request options of the link check. */
export interface LinkOptions {
  /** Follow redirects (default true), recording each hop. */
  follow?: boolean;
  /** Timeout of each request in milliseconds (default {@link LINK_TIMEOUT_MS}). */
  timeoutMs?: number;
  /** `User-Agent` sent (default `mailsink-link-check`; the routes use {@link linkCheckUserAgent}). */
  userAgent?: string;
}

/** Default timeout of one request, in milliseconds. */
export const LINK_TIMEOUT_MS = 10_000;
/** URLs fetched at the same time. */
export const LINK_CONCURRENCY = 5;
/** Most distinct URLs checked per message; the rest are counted in `skipped`. */
export const MAX_LINKS = 100;

/** The `User-Agent` of the link check: `mailsink-link-check/<version>`. */
export function linkCheckUserAgent(version: string): string {
  return `mailsink-link-check/${version}`;
}

/**
 * Checks the links and images of a message.
 * @throws CheckUnavailableError when the link check is off (`--enable-link-check` not given).
 */
export async function checkLinks(input: CheckInput, settings: CheckSettings, options: LinkOptions): Promise<LinkCheck> {
  if (!settings.linkCheck) throw new CheckUnavailableError('links', 'the link check is off: start mailsink with --enable-link-check (MAILSINK_ENABLE_LINK_CHECK=true) to let it fetch the URLs a message names');
  const parsed = input.parse.parsed;
  const targets = linkTargets(parsed?.html ?? null, parsed?.text ?? null);
  const chosen = targets.slice(0, MAX_LINKS);
  const probe = { follow: options.follow ?? true, timeoutMs: options.timeoutMs ?? LINK_TIMEOUT_MS, userAgent: options.userAgent ?? 'mailsink-link-check' };
  const links = await mapLimit(chosen, LINK_CONCURRENCY, (target) => probeUrl(target.url, target.kind, probe));
  return { checked: links.length, errors: links.filter((link) => !link.ok).length, skipped: targets.length - chosen.length, links };
}

/** The distinct absolute http(s) URLs of the bodies: HTML links, then images, then URLs only in the text body. */
export function linkTargets(html: string | null, text: string | null): { url: string; kind: LinkStatus['kind'] }[] {
  const links = extractLinks(html, text);
  const ordered = [
    ...links.filter((link) => link.sources.includes('html')).map((link) => ({ url: link.url, kind: 'link' as const })),
    ...extractImages(html).map((url) => ({ url, kind: 'image' as const })),
    ...links.filter((link) => !link.sources.includes('html')).map((link) => ({ url: link.url, kind: 'link' as const })),
  ];
  const seen = new Set<string>();
  return ordered.filter(({ url }) => {
    const href = httpHref(url);
    if (href === null || seen.has(href)) return false;
    seen.add(href);
    return true;
  });
}

function httpHref(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null; // relative or malformed: nothing to fetch
  }
}

/** `fn` over `items`, at most `limit` running at a time (the next starts when one ends), results in the order of `items`. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
