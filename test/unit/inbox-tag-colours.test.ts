/** Tag colours and tag searches of the web inbox (ui/src/tags.ts). */
import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../server/core/query-parse.js';
import { colourOfHue, defaultHue, readTagColours, saveTagColour, TAG_COLOURS_KEY, TAG_PALETTE, tagColour, tagQuery } from '../../ui/src/tags.js';

/** `hsl(H S% L%)` → sRGB 0–1 (CSS Color 4 §7.1). */
function hslToRgb(css: string): [number, number, number] {
  const [h, s, l] = /^hsl\((\d+) (\d+)% (\d+)%\)$/.exec(css)!.slice(1).map(Number) as [number, number, number];
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    const a = (s / 100) * Math.min(l / 100, 1 - l / 100);
    return l / 100 - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
  };
  return [f(0), f(8), f(4)];
}

/** WCAG 2.x contrast ratio of two CSS hsl() colours. */
function contrast(a: string, b: string): number {
  const luminance = (css: string) => {
    const [r, g, bl] = hslToRgb(css).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
}

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return { getItem: (key: string) => data.get(key) ?? null, setItem: (key: string, value: string) => void data.set(key, value), data };
}

describe('tag colours', () => {
  it('derives the same hue from a name whatever its case, different hues for different names', () => {
    expect(defaultHue('Invoice')).toBe(defaultHue('invoice'));
    expect(tagColour('Invoice', {})).toEqual(tagColour('INVOICE', {}));
    const hues = new Set(['billing', 'vip', 'refund', 'signup', 'Priority customer', 'newsletter'].map(defaultHue));
    expect(hues.size).toBe(6);
    for (const hue of hues) expect(hue >= 0 && hue < 360 && Number.isInteger(hue)).toBe(true);
  });

  it('is readable (WCAG AA, 4.5:1) for every hue, in either theme since the chip brings both colours', () => {
    let worst = Infinity;
    for (let hue = 0; hue < 360; hue += 1) {
      const { background, color } = colourOfHue(hue);
      worst = Math.min(worst, contrast(background, color));
    }
    expect(worst).toBeGreaterThanOrEqual(4.5);
  });

  it('takes the user\'s choice from localStorage, keyed by the lower-cased name, and forgets it on reset', () => {
    const storage = memoryStorage();
    const green = TAG_PALETTE.find((colour) => colour.name === 'Green')!.hue;
    const overrides = saveTagColour({}, 'VIP', green, storage);
    expect(storage.data.get(TAG_COLOURS_KEY)).toBe(JSON.stringify({ vip: green }));
    expect(readTagColours(storage)).toEqual({ vip: green });
    expect(tagColour('vip', overrides)).toEqual(colourOfHue(green));
    expect(tagColour('Vip', readTagColours(storage))).toEqual(colourOfHue(green));
    expect(tagColour('billing', overrides)).toEqual(colourOfHue(defaultHue('billing')));
    const reset = saveTagColour(overrides, 'vip', null, storage);
    expect(reset).toEqual({});
    expect(storage.data.get(TAG_COLOURS_KEY)).toBe('{}');
  });

  it('ignores unreadable or foreign storage contents', () => {
    for (const value of ['not json', '[1,2]', 'null', '"x"']) expect(readTagColours(memoryStorage({ [TAG_COLOURS_KEY]: value }))).toEqual({});
    expect(readTagColours(memoryStorage({ [TAG_COLOURS_KEY]: '{"a":10,"b":"red","c":null}' }))).toEqual({ a: 10 });
    expect(readTagColours(undefined)).toEqual({});
  });
});

describe('tag searches', () => {
  it('quotes names the query grammar would split, and the server parses them back to the name', () => {
    expect(tagQuery('billing')).toBe('tag:billing');
    expect(tagQuery('Priority customer')).toBe('tag:"Priority customer"');
    for (const name of ['billing', 'Priority customer', 'a.b@c', 'odd "quoted" \\ name']) {
      expect(parseQuery(tagQuery(name)).map(({ key, value, negate }) => ({ key, value, negate }))).toEqual([{ key: 'tag', value: name, negate: false }]);
    }
  });
});
