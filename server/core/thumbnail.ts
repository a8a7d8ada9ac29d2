/**
 * Thumbnails of image parts, as Mailpit makes them (server/apiv1/thumbnails.go): a 180×120 JPEG
 * (quality 70). An image at least that large in both directions is scaled to cover the box and
 * cropped around its centre; a smaller one is scaled down to fit (never up) and centred on white.
 * A part that is not a decodable PNG or JPEG, or larger than {@link MAX_PIXELS}, gives a blank
 * white thumbnail. Pure JavaScript (jpeg-js, pngjs): nothing to download at install.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

export const THUMB_WIDTH = 180;
export const THUMB_HEIGHT = 120;
/** Largest image decoded, in pixels (Mailpit's limit); larger ones get the blank thumbnail. */
export const MAX_PIXELS = 20_000_000;
const QUALITY = 70;

/** RGBA pixels, 4 bytes each, row by row. */
interface Rgba {
  width: number;
  height: number;
  data: Uint8Array;
}

/**
 * The JPEG thumbnail of a part.
 * @param content - The part's decoded bytes.
 * @param contentType - Its declared media type (`image/png`, `image/jpeg` …); anything not `image/*` gets the blank thumbnail.
 */
export function thumbnailJpeg(content: Buffer, contentType: string): Buffer {
  const canvas = blank();
  const image = contentType.startsWith('image/') ? decode(content) : null;
  if (image) draw(canvas, image);
  return jpeg.encode({ width: canvas.width, height: canvas.height, data: canvas.data }, QUALITY).data;
}

function blank(): Rgba {
  return { width: THUMB_WIDTH, height: THUMB_HEIGHT, data: new Uint8Array(THUMB_WIDTH * THUMB_HEIGHT * 4).fill(255) };
}

/** Decodes PNG or JPEG by signature; `null` when neither, malformed, or too large. */
function decode(content: Buffer): Rgba | null {
  try {
    if (content.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
      const width = content.readUInt32BE(16);
      const height = content.readUInt32BE(20);
      if (width * height > MAX_PIXELS) return null;
      const png = PNG.sync.read(content);
      return { width: png.width, height: png.height, data: flattenAlpha(png.data) };
    }
    if (content[0] === 0xff && content[1] === 0xd8) {
      const image = jpeg.decode(content, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_PIXELS / 1e6, maxMemoryUsageInMB: 256 });
      return { width: image.width, height: image.height, data: image.data };
    }
  } catch {
    return null;
  }
  return null;
}

/** Composites transparent pixels over white (JPEG has no alpha). */
function flattenAlpha(data: Uint8Array): Uint8Array {
  for (let i = 0; i < data.length; i += 4) {
    const alpha = data[i + 3]! / 255;
    for (let c = 0; c < 3; c++) data[i + c] = Math.round(data[i + c]! * alpha + 255 * (1 - alpha));
    data[i + 3] = 255;
  }
  return data;
}

/** Scales `image` into `canvas`: cover-and-crop when it is at least the box size, else fit without upscaling, centred. */
function draw(canvas: Rgba, image: Rgba): void {
  const cover = image.width >= canvas.width && image.height >= canvas.height;
  const scale = cover
    ? Math.max(canvas.width / image.width, canvas.height / image.height)
    : Math.min(1, canvas.width / image.width, canvas.height / image.height);
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const left = Math.floor((canvas.width - width) / 2);
  const top = Math.floor((canvas.height - height) / 2);
  for (let y = Math.max(0, top); y < Math.min(canvas.height, top + height); y++) {
    for (let x = Math.max(0, left); x < Math.min(canvas.width, left + width); x++) {
      boxSample(image, (x - left) / scale, (y - top) / scale, 1 / scale, canvas.data, (y * canvas.width + x) * 4);
    }
  }
}

/** Averages the source pixels under one destination pixel (a box filter; nearest pixel when enlarging). */
function boxSample(image: Rgba, sx: number, sy: number, size: number, out: Uint8Array, at: number): void {
  const x0 = Math.min(image.width - 1, Math.floor(sx));
  const y0 = Math.min(image.height - 1, Math.floor(sy));
  const x1 = Math.min(image.width, Math.max(x0 + 1, Math.floor(sx + size)));
  const y1 = Math.min(image.height, Math.max(y0 + 1, Math.floor(sy + size)));
  const sum = [0, 0, 0];
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * image.width + x) * 4;
      sum[0]! += image.data[i]!;
      sum[1]! += image.data[i + 1]!;
      sum[2]! += image.data[i + 2]!;
    }
  }
  const n = (x1 - x0) * (y1 - y0);
  out[at] = Math.round(sum[0]! / n);
  out[at + 1] = Math.round(sum[1]! / n);
  out[at + 2] = Math.round(sum[2]! / n);
  out[at + 3] = 255;
}
