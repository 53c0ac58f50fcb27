import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachFiles, deleteAbandonedUploads, loadFiles } from '../../src/server/modules/files/service.js';
import { originalPath, thumbnailPath } from '../../src/server/modules/files/storage.js';
import { createTestApp, signInAs, type SessionHeaders, type TestApp } from '../helpers/app.js';
import {
  compoundFile,
  docx,
  EXCEL_97_CLASS,
  gif,
  hugeMultipart,
  multipart,
  pdf,
  phonePhoto,
  pngWithAlpha,
  webp,
  WORD_97_CLASS,
  zip,
  type Part,
} from './fixtures.js';

let t: TestApp;
let filesDir: string;
let worker: SessionHeaders;
let resident: SessionHeaders;
let workerId: string;
let residentId: string;

interface FileJson {
  id: string;
  kind: 'image' | 'document';
  mime: string;
  size: number;
  name: string;
  width: number | null;
  height: number | null;
  url: string;
  thumbnailUrl: string | null;
  attached: boolean;
}

beforeAll(async () => {
  filesDir = mkdtempSync(path.join(tmpdir(), 'nx-files-'));
  t = await createTestApp({ demo: true, config: { filesDir } });
  worker = await signInAs(t.app, '13800000001');
  resident = await signInAs(t.app, '13800000003');
  workerId = ((await t.app.inject({ method: 'GET', url: '/api/me', headers: worker })).json() as { id: string }).id;
  residentId = ((await t.app.inject({ method: 'GET', url: '/api/me', headers: resident })).json() as { id: string }).id;
});
afterAll(async () => {
  await t.close();
  rmSync(filesDir, { recursive: true, force: true });
});

const upload = (part: Part, session: Record<string, string> = worker) => {
  const body = multipart(part);
  return t.app.inject({ method: 'POST', url: '/api/files', headers: { ...session, ...body.headers }, payload: body.payload });
};

async function uploaded(part: Part, session: Record<string, string> = worker): Promise<FileJson> {
  const res = await upload(part, session);
  if (res.statusCode !== 201) throw new Error(`upload failed: ${res.statusCode} ${res.body}`);
  return res.json() as FileJson;
}

const download = (url: string, session?: Record<string, string>) => t.app.inject({ method: 'GET', url, headers: session ?? {} });

const fileCount = async () =>
  (
    await t.ctx.db
      .selectFrom('files')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
  ).n;

