import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wordDocument } from '../../src/server/demo/templates.js';
import { AppError } from '../../src/server/errors.js';
import { storeGeneratedFile } from '../../src/server/modules/files/service.js';
import { originalPath, tempDir } from '../../src/server/modules/files/storage.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let filesDir: string;
let userId: string;

beforeAll(async () => {
  filesDir = mkdtempSync(path.join(tmpdir(), 'nx-generated-'));
  t = await createTestApp({ demo: true, config: { filesDir } });
  userId = (await t.ctx.db.selectFrom('users').select('id').limit(1).executeTakeFirstOrThrow()).id;
});
afterAll(async () => {
  await t.close();
  rmSync(filesDir, { recursive: true, force: true });
});

describe('files the server makes pass the same content checks as uploads', () => {
  it('a generated Word document is kept as a document, unattached, byte for byte', async () => {
    const buffer = wordDocument([{ h: '劳动合同（范本）' }, { p: '第一条　合同期限' }, { fill: '甲方：' }]);
    const file = await t.ctx.db
      .transaction()
      .execute((trx) => storeGeneratedFile(t.ctx, trx, { buffer, name: '../劳动合同.docx', uploadedBy: userId }));
    expect(file).toMatchObject({
      kind: 'document',
      mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      original_name: '劳动合同.docx',
      size: buffer.length,
      subject_type: null,
    });
    expect(readFileSync(originalPath(filesDir, file.id)).equals(buffer)).toBe(true);
  });

  it('text that is not a document is refused and nothing is kept', async () => {
    const before = await t.ctx.db
      .selectFrom('files')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const attempt = t.ctx.db
      .transaction()
      .execute((trx) =>
        storeGeneratedFile(t.ctx, trx, { buffer: Buffer.from('<script>alert(1)</script>'), name: 'x.docx', uploadedBy: userId }),
      );
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ code: 'file_type_not_allowed' });
    const after = await t.ctx.db
      .selectFrom('files')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    expect(readdirSync(tempDir(filesDir))).toEqual([]);
  });
});
