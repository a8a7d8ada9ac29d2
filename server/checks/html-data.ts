/**
 * caniemail.com's data as the `caniemail` package (1.0.5) ships it: features by title and slug,
 * family and platform display names, and the data's version. Read-only; shared by the HTML check
 * and Mailpit's `html-check` answer.
 */
import { createRequire } from 'node:module';
import { rawData } from 'caniemail';

/** One caniemail feature: `stats[family][platform][version]` is `y`, `n`, `a` or `u`, with ` #N` note references. */
export interface CaniemailFeature {
  slug: string;
  title: string;
  /** Markdown; `null` for some features. */
  description: string | null;
  url: string;
  /** `html`, `css`, `image` or `others` (caniemail's checks only produce html and css ones). */
  category: string;
  tags: string[];
  keywords: string | null;
  stats: Record<string, Record<string, Record<string, string>>>;
  notes_by_num: Record<string, string> | null;
}

/** The whole data file. */
export interface CaniemailData {
  api_version: string;
  last_update_date: string;
  nicenames: { family: Record<string, string>; platform: Record<string, string> };
  data: CaniemailFeature[];
}

/** The data, typed. */
export const caniemailData = rawData as unknown as CaniemailData;

// Indexes of constant data, built once and never changed.
const BY_TITLE: ReadonlyMap<string, CaniemailFeature> = new Map(caniemailData.data.map((feature) => [feature.title, feature]));
const BY_SLUG: ReadonlyMap<string, CaniemailFeature> = new Map(caniemailData.data.map((feature) => [feature.slug, feature]));

/** The feature of a caniemail title (`display:flex`), or `undefined`. */
export function featureByTitle(title: string): CaniemailFeature | undefined {
  return BY_TITLE.get(title);
}

/** The feature of a caniemail slug (`css-display-flex`), or `undefined`. */
export function featureBySlug(slug: string): CaniemailFeature | undefined {
  return BY_SLUG.get(slug);
}

/** `caniemail@1.0.5 (data 2025-09-09)`: the package version and the date of its data. */
export function caniemailVersion(): string {
  const pkg = createRequire(import.meta.url)('caniemail/package.json') as { version: string };
  return `caniemail@${pkg.version} (data ${caniemailData.last_update_date.slice(0, 10)})`;
}

/**
 * The client ids caniemail checks (`family.platform`, 32 in 1.0.5), in its order. The package
 * does not export its list; it accepts globs, and these are the ones its data names.
 */
export const CANIEMAIL_CLIENTS: readonly string[] = [
  'apple-mail.macos', 'apple-mail.ios', 'gmail.desktop-webmail', 'gmail.ios', 'gmail.android', 'gmail.mobile-webmail',
  'orange.desktop-webmail', 'orange.ios', 'orange.android', 'outlook.windows', 'outlook.windows-mail', 'outlook.macos',
  'outlook.ios', 'outlook.android', 'yahoo.desktop-webmail', 'yahoo.ios', 'yahoo.android', 'aol.desktop-webmail', 'aol.ios',
  'aol.android', 'samsung-email.android', 'sfr.desktop-webmail', 'sfr.ios', 'sfr.android', 'thunderbird.macos',
  'protonmail.desktop-webmail', 'protonmail.ios', 'protonmail.android', 'hey.desktop-webmail', 'mail-ru.desktop-webmail',
  'fastmail.desktop-webmail', 'laposte.desktop-webmail',
];