/** Everything under FILES_DIR except the (empty) temporary folder. */
function storedOnDisk(): string[] {
  const all = readdirSync(filesDir, { recursive: true, withFileTypes: true });
  return all.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

function expectError(res: { statusCode: number; json(): unknown }, status: number, code: string) {
  expect(res.statusCode).toBe(status);
  expect(res.json()).toMatchObject({ error: { code, message: { zh: expect.any(String), en: expect.any(String) } } });
}

describe('photos are re-encoded: upright, at most 2560 px, no EXIF or GPS', () => {
  let photo: FileJson;

  it('a phone photo with GPS tags and a "rotate 90°" flag is stored upright as a JPEG without metadata', async () => {
    const original = await phonePhoto(4000, 3000);
    const before = await sharp(original).metadata();
    expect(before.exif?.includes(Buffer.from('NuanxinTestCam'))).toBe(true);
    expect(before.exif?.includes(Buffer.from([0x25, 0x88])) || before.exif?.includes(Buffer.from([0x88, 0x25]))).toBe(true); // GPS IFD

    photo = await uploaded({ filename: '../../etc/现场照片.JPG', contentType: 'image/jpeg', data: original });
    expect(photo).toMatchObject({ kind: 'image', mime: 'image/jpeg', width: 1920, height: 2560, name: '现场照片.jpg', attached: false });
    expect(photo.thumbnailUrl).toBe(`/api/files/${photo.id}/thumbnail`);

    const res = await download(photo.url, worker);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    const stored = await sharp(res.rawPayload).metadata();
    expect(stored).toMatchObject({ format: 'jpeg', width: 1920, height: 2560 });
    expect(stored.exif).toBeUndefined();
    expect(stored.xmp).toBeUndefined();
    expect(stored.orientation).toBeUndefined();
    expect(res.rawPayload.includes(Buffer.from('NuanxinTestCam'))).toBe(false);
    expect(Number(res.headers['content-length'])).toBe(res.rawPayload.length);
  });

  it('is served inline with nosniff and private caching, and a ~320 px thumbnail', async () => {
    const res = await download(photo.url, worker);
    expect(res.headers['content-disposition']).toBe(`inline; filename="____.jpg"; filename*=UTF-8''${encodeURIComponent('现场照片.jpg')}`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toMatch(/^private/);

    const thumb = await download(`${photo.url}/thumbnail`, worker);
    expect(thumb.statusCode).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/jpeg');
    expect(await sharp(thumb.rawPayload).metadata()).toMatchObject({ width: 240, height: 320 });

    const again = await download(photo.url, { ...worker, 'if-none-match': String(res.headers.etag) });
    expect(again.statusCode).toBe(304);
  });

  it('the bytes are kept under FILES_DIR by id, never by the name sent', async () => {
    expect(existsSync(originalPath(filesDir, photo.id))).toBe(true);
    expect(existsSync(thumbnailPath(filesDir, photo.id))).toBe(true);
    expect(storedOnDisk().some((f) => f.includes('现场照片') || f.includes('etc'))).toBe(false);
    const row = await t.ctx.db.selectFrom('files').selectAll().where('id', '=', photo.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      uploaded_by: workerId,
      kind: 'image',
      has_thumbnail: true,
      subject_type: null,
      original_name: '现场照片.jpg',
    });
    expect(row.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('PNG (with transparency), WebP and GIF become JPEG too; small pictures are not enlarged', async () => {
    for (const [data, name] of [
      [await pngWithAlpha(600, 400), 'a.png'],
      [await webp(), 'b.webp'],
      [await gif(), 'c.gif'],
    ] as const) {
      const f = await uploaded({ filename: name, data });
      expect(f.mime).toBe('image/jpeg');
      expect(f.name).toMatch(/\.jpg$/);
      expect(Math.max(f.width ?? 0, f.height ?? 0)).toBeLessThanOrEqual(800);
    }
  });
});

describe('types are judged by content, not by name or declared type', () => {
  it('text named .jpg and declared image/jpeg is refused and nothing is kept', async () => {
    const rows = await fileCount();
    const disk = storedOnDisk().length;
    const res = await upload({
      filename: 'photo.jpg',
      contentType: 'image/jpeg',
      data: Buffer.from('this is not a picture at all, just text'),
    });
    expectError(res, 415, 'file_type_not_allowed');
    expect(await fileCount()).toBe(rows);
    expect(storedOnDisk().length).toBe(disk);
  });

  it('HTML dressed as a PNG, a ZIP that is no Office file, an .msi-like compound file and an empty file are refused', async () => {
    for (const data of [
      Buffer.from('<html><script>alert(1)</script></html>'),
      zip({ 'readme.txt': 'hello' }),
      compoundFile(null),
      Buffer.alloc(0),
    ]) {
      expectError(await upload({ filename: 'x.png', contentType: 'image/png', data }), 415, 'file_type_not_allowed');
    }
  });

  it('a JPEG header followed by garbage is refused as unreadable', async () => {
    const data = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 7)]);
    expectError(await upload({ filename: 'broken.jpg', data }), 415, 'file_type_not_allowed');
  });

  it('a PDF is kept byte for byte and downloaded as an attachment with an RFC 5987 name', async () => {
    const data = pdf();
    const f = await uploaded({ filename: '调解协议 (final).exe.pdf', contentType: 'application/octet-stream', data });
    expect(f).toMatchObject({
      kind: 'document',
      mime: 'application/pdf',
      size: data.length,
      thumbnailUrl: null,
      name: '调解协议 (final).exe.pdf',
    });
    const res = await download(f.url, worker);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(data)).toBe(true);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="____ (final).exe.pdf"; filename*=UTF-8''%E8%B0%83%E8%A7%A3%E5%8D%8F%E8%AE%AE%20%28final%29.exe.pdf`,
    );
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expectError(await download(`${f.url}/thumbnail`, worker), 404, 'file_not_found');
  });

  it('the name gets the extension of what the content is', async () => {
    const f = await uploaded({ filename: 'report.jpg', data: pdf() });
    expect(f.name).toBe('report.pdf');
  });

  it('Word and Excel documents are accepted, old (97–2003) and new', async () => {
    expect(await uploaded({ filename: '台账.docx', data: docx() })).toMatchObject({
      mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      name: '台账.docx',
    });
    expect(await uploaded({ filename: 'old.doc', data: compoundFile(WORD_97_CLASS) })).toMatchObject({
      mime: 'application/msword',
      name: 'old.doc',
    });
    expect(await uploaded({ filename: 'old.xls', data: compoundFile(EXCEL_97_CLASS) })).toMatchObject({ mime: 'application/vnd.ms-excel' });
  });
});

describe('size limit', () => {
  it('a 50 MB upload that declares its length is refused with 413 before it is read', async () => {
    const huge = hugeMultipart(50 * 1024 * 1024);
    const rows = await fileCount();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/files',
      headers: { ...worker, ...huge.headers, 'content-length': String(huge.length) },
      payload: huge.stream,
    });
    expectError(res, 413, 'file_too_large');
    expect(huge.produced()).toBeLessThan(5 * 1024 * 1024);
    expect(await fileCount()).toBe(rows);
  });

  it('a 50 MB upload sent without a length is cut off at the limit, with 413 and nothing kept', async () => {
    const huge = hugeMultipart(50 * 1024 * 1024);
    const rows = await fileCount();
    const disk = storedOnDisk().length;
    const heapBefore = process.memoryUsage().heapUsed;
    const res = await t.app.inject({ method: 'POST', url: '/api/files', headers: { ...worker, ...huge.headers }, payload: huge.stream });
    // The answer came as soon as the 10 MB limit was passed, not after the 50 MB.
    expect(huge.produced()).toBeLessThan(16 * 1024 * 1024);
    expectError(res, 413, 'file_too_large');
    expect(res.json()).toMatchObject({ error: { details: { maxBytes: 10 * 1024 * 1024 } } });
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(40 * 1024 * 1024);
    expect(await fileCount()).toBe(rows);
    expect(storedOnDisk().length).toBe(disk);
  });

  it('the limit comes from FILE_MAX_BYTES', async () => {
    const small = await createTestApp({ demo: true, config: { filesDir, fileMaxBytes: 1024 } });
    try {
      const session = await signInAs(small.app, '13800000001');
      const body = multipart({ filename: 'p.pdf', data: Buffer.concat([pdf(), Buffer.alloc(2000, 0x20)]) });
      const res = await small.app.inject({
        method: 'POST',
        url: '/api/files',
        headers: { ...session, ...body.headers },
        payload: body.payload,
      });
      expectError(res, 413, 'file_too_large');
    } finally {
      await small.close();
    }
  });
});

describe('who may upload and download', () => {
  let mine: FileJson;

  beforeAll(async () => {
    mine = await uploaded({ filename: 'evidence.png', data: await pngWithAlpha(200, 100) });
  });

  it('a signed-out caller may neither upload (401) nor download (401)', async () => {
    const body = multipart({ filename: 'a.pdf', data: pdf() });
    expectError(
      await t.app.inject({ method: 'POST', url: '/api/files', headers: body.headers, payload: body.payload }),
      401,
      'unauthenticated',
    );
    expectError(await download(mine.url), 401, 'unauthenticated');
    expectError(await download(`${mine.url}/thumbnail`), 401, 'unauthenticated');
  });

  it('an upload without the CSRF token is refused', async () => {
    const body = multipart({ filename: 'a.pdf', data: pdf() });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/files',
      headers: { cookie: worker.cookie, ...body.headers },
      payload: body.payload,
    });
    expectError(res, 403, 'csrf_failed');
  });

  it('a body that is not multipart, or has no file, is refused', async () => {
    expectError(
      await t.app.inject({ method: 'POST', url: '/api/files', headers: worker, payload: { file: 'x' } }),
      415,
      'unsupported_media_type',
    );
    const boundary = 'nxboundary';
    const fieldOnly = `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--${boundary}--\r\n`;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/files',
      headers: { ...worker, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: fieldOnly,
    });
    expectError(res, 400, 'invalid_request');
  });

  it('an unattached file is visible to its uploader only: anyone else gets 404, as for a file that does not exist', async () => {
    expect((await download(mine.url, worker)).statusCode).toBe(200);
    expectError(await download(mine.url, resident), 404, 'file_not_found');
    expectError(await download(`${mine.url}/thumbnail`, resident), 404, 'file_not_found');
    expectError(await download('/api/files/00000000-0000-4000-8000-000000000000', resident), 404, 'file_not_found');
    expectError(await download('/api/files/not-a-uuid', resident), 400, 'invalid_request');
  });

  it('attached to a template, any signed-in person may read it', async () => {
    await t.ctx.db.transaction().execute((trx) => attachFiles(trx, { userId: workerId }, [mine.id], { type: 'template', id: 'tpl-1' }));
    expect((await download(mine.url, resident)).statusCode).toBe(200);
    expect((await download(`${mine.url}/thumbnail`, resident)).statusCode).toBe(200);
    expectError(await download(mine.url), 401, 'unauthenticated');
  });

  it('attached to a subject type with no access rule, only the uploader may read it', async () => {
    const f = await uploaded({ filename: 'x.pdf', data: pdf() });
    await attachFiles(t.ctx.db, { userId: workerId }, [f.id], { type: 'secret_thing', id: '1' });
    expect((await download(f.url, worker)).statusCode).toBe(200);
    expectError(await download(f.url, resident), 404, 'file_not_found');
  });
});

describe('attaching files', () => {
  it('attaches the actor’s own unattached uploads inside the caller’s transaction', async () => {
    const a = await uploaded({ filename: 'a.pdf', data: pdf() });
    const b = await uploaded({ filename: 'b.pdf', data: pdf() });
    const rows = await t.ctx.db
      .transaction()
      .execute((trx) => attachFiles(trx, { userId: workerId }, [b.id, a.id, b.id], { type: 'matter', id: 'm-1' }));
    expect(rows.map((r) => r.id)).toEqual([b.id, a.id]);
    expect(rows.every((r) => r.subject_type === 'matter' && r.subject_id === 'm-1')).toBe(true);
    expect((await loadFiles(t.ctx.db, [a.id, 'nonsense', b.id])).map((r) => [r.id, r.subject_id])).toEqual([
      [a.id, 'm-1'],
      [b.id, 'm-1'],
    ]);
  });

  it('refuses someone else’s file, an attached file, an unknown or malformed id, and attaches none of the batch', async () => {
    const mine = await uploaded({ filename: 'mine.pdf', data: pdf() });
    const theirs = await uploaded({ filename: 'theirs.pdf', data: pdf() }, resident);
    const used = await uploaded({ filename: 'used.pdf', data: pdf() });
    await attachFiles(t.ctx.db, { userId: workerId }, [used.id], { type: 'matter', id: 'm-2' });
    for (const bad of [theirs.id, used.id, '00000000-0000-4000-8000-000000000000', 'x']) {
      const attempt = t.ctx.db
        .transaction()
        .execute((trx) => attachFiles(trx, { userId: workerId }, [mine.id, bad], { type: 'matter', id: 'm-3' }));
      await expect(attempt).rejects.toMatchObject({ status: 400, code: 'file_not_attachable', details: { fileIds: [bad] } });
    }
    const [row] = await loadFiles(t.ctx.db, [mine.id]);
    expect(row?.subject_type).toBeNull();
    // The other person may attach their own.
    await expect(attachFiles(t.ctx.db, { userId: residentId }, [theirs.id], { type: 'matter', id: 'm-3' })).resolves.toHaveLength(1);
  });

  it('an attachment rolls back with the caller’s transaction', async () => {
    const f = await uploaded({ filename: 'r.pdf', data: pdf() });
    await expect(
      t.ctx.db.transaction().execute(async (trx) => {
        await attachFiles(trx, { userId: workerId }, [f.id], { type: 'matter', id: 'm-4' });
        throw new Error('the matter transition failed');
      }),
    ).rejects.toThrow('the matter transition failed');
    expect((await loadFiles(t.ctx.db, [f.id]))[0]?.subject_type).toBeNull();
  });
});

describe('clearing abandoned uploads', () => {
  it('deletes unattached files older than 24 hours, rows and bytes, and keeps the rest', async () => {
    const old = await uploaded({ filename: 'old.png', data: await pngWithAlpha(50, 50) });
    const fresh = await uploaded({ filename: 'fresh.pdf', data: pdf() });
    const oldAttached = await uploaded({ filename: 'kept.pdf', data: pdf() });
    await attachFiles(t.ctx.db, { userId: workerId }, [oldAttached.id], { type: 'matter', id: 'm-5' });
    await sql`update files set created_at = now() - interval '25 hours' where id in (${old.id}, ${oldAttached.id})`.execute(t.ctx.db);

    const result = await deleteAbandonedUploads(t.ctx);
    expect(result.files).toBeGreaterThanOrEqual(1);
    expect(await loadFiles(t.ctx.db, [old.id, fresh.id, oldAttached.id])).toHaveLength(2);
    expect(existsSync(originalPath(filesDir, old.id))).toBe(false);
    expect(existsSync(thumbnailPath(filesDir, old.id))).toBe(false);
    expect(existsSync(originalPath(filesDir, fresh.id))).toBe(true);
    expect(existsSync(originalPath(filesDir, oldAttached.id))).toBe(true);
    expect((await download(old.url, worker)).statusCode).toBe(404);
  });
});
