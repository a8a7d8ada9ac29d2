/**
 * Mailpit API v1 `GET /api/v1/message/{ID}/html-check` (server/apiv1/other.go, internal/htmlcheck):
 * Mailpit's `HTMLCheckResponse` built from the sink's HTML check (`CheckService.html`, caniemail's
 * data). One `Warnings` entry per caniemail feature found that some client does not fully support
 * (features every client supports are not listed), with every family/platform/version result of
 * the data and its percentages; `Total` is Mailpit's: 100 minus the largest partial and unsupported
 * percentages weighted by `Found / Nodes`. `{ID}` may be `latest`, with `?query=`. No HTML body:
 * 400 `message does not contain HTML`, as Mailpit answers; an HTML body over the check's limit: 400
 * with that reason; unknown ID: 404 `404 page not found`.
 */
import { Router } from 'express';
import { CheckUnavailableError } from '../../checks/errors.js';
import { caniemailData, featureBySlug } from '../../checks/html-data.js';
import type { CaniemailFeature } from '../../checks/html-data.js';
import type { HtmlCheck } from '../../checks/types.js';
import { ApiError } from '../errors.js';
import type { CompatDeps } from './deps.js';
import { mailpitMatches, queryText } from './mailpit-messages.js';

/** Mailpit's `HTMLCheckResult`. */
export interface MailpitHtmlResult { Name: string; Platform: string; Family: string; Version: string; Support: 'yes' | 'no' | 'partial'; NoteNumber: string }
/** Mailpit's `HTMLCheckScore`: `Found` places, the rest percentages of the results. */
export interface MailpitHtmlScore { Found: number; Supported: number; Partial: number; Unsupported: number }
/** Mailpit's `HTMLCheckWarning`; `Description` and notes are HTML, as Mailpit renders them. */
export interface MailpitHtmlWarning {
  Slug: string; Title: string; Description: string; URL: string; Category: string; Tags: string[]; Keywords: string;
  Results: MailpitHtmlResult[]; NotesByNumber: Record<string, string>; Score: MailpitHtmlScore;
}
/** Mailpit's `HTMLCheckResponse`. */
export interface MailpitHtmlCheck {
  Warnings: MailpitHtmlWarning[];
  Platforms: Record<string, string[]>;
  Total: { Tests: number; Nodes: number; Supported: number; Partial: number; Unsupported: number };
}

/** The route, under `/api/v1/message/`. */
export function mailpitHtmlCheckRouter(deps: CompatDeps): Router {
  const router = Router();
  router.get('/api/v1/message/:id/html-check', async (req, res) => {
    const id = String(req.params['id']);
    const message = id === 'latest' ? (await mailpitMatches(deps, queryText(req, 'query'), queryText(req, 'tz')))[0] : deps.store.get(id);
    if (!message) throw new ApiError(404, 'not_found', '404 page not found', 'id');
    const check = await deps.checks.html(message).catch((err: unknown) => {
      throw err instanceof CheckUnavailableError ? new ApiError(400, 'check_unavailable', err.message, 'id') : err;
    });
    if (!check.hasHtml) throw new ApiError(400, 'no_html', 'message does not contain HTML', 'id');
    res.json(toMailpitHtmlCheck(check));
  });
  return router;
}

/** Mailpit's answer from the sink's HTML check. */
export function toMailpitHtmlCheck(check: HtmlCheck): MailpitHtmlCheck {
  const places = new Map<string, Set<string>>();
  for (const finding of check.findings) {
    const set = places.get(finding.feature) ?? new Set<string>();
    places.set(finding.feature, set.add(`${finding.line}:${finding.column}`));
  }
  const nodes = Math.max(1, check.nodes);
  const warnings = [...places].flatMap(([slug, found]) => {
    const feature = featureBySlug(slug);
    return feature ? [warning(feature, found.size)] : [];
  });
  const weight = (w: MailpitHtmlWarning, value: number) => (value * w.Score.Found) / nodes;
  const partial = Math.max(0, ...warnings.map((w) => weight(w, w.Score.Partial)));
  const unsupported = Math.max(0, ...warnings.map((w) => weight(w, w.Score.Unsupported)));
  const badness = (w: MailpitHtmlWarning) => weight(w, w.Score.Unsupported + w.Score.Partial);
  warnings.sort((a, b) => badness(b) - badness(a) || a.Slug.localeCompare(b.Slug));
  return {
    Warnings: warnings,
    Platforms: platforms(),
    Total: { Tests: caniemailData.data.length, Nodes: check.nodes, Supported: 100 - partial - unsupported, Partial: partial, Unsupported: unsupported },
  };
}

/** One feature with every result of the data (`a` and `u` count as partial, as in Mailpit). */
function warning(feature: CaniemailFeature, found: number): MailpitHtmlWarning {
  const results: MailpitHtmlResult[] = [];
  const { family: families, platform: platformNames } = caniemailData.nicenames;
  for (const [family, platforms] of Object.entries(feature.stats)) {
    for (const [platform, versions] of Object.entries(platforms)) {
      for (const [version, value] of Object.entries(versions)) {
        const support = value.startsWith('y') ? 'yes' : value.startsWith('n') ? 'no' : 'partial';
        const note = support === 'partial' ? (/#(\d+)\s*$/.exec(value)?.[1] ?? '') : '';
        results.push({ Name: `${families[family] ?? family} ${platformNames[platform] ?? platform} (${version})`, Platform: platform, Family: family, Version: version, Support: support, NoteNumber: note });
      }
    }
  }
  const share = (support: MailpitHtmlResult['Support']) => (results.length === 0 ? 0 : (100 * results.filter((r) => r.Support === support).length) / results.length);
  const notes = Object.entries(feature.notes_by_num ?? {}).map(([number, note]) => [number, markdownToHtml(note)] as const);
  return {
    Slug: feature.slug, Title: feature.title, Description: markdownToHtml(feature.description ?? ''), URL: feature.url, Category: feature.category,
    Tags: feature.tags, Keywords: '', Results: results, NotesByNumber: Object.fromEntries(notes),
    Score: { Found: found, Supported: share('yes'), Partial: share('partial'), Unsupported: share('no') },
  };
}

/** Every platform with the display names of the families that have it, sorted (Mailpit's `Platforms`). */
function platforms(): Record<string, string[]> {
  const byPlatform = new Map<string, Set<string>>();
  for (const feature of caniemailData.data) {
    for (const [family, stats] of Object.entries(feature.stats)) {
      for (const platform of Object.keys(stats)) {
        byPlatform.set(platform, (byPlatform.get(platform) ?? new Set()).add(caniemailData.nicenames.family[family] ?? family));
      }
    }
  }
  return Object.fromEntries([...byPlatform].sort(([a], [b]) => a.localeCompare(b)).map(([platform, names]) => [platform, [...names].sort()]));
}

/** The little Markdown caniemail uses, as HTML: text escaped, `code` and [links](url). */
function markdownToHtml(markdown: string): string {
  const escaped = markdown.trim().replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return escaped
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g, '<a href="$2" target="_blank">$1</a>');
}
