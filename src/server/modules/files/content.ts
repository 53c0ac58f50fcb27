// What an upload really is, judged by its bytes (never its name or declared type), and the
// re-encoding of photos: auto-rotated, at most 2560 px on the long side, JPEG, with every bit of
// metadata (EXIF, GPS, camera serials) dropped, plus a small thumbnail.
import { open } from 'node:fs/promises';
import { fileTypeFromFile } from 'file-type';
import type { FileKind } from './tables.js';

type Sharp = (typeof import('sharp'))['default'];
let loaded: Promise<Sharp> | null = null;

/** sharp (libvips) is loaded with the first photo: a process that serves none does not carry it. */
function loadSharp(): Promise<Sharp> {
  loaded ??= import('sharp').then(({ default: sharp }) => {
    // libvips would keep recently read files open; ours are temporary files deleted right after.
    sharp.cache({ files: 0 });
    return sharp;
  });
  return loaded;
}

export interface Detected {
  kind: FileKind;
  ext: string;
  mime: string;
}

/** Photos sharp decodes; each is re-encoded, so none of these is ever served as uploaded. */
const IMAGE_MIMES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/heic', 'image/heif', 'image/avif']);

/** Documents kept as they are (served as downloads only). */
const DOCUMENT_MIMES = new Set([
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
]);

// Office 97–2003 files are all "compound files"; the class id of the root storage says which
// program wrote one (an .msi installer is a compound file too, and is refused).
const COMPOUND_FILE_CLASSES: Record<string, Omit<Detected, 'kind'>> = {
  '00020906-0000-0000-c000-000000000046': { ext: 'doc', mime: 'application/msword' },
  '00020900-0000-0000-c000-000000000046': { ext: 'doc', mime: 'application/msword' },
  '00020820-0000-0000-c000-000000000046': { ext: 'xls', mime: 'application/vnd.ms-excel' },
  '00020810-0000-0000-c000-000000000046': { ext: 'xls', mime: 'application/vnd.ms-excel' },
};

function guidAt(buf: Buffer, at: number): string {
  const hex = (b: Buffer) => b.toString('hex');
  const d1 = buf.readUInt32LE(at).toString(16).padStart(8, '0');
  const d2 = buf
    .readUInt16LE(at + 4)
    .toString(16)
    .padStart(4, '0');
  const d3 = buf
    .readUInt16LE(at + 6)
    .toString(16)
    .padStart(4, '0');
  return `${d1}-${d2}-${d3}-${hex(buf.subarray(at + 8, at + 10))}-${hex(buf.subarray(at + 10, at + 16))}`;
}

/** Reads the root directory entry of a compound file (MS-CFB §2.2, §2.6). */
async function compoundFileClass(file: string): Promise<string | null> {
  const handle = await open(file, 'r');
  try {
    const header = Buffer.alloc(512);
    const { bytesRead } = await handle.read(header, 0, 512, 0);
    if (bytesRead < 512) return null;
    const sectorShift = header.readUInt16LE(0x1e);
    if (sectorShift !== 9 && sectorShift !== 12) return null;
    const firstDirectorySector = header.readUInt32LE(0x30);
    if (firstDirectorySector >= 0xfffffffa) return null;
    const entry = Buffer.alloc(128);
    const at = (firstDirectorySector + 1) * 2 ** sectorShift;
    const read = await handle.read(entry, 0, 128, at);
    if (read.bytesRead < 128) return null;
    const nameLength = entry.readUInt16LE(0x40);
    const name = entry.subarray(0, Math.max(0, Math.min(64, nameLength) - 2)).toString('utf16le');
    if (name !== 'Root Entry' || entry[0x42] !== 5) return null;
    return guidAt(entry, 0x50);
  } finally {
    await handle.close();
  }
}

/** The accepted type of the file's content, or null when it is not one we take. */
export async function detectContent(file: string): Promise<Detected | null> {
  const found = await fileTypeFromFile(file);
  if (!found) return null;
  if (IMAGE_MIMES.has(found.mime)) return { kind: 'image', ext: found.ext, mime: found.mime };
  if (DOCUMENT_MIMES.has(found.mime)) return { kind: 'document', ext: found.ext, mime: found.mime };
  if (found.ext === 'cfb') {
    const known = COMPOUND_FILE_CLASSES[(await compoundFileClass(file)) ?? ''];
    if (known) return { kind: 'document', ...known };
  }
  return null;
}

export const IMAGE_MAX_SIDE = 2560;
export const THUMBNAIL_MAX_SIDE = 320;
/** Larger pictures are refused before decoding (a small file can unpack to gigabytes). */
const MAX_INPUT_PIXELS = 120_000_000;

export interface ProcessedImage {
  data: Buffer;
  width: number;
  height: number;
  thumbnail: Buffer;
}

/**
 * Decodes the first frame, turns it upright by its EXIF orientation, shrinks it to fit and
 * writes a JPEG. sharp keeps no metadata unless asked to, so EXIF, GPS, XMP and ICC are gone.
 * Throws when the bytes cannot be decoded (e.g. a HEIC photo: the prebuilt sharp reads AVIF but
 * not HEVC-coded HEIC).
 */
export async function processImage(file: string): Promise<ProcessedImage> {
  const sharp = await loadSharp();
  const { data, info } = await sharp(file, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
    .autoOrient()
    .resize(IMAGE_MAX_SIDE, IMAGE_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 85, mozjpeg: true })
    .toBuffer({ resolveWithObject: true });
  const thumbnail = await sharp(data)
    .resize(THUMBNAIL_MAX_SIDE, THUMBNAIL_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 75, mozjpeg: true })
    .toBuffer();
  return { data, width: info.width, height: info.height, thumbnail };
}
