// Test uploads made on the spot: multipart bodies, photos (sharp), a PDF, a .docx (a stored
// ZIP), Office 97 compound files, and a 50 MB stream that is generated, never kept.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';

export interface Part {
  filename: string;
  contentType?: string;
  data: Buffer;
  field?: string;
}

export function multipart(part: Part): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----nx${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${part.field ?? 'file'}"; filename="${part.filename}"\r\n` +
      `Content-Type: ${part.contentType ?? 'application/octet-stream'}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, part.data, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/**
 * A multipart body whose one file is `size` bytes, produced lazily and a little at a time (as a
 * network would deliver it); `produced()` tells how much has been read so far.
 */
export function hugeMultipart(size: number): { stream: Readable; headers: Record<string, string>; produced: () => number; length: number } {
  const boundary = `----nx${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  let produced = 0;
  async function* body(): AsyncGenerator<Buffer> {
    yield head;
    produced += head.length;
    for (let sent = 0; sent < size; sent += chunk.length) {
      const piece = chunk.subarray(0, Math.min(chunk.length, size - sent));
      produced += piece.length;
      yield piece;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    produced += tail.length;
    yield tail;
  }
  return {
    stream: Readable.from(body(), { objectMode: false }),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    produced: () => produced,
    length: head.length + size + tail.length,
  };
}

/** A photo as a phone takes it: landscape pixels, EXIF saying "turn 90°", camera and GPS tags. */
export function phonePhoto(width = 4000, height = 3000): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#3a7d44' } })
    .withMetadata({ orientation: 6 })
    .withExif({
      IFD0: { Make: 'NuanxinTestCam', Model: 'X1' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '24/1 54/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '118/1 35/1 0/1' },
    })
    .jpeg({ quality: 80 })
    .toBuffer();
}

export function pngWithAlpha(width = 600, height = 400): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 200, g: 30, b: 30, alpha: 0.5 } } })
    .png()
    .toBuffer();
}

export function gif(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: '#123456' } })
    .gif()
    .toBuffer();
}

export function webp(): Promise<Buffer> {
  return sharp({ create: { width: 800, height: 800, channels: 3, background: '#abcdef' } })
    .webp()
    .toBuffer();
}

export function pdf(): Buffer {
  const objects = [
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (const o of objects) {
    offsets.push(body.length);
    body += `${o}\n`;
  }
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) body += `${String(off).padStart(10, '0')} 00000 n \n`;
  body += `trailer << /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** A ZIP with stored (uncompressed) entries. */
export function zip(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const data = Buffer.from(text);
    const nameBytes = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    locals.push(local, nameBytes, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

export function docx(): Buffer {
  return zip({
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    'word/document.xml':
      '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>',
  });
}

/** A Word 97 document skeleton: a compound file whose root storage carries Word's class id. */
export function compoundFile(classId: string | null): Buffer {
  const file = Buffer.alloc(512 * 3, 0);
  Buffer.from('d0cf11e0a1b11ae1', 'hex').copy(file, 0);
  file.writeUInt16LE(0x3e, 0x18);
  file.writeUInt16LE(3, 0x1a);
  file.writeUInt16LE(0xfffe, 0x1c);
  file.writeUInt16LE(9, 0x1e);
  file.writeUInt16LE(6, 0x20);
  file.writeUInt32LE(1, 0x2c);
  file.writeUInt32LE(1, 0x30);
  file.writeUInt32LE(0x1000, 0x38);
  file.writeUInt32LE(0xfffffffe, 0x3c);
  file.writeUInt32LE(0xfffffffe, 0x44);
  file.writeUInt32LE(0, 0x4c);
  for (let i = 1; i < 109; i += 1) file.writeUInt32LE(0xffffffff, 0x4c + i * 4);
  // Sector 0: the FAT (itself, then the one directory sector).
  const fat = 512;
  file.writeUInt32LE(0xfffffffd, fat);
  file.writeUInt32LE(0xfffffffe, fat + 4);
  for (let i = 2; i < 128; i += 1) file.writeUInt32LE(0xffffffff, fat + i * 4);
  // Sector 1: the directory, its first entry the root storage.
  const dir = 1024;
  const name = Buffer.from('Root Entry\0', 'utf16le');
  name.copy(file, dir);
  file.writeUInt16LE(name.length, dir + 0x40);
  file[dir + 0x42] = 5;
  file[dir + 0x43] = 1;
  file.writeUInt32LE(0xffffffff, dir + 0x44);
  file.writeUInt32LE(0xffffffff, dir + 0x48);
  file.writeUInt32LE(0xffffffff, dir + 0x4c);
  if (classId) {
    const [d1, d2, d3, d4, d5] = classId.split('-') as [string, string, string, string, string];
    file.writeUInt32LE(parseInt(d1, 16), dir + 0x50);
    file.writeUInt16LE(parseInt(d2, 16), dir + 0x54);
    file.writeUInt16LE(parseInt(d3, 16), dir + 0x56);
    Buffer.from(d4 + d5, 'hex').copy(file, dir + 0x58);
  }
  file.writeUInt32LE(0xfffffffe, dir + 0x74);
  return file;
}

export const WORD_97_CLASS = '00020906-0000-0000-c000-000000000046';
export const EXCEL_97_CLASS = '00020820-0000-0000-c000-000000000046';
